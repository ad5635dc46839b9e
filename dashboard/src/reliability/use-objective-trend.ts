'use client';

import type { ChartRow } from '@/charts/chart-row';
import { fetchCollector } from '@/collector-api/fetch-collector';
import type { ObjectiveStatus, SeriesResponse } from '@/collector-api/types';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';
import { RELIABILITY_REFRESH_MILLIS } from './use-objectives';

const DAY = 86_400_000;

/** An objective's measure per UTC day over its window, for its trend chart. */
export interface ObjectiveTrend {
  from: number;
  to: number;
  rows: ChartRow[];
}

/**
 * The objective's measure per day (GET /api/v1/series, step 1d) from the UTC
 * day its window starts in, so every bucket is a whole day, up to the window's end.
 */
export function useObjectiveTrend(objective: ObjectiveStatus | undefined): PollingQuery<ObjectiveTrend> {
  const from = objective ? Math.floor(Date.parse(objective.from) / DAY) * DAY : 0;
  const to = objective ? Date.parse(objective.to) : 0;
  return usePollingQuery<ObjectiveTrend>(
    // Keyed by the day the window starts: the trend is fetched again when the window moves into a new day, or on the refresh timer.
    objective ? `${objective.id}:${from}` : null,
    async (signal) => {
      const result = await fetchCollector<SeriesResponse>(
        'series',
        { metric: objective!.measure, from, to, step: '1d', latency_threshold_ms: objective!.latency_threshold_ms },
        signal,
      );
      if (!result.ok) return result;
      return { ok: true, data: { from, to, rows: result.data.points.map((p) => ({ t: Date.parse(p.t), value: p.v })) } };
    },
    RELIABILITY_REFRESH_MILLIS,
  );
}
