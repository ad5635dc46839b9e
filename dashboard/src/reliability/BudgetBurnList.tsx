import Link from 'next/link';
import type { BudgetBurn } from '@/collector-api/types';
import { formatClock, formatCount, formatDateTime } from '@/shared/format';
import { overviewHref } from './overview-link';
import { formatShare } from './reliability-words';

/** The hours that spent the most of an objective's budget, worst first, each a link to the Overview over that hour. */
export function BudgetBurnList({ hours, unit, headingId }: { hours: readonly BudgetBurn[]; unit: string; headingId: string }) {
  return (
    <div className="tv-budget-burns">
      <h4 id={headingId}>Hours that burned the budget</h4>
      {hours.length === 0 ? (
        <p className="tv-muted">None: nothing failed in the window.</p>
      ) : (
        <ol aria-labelledby={headingId}>
          {hours.map((hour) => (
            <li key={hour.from} data-burn-from={hour.from}>
              <Link href={overviewHref(hour)}>
                {formatDateTime(Date.parse(hour.from))}–{formatClock(Date.parse(hour.to))}
              </Link>{' '}
              <span className="tv-muted">
                {formatCount(hour.bad)} of {formatCount(hour.total)} {unit} failed, {formatShare(hour.budget_share, 1)} of the budget
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
