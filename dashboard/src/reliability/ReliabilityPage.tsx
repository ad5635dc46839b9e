'use client';

import { useSearchState } from '@/shared/use-search-state';
import { CohortComparison } from './CohortComparison';
import { ObjectiveList } from './ObjectiveList';
import { readReliabilityQuery, reliabilityPatch } from './reliability-query';

/**
 * Reliability: each objective's attainment, error budget and burn over its
 * window, and two cohorts compared measure by measure. The cohorts and the
 * comparison window live in the URL, so a comparison can be shared as a link.
 */
export function ReliabilityPage() {
  const { params, update } = useSearchState();
  const query = readReliabilityQuery(params);
  return (
    <div className="tv-page" data-page="reliability">
      <div className="tv-page-header">
        <h1>Reliability</h1>
      </div>
      <ObjectiveList />
      <CohortComparison query={query} onChange={(next) => update(reliabilityPatch(next))} />
    </div>
  );
}
