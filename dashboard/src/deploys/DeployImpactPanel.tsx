'use client';

import type { DeployImpact } from '@/collector-api/types';
import { formatCount, formatMillis, formatPercent, formatPerMinute, formatSeconds } from '@/shared/format';
import { StatList, type Stat } from '@/shared/StatList';
import { herdWords, recoveryWords } from './impact-rows';

function latencyChange(before: number | null, after: number | null): string {
  if (before === null || after === null) return 'not enough deliveries to compare';
  const delta = after - before;
  if (Math.abs(delta) < 0.5) return 'unchanged';
  return `${delta > 0 ? '+' : '−'}${formatMillis(Math.abs(delta))} (${delta > 0 ? 'slower' : 'faster'})`;
}

/** One deploy's impact as cards: the storm it caused, how fast clients came back, and before/after quality. */
export function DeployImpactPanel({ impact }: { impact: DeployImpact }) {
  const { before, after, recovery, herd } = impact;
  const windowWords = formatSeconds(impact.window_seconds);
  const stats: Stat[] = [
    {
      id: 'reconnects',
      label: `Reconnects in the ${windowWords} after`,
      value: formatCount(after.reconnects),
      note: `${formatCount(before.reconnects)} in the ${windowWords} before`,
      tone: after.reconnects > Math.max(5, before.reconnects * 3) ? 'bad' : 'neutral',
    },
    {
      id: 'peak',
      label: 'Peak reconnect rate',
      value: formatPerMinute(after.peak_reconnects_per_minute),
      note: `before: ${formatPerMinute(before.peak_reconnects_per_minute)}`,
      tone: 'neutral',
    },
    {
      id: 'recovery',
      label: 'Time until 95% of clients were back',
      value: recoveryWords(impact),
      note: `${formatCount(recovery.clients_dropped)} clients dropped, ${formatCount(recovery.clients_back)} came back`,
      tone: recovery.clients_dropped > 0 && recovery.seconds_to_95_percent_back === null ? 'bad' : 'neutral',
    },
    {
      id: 'herd',
      label: 'Herd indicator',
      value: herd.peak_second_share === null ? 'No reconnects' : herd.thundering_herd ? 'Thundering herd' : 'Spread by jitter',
      note: herdWords(impact),
      tone: herd.thundering_herd ? 'bad' : 'good',
    },
    {
      id: 'p99',
      label: 'p99 delivery latency',
      value: `${formatMillis(before.latency_p99_ms)} → ${formatMillis(after.latency_p99_ms)}`,
      note: latencyChange(before.latency_p99_ms, after.latency_p99_ms),
      tone: before.latency_p99_ms !== null && after.latency_p99_ms !== null && after.latency_p99_ms > before.latency_p99_ms * 1.5 ? 'bad' : 'neutral',
    },
    {
      id: 'abnormal',
      label: 'Abnormal-close share',
      value: `${formatPercent(before.abnormal_close_share)} → ${formatPercent(after.abnormal_close_share)}`,
      note: `${formatCount(after.abnormal_closes)} of ${formatCount(after.closes)} closes after the deploy`,
      tone: (after.abnormal_close_share ?? 0) > Math.max(0.1, (before.abnormal_close_share ?? 0) * 2) ? 'bad' : 'neutral',
    },
  ];
  return <StatList stats={stats} className="tv-stats-impact" data-section="impact" data-deploy-id={impact.deploy.id} />;
}
