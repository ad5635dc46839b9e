import type { ClickHouseClient } from '@clickhouse/client';
import type { CohortComparisonResponse, CohortMeasureComparison, MeasureValue, ReliabilityMeasure } from '../api-types.js';
import { parseParams } from '../query/query-params.js';
import { cohortLabel } from './cohort.js';
import { DEFAULT_DELIVERY, type DeliveryOptions } from './measures.js';
import { compareParamsSchema } from './reliability-params.js';
import { cohortTotals, RELIABILITY_MEASURES, reliabilityWindow } from './reliability-query.js';
import { twoProportionTest } from './two-proportion-test.js';

/** Below this p-value a difference is called more than noise. */
export const SIGNIFICANCE_LEVEL = 0.05;

const WORDS: Record<ReliabilityMeasure, { name: string; higherIsBetter: boolean; caveat: string | null }> = {
  connection_reliability: {
    name: 'Connection reliability',
    higherIsBetter: true,
    caveat: 'Counts what each client believes: without heartbeats, a half-open connection counts as open. Read it beside delivery success.',
  },
  connect_success_ratio: {
    name: 'Connect success',
    higherIsBetter: true,
    caveat: 'A client that retries while the network is down fails more attempts than one that waits.',
  },
  delivery_success: { name: 'Delivery success', higherIsBetter: true, caveat: null },
  zombie_connections: {
    name: 'Zombie connections (per close)',
    higherIsBetter: false,
    caveat: 'Found only by heartbeats: a cohort without them shows none, not fewer.',
  },
  replays: { name: 'Replays (per message sent)', higherIsBetter: false, caveat: null },
  auth_failures: { name: 'Auth failures (per attempt)', higherIsBetter: false, caveat: null },
};

const percent = (v: number) => `${(v * 100).toFixed(v > 0.99 || v < 0.01 ? 2 : 1)}%`;

/** One measure of two cohorts, its z-test and the sentence that says what it means. */
export function compareMeasure(measure: ReliabilityMeasure, a: MeasureValue, b: MeasureValue, labels: { a: string; b: string }): CohortMeasureComparison {
  const { name, higherIsBetter, caveat } = WORDS[measure];
  const base = { measure, higher_is_better: higherIsBetter, a, b, caveat };
  if (a.value === null || b.value === null) {
    const missing = a.value === null ? labels.a : labels.b;
    return { ...base, difference: null, z: null, p_value: null, better: null, statement: `${name}: nothing counted for ${missing} in this window, so no comparison.` };
  }
  const difference = a.value - b.value;
  const test = twoProportionTest(a.good, a.total, b.good, b.total);
  const both = `${percent(a.value)} for ${labels.a} against ${percent(b.value)} for ${labels.b}`;
  if (!test) {
    return { ...base, difference, z: null, p_value: null, better: null, statement: `${name}: ${both}; too few counted to tell a difference from noise.` };
  }
  const points = `${(Math.abs(difference) * 100).toFixed(2)} points ${difference >= 0 ? 'higher' : 'lower'} for ${labels.a}`;
  const p = test.pValue < 0.001 ? 'p < 0.001' : `p = ${test.pValue.toFixed(3)}`;
  if (test.pValue >= SIGNIFICANCE_LEVEL || difference === 0) {
    return { ...base, difference, z: test.z, p_value: test.pValue, better: null, statement: `${name}: ${both}; the difference is within noise (${p}).` };
  }
  const better = (difference > 0) === higherIsBetter ? 'a' : 'b';
  return {
    ...base,
    difference,
    z: test.z,
    p_value: test.pValue,
    better,
    statement: `${name}: ${both}, ${points}; more than noise (${p}): ${better === 'a' ? labels.a : labels.b} is better.`,
  };
}

/** GET /api/v1/reliability/compare: two cohorts over the same window, each measure side by side. */
export async function compareCohorts(client: ClickHouseClient, database: string, rawParams: unknown, now = Date.now()): Promise<CohortComparisonResponse> {
  const p = parseParams(compareParamsSchema, rawParams);
  const { from, to } = reliabilityWindow(p, now);
  const delivery: DeliveryOptions = { ...DEFAULT_DELIVERY, latencyThresholdMillis: p.latency_threshold_ms ?? DEFAULT_DELIVERY.latencyThresholdMillis };
  const [a, b] = await cohortTotals(client, database, { filters: p, from, to, delivery, now }, [p.a, p.b]);
  const labels = { a: cohortLabel(p.a), b: cohortLabel(p.b) };
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    a: { cohort: p.a, label: labels.a },
    b: { cohort: p.b, label: labels.b },
    latency_threshold_ms: delivery.latencyThresholdMillis,
    significance_level: SIGNIFICANCE_LEVEL,
    measures: RELIABILITY_MEASURES.map((m) => compareMeasure(m, a!.measures[m], b!.measures[m], labels)),
    queue_depth: { a: a!.queue_depth, b: b!.queue_depth },
  };
}
