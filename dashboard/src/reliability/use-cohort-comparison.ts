'use client';

import { fetchCollector } from '@/collector-api/fetch-collector';
import type { CohortComparisonResponse } from '@/collector-api/types';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';
import { compareWindowMillis, type ReliabilityQuery } from './reliability-query';
import { RELIABILITY_REFRESH_MILLIS } from './use-objectives';

/** Two cohorts side by side over the window ending now (GET /api/v1/reliability/compare). */
export function useCohortComparison(query: ReliabilityQuery): PollingQuery<CohortComparisonResponse> {
  return usePollingQuery<CohortComparisonResponse>(
    JSON.stringify(query),
    (signal) => {
      const to = Date.now();
      return fetchCollector<CohortComparisonResponse>('reliability/compare', { a: query.a, b: query.b, from: to - compareWindowMillis(query.window), to }, signal);
    },
    RELIABILITY_REFRESH_MILLIS,
  );
}
