import { totalDropped } from './fleet/message-counters.js';
import type { LoadGeneratorStats } from './load-generator-stats.js';

/** Options of `startProgressReporter`. */
export interface ProgressReporterOptions {
  /** Time between two lines. */
  intervalMillis: number;
  /** Receives each line. */
  write: (line: string) => void;
  /**
   * When the event loop's p99 delay passes this, a warning line says the
   * generator is starved of CPU (clients would miss pongs that were never
   * late). At most one per minute. Default: no warning.
   */
  lagWarningMillis?: number;
  /**
   * Collector URL: when messages were dropped since the last line, one of
   * them is shown with its lookup link, so a newcomer has an id to try in
   * the Lookup page. At most one per minute. Default: not shown.
   */
  collectorUrl?: string;
}

/** Least time between two lag warnings. */
const LAG_WARNING_EVERY_MILLIS = 60_000;

/** A running reporter. */
export interface ProgressReporter {
  /** Stops printing (idempotent). */
  stop(): void;
}

/** Prints `formatProgress` of the generator's stats every `intervalMillis`. */
export function startProgressReporter(source: { stats(): LoadGeneratorStats }, options: ProgressReporterOptions): ProgressReporter {
  let previous = source.stats();
  let warnedAt = 0;
  let shownDropAt = 0;
  const timer = setInterval(() => {
    const current = source.stats();
    options.write(formatProgress(previous, current));
    const lag = current.process.eventLoopLagP99Millis;
    if (options.lagWarningMillis !== undefined && lag > options.lagWarningMillis && current.at - warnedAt >= LAG_WARNING_EVERY_MILLIS) {
      warnedAt = current.at;
      options.write(
        `warning: the generator's event loop runs ${lag} ms late (p99): it is short of CPU, so clients may miss pongs ` +
          'and reconnect for no network reason. Run fewer clients, a longer --message-interval or lower --client-sampling.',
      );
    }
    const drop = current.recentDrops.at(-1);
    if (options.collectorUrl && drop && drop.at > shownDropAt + LAG_WARNING_EVERY_MILLIS) {
      shownDropAt = drop.at;
      options.write(
        `lost message to look up: ${drop.messageId} (${drop.reason}, session ${drop.sessionId}): ` +
          `${options.collectorUrl}/api/v1/timeline?message_id=${encodeURIComponent(drop.messageId)} or the dashboard's Lookup page`,
      );
    }
    previous = current;
  }, options.intervalMillis);
  return { stop: () => clearInterval(timer) };
}

/**
 * One progress line from two snapshots: clients connected per fleet,
 * messages/s sent, acked and delivered, reconnects and drops in the
 * interval (and in all), events/s exported, the generator's CPU (share
 * of one core) and memory, and the current scenario step.
 */
export function formatProgress(previous: LoadGeneratorStats, current: LoadGeneratorStats): string {
  const seconds = Math.max(0.001, (current.at - previous.at) / 1000);
  const rate = (now: number, before: number) => compact((now - before) / seconds);
  const fleets = current.fleets
    .map((f) => `${f.service} ${f.connected}/${f.clients}${f.tunnelClients > 0 ? ` (tunnel ${f.tunnelConnected}/${f.tunnelClients})` : ''}`)
    .join(' · ');
  const t = current.totals;
  const p = previous.totals;
  const drops = totalDropped(t);
  const cpu = Math.round(((current.process.cpuMillis - previous.process.cpuMillis) / (seconds * 1000)) * 100);
  const failed = current.telemetry.failed - previous.telemetry.failed;
  const parts = [
    `[${clock(current.at - current.startedAt)}] ${fleets}`,
    `msg/s sent ${rate(t.sent, p.sent)} acked ${rate(t.acked, p.acked)} delivered ${rate(t.received, p.received)}`,
    `reconnects +${t.reconnects - p.reconnects} (${t.reconnects})`,
    `drops +${drops - totalDropped(p)} (${drops})`,
    `events/s ${rate(current.telemetry.exported, previous.telemetry.exported)}${failed > 0 ? ` (${failed} failed to export)` : ''}`,
    `cpu ${cpu}% rss ${Math.round(current.process.rssBytes / 1_048_576)} MB lag p99 ${current.process.eventLoopLagP99Millis} ms`,
  ];
  if (current.scenario !== undefined) parts.push(current.scenario.step);
  return parts.join(' | ');
}

/** m:ss since start. */
function clock(millis: number): string {
  const total = Math.max(0, Math.floor(millis / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** 950, 1.2k, 14k. */
function compact(value: number): string {
  if (value < 1_000) return String(Math.round(value));
  if (value < 10_000) return `${(value / 1_000).toFixed(1)}k`;
  return `${Math.round(value / 1_000)}k`;
}
