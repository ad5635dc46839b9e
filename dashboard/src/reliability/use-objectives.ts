'use client';

import { fetchCollector } from '@/collector-api/fetch-collector';
import type { ObjectivesResponse } from '@/collector-api/types';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';

/** How often the objectives and their trends refresh: windows of 30 and 90 days move slowly. */
export const RELIABILITY_REFRESH_MILLIS = 60_000;

/** Every objective over its trailing window (GET /api/v1/objectives). */
export function useObjectives(): PollingQuery<ObjectivesResponse> {
  return usePollingQuery<ObjectivesResponse>('objectives', (signal) => fetchCollector<ObjectivesResponse>('objectives', {}, signal), RELIABILITY_REFRESH_MILLIS);
}
