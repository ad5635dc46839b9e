import type { AlertObjective, AlertSignal } from '../../api-types.js';
import { DEFAULT_DELIVERY } from '../../reliability/measures.js';

/** How a signal is named in sentences ("312 reconnects in the last 1m"). */
export const SIGNAL_WORDS: Record<AlertSignal, string> = {
  reconnects: 'reconnects',
  reconnect_attempts: 'reconnect attempts',
  abnormal_closes: 'abnormal closes',
  closes: 'closes',
  failed_attempts: 'failed connection attempts',
  messages_sent: 'messages sent',
  messages_lost: 'messages lost',
  heartbeat_timeouts: 'missed heartbeats',
  latency_p50: 'p50 delivery latency',
  latency_p95: 'p95 delivery latency',
  latency_p99: 'p99 delivery latency',
};

/** What each objective promises, for sentences ("99.9 % of messages delivered"). */
export function objectiveWords(objective: AlertObjective, target: number, latencyThresholdMs: number | undefined): string {
  const pct = `${Number((target * 100).toFixed(3))} %`;
  switch (objective) {
    case 'delivery_latency':
      return `${pct} of messages acknowledged within ${latencyThresholdMs} ms`;
    case 'message_loss':
      return `${pct} of sent messages delivered`;
    case 'connect_success':
      return `${pct} of connection attempts succeeding`;
    case 'connection_reliability':
      return `${pct} of the time wanted connected spent connected`;
    case 'delivery_success':
      return `${pct} of sent messages acknowledged within ${latencyThresholdMs ?? DEFAULT_DELIVERY.latencyThresholdMillis} ms`;
  }
}

/** A number for a sentence: whole when large, two significant decimals when small. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100 || Number.isInteger(value)) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}
