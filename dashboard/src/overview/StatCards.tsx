import { formatClock, formatCount, formatMillis, formatPercent, formatPerMinute } from '@/shared/format';
import type { OverviewTotals } from './overview-data';

/** The range's headline numbers, each with its unit. */
export function StatCards({ totals }: { totals: OverviewTotals }) {
  const share = totals.closes > 0 ? totals.abnormalCloses / totals.closes : null;
  const cards = [
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
      label: 'Abnormal closes (1006)',
      value: formatCount(totals.abnormalCloses),
      note: share === null ? 'no closes' : `${formatPercent(share)} of ${formatCount(totals.closes)} closes`,
    },
    {
      id: 'lost',
      label: 'Lost messages',
      value: formatCount(totals.lostMessages),
      note: totals.lostMessages > 0 ? 'dropped, never delivered' : 'none dropped',
    },
  ];
  return (
    <dl className="tv-stats">
      {cards.map((card) => (
        <div key={card.id} className={`tv-stat${card.id === 'lost' && totals.lostMessages > 0 ? ' tv-stat-bad' : ''}`} data-stat={card.id}>
          <dt>{card.label}</dt>
          <dd>
            <span className="tv-stat-value">{card.value}</span>
            <span className="tv-stat-note">{card.note}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
