'use client';

import { fetchCollector } from '@/collector-api/fetch-collector';
import type { DeployImpact } from '@/collector-api/types';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';
import type { WindowId } from './deploys-query';

/** One deploy's impact over a window (GET /api/v1/deploys/{id}/impact), refreshed every 15 s while a recent deploy settles. */
export function useDeployImpact(id: string | undefined, window: WindowId): PollingQuery<DeployImpact> {
  return usePollingQuery<DeployImpact>(
    id ? `${id}:${window}` : null,
    (signal) => fetchCollector<DeployImpact>(`deploys/${encodeURIComponent(id!)}/impact`, { window }, signal),
    15_000,
  );
}
