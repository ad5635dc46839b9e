import type { ObjectiveStatus, ReliabilityMeasure } from '@/collector-api/types';
import { NO_VALUE } from '@/shared/format';

/** Each measure's name and what its good and total count, in words. */
export const MEASURE_WORDS: Record<ReliabilityMeasure, { name: string; unit: string }> = {
  connection_reliability: { name: 'Connection reliability', unit: 'connection samples' },
  connect_success_ratio: { name: 'Connect success', unit: 'attempts' },
  delivery_success: { name: 'Delivery success', unit: 'messages' },
  zombie_connections: { name: 'Zombie connections (per close)', unit: 'closes' },
  replays: { name: 'Replays (per message sent)', unit: 'messages' },
  auth_failures: { name: 'Auth failures (per attempt)', unit: 'attempts' },
};

const LOCALE = 'en-US';

/**
 * A share 0..1 as a percentage with fixed decimals: 0.99912 -> "99.912%".
 * Reliability lives in the last decimals, which formatPercent rounds away.
 */
export function formatShare(share: number | null | undefined, decimals: number): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NO_VALUE;
  return `${(share * 100).toLocaleString(LOCALE, { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}%`;
}

/** A difference of two shares in percentage points, signed: "+50.00 points". */
export function formatPoints(difference: number | null): string {
  if (difference === null || !Number.isFinite(difference)) return NO_VALUE;
  const points = Math.abs(difference * 100).toLocaleString(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${difference > 0 ? '+' : difference < 0 ? '−' : '±'}${points} points`;
}

/** A two-sided p-value as the collector's sentences word it: "p < 0.001", "p = 0.042". */
export function formatPValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** A burn rate as a multiple of the sustainable pace: "0×", "2.5×", "1,000×". */
export function formatBurn(rate: number): string {
  return `${rate.toLocaleString(LOCALE, { maximumFractionDigits: rate < 10 ? 1 : 0 })}×`;
}

/** The objective's target in words: "99.9% over 90 days". */
export function targetWords(objective: ObjectiveStatus): string {
  const days = objective.window === '90d' ? 90 : 30;
  const latency = objective.latency_threshold_ms === undefined ? '' : `, acked within ${objective.latency_threshold_ms.toLocaleString(LOCALE)} ms`;
  return `Target ${formatShare(objective.target, 1)} over ${days} days${latency}`;
}
