import { formatClock, formatCount, formatMillis, formatPercent, formatPerMinute } from '@/shared/format';
import { StatList, type Stat } from '@/shared/StatList';
import type { OverviewTotals } from './overview-data';

/** The range's headline numbers, each with its unit. */
export function StatCards({ totals }: { totals: OverviewTotals }) {
  const share = totals.closes > 0 ? totals.abnormalCloses / totals.closes : null;
  const stats: Stat[] = [
    {
      id: 'active',
      label: 'Active connections',
      value: formatCount(totals.latestActive?.value),
      note: totals.latestActive ? `at ${formatClock(totals.latestActive.t)}` : 'none reported',
    },
    {
      id: 'reconnects',
      label: 'Reconnects',
      value: formatCount(totals.reconnects),
      note: `peak ${formatPerMinute(totals.peakReconnectsPerMinute)}`,
    },
    {
      id: 'p99',
      label: 'p99 delivery latency',
      value: formatMillis(totals.latestP99?.value),
      note: totals.worstP99 === null ? 'no acks in range' : `worst ${formatMillis(totals.worstP99)}`,
    },
    {
      id: 'abnormal',
      label: 'Abnormal closes',
      value: formatCount(totals.abnormalCloses),
      note: share === null ? 'no closes' : `${formatPercent(share)} of ${formatCount(totals.closes)} closes`,
    },
    {
      id: 'lost',
      label: 'Lost messages',
      value: formatCount(totals.lostMessages),
      note: totals.lostMessages > 0 ? 'dropped, never delivered' : 'none dropped',
      tone: totals.lostMessages > 0 ? 'bad' : undefined,
    },
  ];
  return <StatList stats={stats} />;
}
