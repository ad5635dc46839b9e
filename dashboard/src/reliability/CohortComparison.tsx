'use client';

import { ErrorState } from '@/shared/ErrorState';
import { formatDateTime } from '@/shared/format';
import { LoadingState } from '@/shared/LoadingState';
import { CohortCompareForm } from './CohortCompareForm';
import { CohortCompareTable } from './CohortCompareTable';
import { QueueDepthTable } from './QueueDepthTable';
import type { ReliabilityQuery } from './reliability-query';
import { useCohortComparison } from './use-cohort-comparison';

/** Two cohorts (a feature flag on and off, two versions…) measured over the same window, each difference tested against noise. */
export function CohortComparison({ query, onChange }: { query: ReliabilityQuery; onChange: (next: ReliabilityQuery) => void }) {
  const comparison = useCohortComparison(query);
  const shown = comparison.stale ? undefined : comparison.data;
  return (
    <section className="tv-card tv-cohorts" aria-labelledby="cohorts-title" data-section="cohort-comparison">
      <h2 id="cohorts-title">Compare two cohorts</h2>
      <CohortCompareForm query={query} onChange={onChange} />
      {/* A refused cohort is a typo to fix, not an outage to retry: its message says what the collector accepts. */}
      {comparison.problem ? (
        <ErrorState problem={comparison.problem} onRetry={comparison.problem.kind === 'bad_request' ? undefined : comparison.refresh} />
      ) : shown ? (
        <>
          <p className="tv-muted" data-window>
            {formatDateTime(Date.parse(shown.from))} to {formatDateTime(Date.parse(shown.to))}. A difference is called more than noise when a two-proportion
            test gives p &lt; {shown.significance_level}.
          </p>
          <CohortCompareTable comparison={shown} titleId="cohorts-title" />
          <QueueDepthTable comparison={shown} />
        </>
      ) : comparison.loading ? (
        <LoadingState label="Comparing the cohorts…" />
      ) : null}
    </section>
  );
}
