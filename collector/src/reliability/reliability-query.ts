import type { ClickHouseClient } from '@clickhouse/client';
import type { MeasureValue, QueueDepthValue, ReliabilityMeasure, ReliabilityResponse } from '../api-types.js';
import type { Filters } from '../query/filters.js';
import { parseParams, resolveRange } from '../query/query-params.js';
import { cohortLabel, type CohortCondition } from './cohort.js';
import { COUNT_MEASURES, DEFAULT_DELIVERY, measureTotalsByCohort, RATIO_MEASURES, toMinute, type DeliveryOptions } from './measures.js';
import { MAX_RELIABILITY_DAYS, reliabilityParamsSchema } from './reliability-params.js';

export const RELIABILITY_MEASURES: readonly ReliabilityMeasure[] = [...RATIO_MEASURES, ...COUNT_MEASURES];

/** The window a reliability query covers: whole minutes, 24 h before `to` by default. */
export function reliabilityWindow(given: { from?: number | undefined; to?: number | undefined }, now: number): { from: number; to: number } {
  const { from, to } = resolveRange(given, now, 86_400_000, MAX_RELIABILITY_DAYS);
  return { from: toMinute(from), to: Math.max(toMinute(from) + 60_000, toMinute(to)) };
}

export interface CohortTotals {
  measures: Record<ReliabilityMeasure, MeasureValue>;
  queue_depth: QueueDepthValue;
}

/** Every measure for each of `cohorts` over [from, to), side by side from one read of the rollups. */
export async function cohortTotals(
  client: ClickHouseClient,
  database: string,
  q: { filters: Filters; from: number; to: number; delivery: DeliveryOptions; now: number },
  cohorts: readonly (readonly CohortCondition[])[],
): Promise<CohortTotals[]> {
  const perCohort = await measureTotalsByCohort(client, database, [...RELIABILITY_MEASURES, 'queue_depth'], q, cohorts);
  return perCohort.map((totals) => {
    const measures = Object.fromEntries(RELIABILITY_MEASURES.map((m) => [m, { value: totals[m].value, good: totals[m].good, total: totals[m].total }])) as Record<
      ReliabilityMeasure,
      MeasureValue
    >;
    const queue = totals.queue_depth;
    return { measures, queue_depth: { p95: queue.p95 ?? null, max: queue.max ?? null, samples: queue.total } };
  });
}

/** GET /api/v1/reliability: every measure of docs/objectives.md as a total over [from, to). */
export async function queryReliability(client: ClickHouseClient, database: string, rawParams: unknown, now = Date.now()): Promise<ReliabilityResponse> {
  const p = parseParams(reliabilityParamsSchema, rawParams);
  const { from, to } = reliabilityWindow(p, now);
  const delivery: DeliveryOptions = { ...DEFAULT_DELIVERY, latencyThresholdMillis: p.latency_threshold_ms ?? DEFAULT_DELIVERY.latencyThresholdMillis };
  const [totals] = await cohortTotals(client, database, { filters: p, from, to, delivery, now }, [p.cohort]);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    cohort: p.cohort,
    cohort_label: cohortLabel(p.cohort),
    latency_threshold_ms: delivery.latencyThresholdMillis,
    ack_window_ms: delivery.ackWindowMillis,
    ...totals!,
  };
}
