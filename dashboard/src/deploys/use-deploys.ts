'use client';

import { fetchCollector } from '@/collector-api/fetch-collector';
import type { DeploysResponse } from '@/collector-api/types';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';

/** How far back the deploy list reaches (the collector's default). */
export const DEPLOY_LIST_DAYS = 30;

/** The deploy markers of the last 30 days (newest 500), refreshed every 15 s. */
export function useDeploys(): PollingQuery<DeploysResponse> {
  return usePollingQuery<DeploysResponse>(
    'deploys',
    (signal) => {
      const to = Date.now() + 60_000;
      return fetchCollector<DeploysResponse>('deploys', { from: to - DEPLOY_LIST_DAYS * 86_400_000, to, limit: 500 }, signal);
    },
    15_000,
  );
}
