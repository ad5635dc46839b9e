import type { DeployImpact } from '@/collector-api/types';
import { formatCount, formatDateTime, formatMillis, formatPercent, formatPerMinute, formatSeconds, shortCommit } from '@/shared/format';

/** One line of a deploy's impact: how to read it from the API's answer and which way is better. */
export interface ImpactRow {
  id: string;
  label: string;
  value: (impact: DeployImpact) => string;
  /** A number to compare two deploys by; lower is better. Absent for descriptive rows. */
  score?: (impact: DeployImpact) => number | null;
}

/** How long until 95% of the dropped clients were back, in words. */
export function recoveryWords(impact: DeployImpact): string {
  const { clients_dropped, clients_back, seconds_to_95_percent_back } = impact.recovery;
  if (clients_dropped === 0) return 'No clients dropped';
  if (seconds_to_95_percent_back === null) return `Not reached: ${formatCount(clients_back)} of ${formatCount(clients_dropped)} back`;
  return formatSeconds(seconds_to_95_percent_back);
}

/** Whether reconnects came back all at once, in words. */
export function herdWords(impact: DeployImpact): string {
  const { peak_second_share, spread_seconds, thundering_herd } = impact.herd;
  if (peak_second_share === null) return 'No reconnects';
  if (thundering_herd) return `Thundering herd: ${formatPercent(peak_second_share)} of reconnects in one second`;
  return `Spread by jitter over ${formatSeconds(spread_seconds)} (busiest second ${formatPercent(peak_second_share)})`;
}

/** The rows of the side-by-side comparison, in order. */
export const IMPACT_ROWS: readonly ImpactRow[] = [
  { id: 'version', label: 'Version', value: (i) => `${i.deploy.service} ${i.deploy.version}` },
  { id: 'time', label: 'Deployed', value: (i) => `${formatDateTime(Date.parse(i.deploy.time))} (${i.deploy.environment})` },
  { id: 'commit', label: 'Commit', value: (i) => (i.deploy.commit ? shortCommit(i.deploy.commit) : '—') },
  { id: 'reconnects', label: 'Reconnects in the window', value: (i) => formatCount(i.after.reconnects), score: (i) => i.after.reconnects },
  {
    id: 'peak',
    label: 'Peak reconnect rate',
    value: (i) => formatPerMinute(i.after.peak_reconnects_per_minute),
    score: (i) => i.after.peak_reconnects_per_minute,
  },
  {
    id: 'recovery',
    label: 'Time until 95% of clients were back',
    value: recoveryWords,
    score: (i) => (i.recovery.clients_dropped === 0 ? 0 : (i.recovery.seconds_to_95_percent_back ?? Number.POSITIVE_INFINITY)),
  },
  {
    id: 'dropped',
    label: 'Clients dropped / back',
    value: (i) => `${formatCount(i.recovery.clients_dropped)} / ${formatCount(i.recovery.clients_back)}`,
    score: (i) => i.recovery.clients_dropped,
  },
  { id: 'herd', label: 'Herd indicator', value: herdWords, score: (i) => i.herd.peak_second_share },
  {
    id: 'p99',
    label: 'p99 delivery latency, before → after',
    value: (i) => `${formatMillis(i.before.latency_p99_ms)} → ${formatMillis(i.after.latency_p99_ms)}`,
    score: (i) => i.after.latency_p99_ms,
  },
  {
    id: 'abnormal',
    label: 'Abnormal-close share, before → after',
    value: (i) => `${formatPercent(i.before.abnormal_close_share)} → ${formatPercent(i.after.abnormal_close_share)}`,
    score: (i) => i.after.abnormal_close_share,
  },
];
