'use client';

import type { ChartRow } from '@/charts/chart-row';
import { fetchCollector } from '@/collector-api/fetch-collector';
import type { Deploy, SeriesResponse } from '@/collector-api/types';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';

/** Reconnects per minute around a deploy, for its chart. */
export interface DeployReconnects {
  from: number;
  to: number;
  rows: ChartRow[];
}

/** Reconnects per minute of the deploy's service and environment, from one window before it to one window after. */
export function useDeployReconnects(deploy: Deploy | undefined, windowSeconds: number): PollingQuery<DeployReconnects> {
  return usePollingQuery<DeployReconnects>(
    deploy ? `${deploy.id}:${windowSeconds}` : null,
    async (signal) => {
      const at = Date.parse(deploy!.time);
      const from = at - windowSeconds * 1000;
      const to = at + windowSeconds * 1000;
      const result = await fetchCollector<SeriesResponse>(
        'series',
        { metric: 'reconnects', service: deploy!.service, environment: deploy!.environment, from, to, step: '60s' },
        signal,
      );
      if (!result.ok) return result;
      return { ok: true, data: { from, to, rows: result.data.points.map((p) => ({ t: Date.parse(p.t), reconnects: p.v })) } };
    },
    15_000,
  );
}
