'use client';

import { fetchCollector } from '@/collector-api/fetch-collector';
import type { AlertsResponse } from '@/collector-api/types';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';

/** How often the firing banner checks. */
export const FIRING_REFRESH_MILLIS = 5_000;

/** Alerts firing now, refreshed every few seconds; null `key` (e.g. on the alerts page itself) loads nothing. */
export function useFiringAlerts(enabled: boolean): PollingQuery<AlertsResponse> {
  return usePollingQuery<AlertsResponse>(
    enabled ? 'firing' : null,
    (signal) => fetchCollector<AlertsResponse>('alerts', { state: 'firing' }, signal),
    FIRING_REFRESH_MILLIS,
  );
}
