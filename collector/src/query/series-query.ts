import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { ABNORMAL_CLOSE_CODES } from '@tunnelvision/semconv';
import type { SeriesMetric, SeriesPoint, SeriesResponse } from '../api-types.js';
import { QueryParamError } from '../errors.js';
import { EVENT_CONDITIONS } from './event-conditions.js';
import { filterParams, filterSql, type Filters } from './filters.js';
import { duration, instant, parseParams, resolveRange } from './query-params.js';
import { rollupRowsSql, wholeMinutes } from './rollup-rows.js';
import { cohortParam } from '../reliability/cohort.js';
import { DEFAULT_DELIVERY, measureBuckets, type Measure, type MeasureBucket } from '../reliability/measures.js';
import { latencyThresholdParam } from '../reliability/reliability-params.js';

/** A metric the series endpoint serves, and which rollup it reads. */
interface SeriesDefinition {
  unit: string;
  description: string;
  /** Buckets with no data: 0 for counts, null where "no value" differs from zero. */
  empty: 0 | null;
  read: RollupRead;
}

/**
 * How a metric is read. Metrics of one kind share one query per window
 * (rollupSeries), so asking for several costs one pass over each rollup.
 */
type RollupRead =
  | { kind: 'events'; condition: string }
  | { kind: 'latency'; index: number }
  | { kind: 'active' };

const bucket = `intDiv(toUnixTimestamp(Minute), {step:UInt32}) * {step:UInt32}`;
// Buckets are whole: the first starts at or before `from` and covers its full step.
const inRange = `Minute >= toDateTime({first:UInt32}) AND Minute < toDateTime(intDiv({to:UInt64}, 1000))`;

/** The quantiles latency_1m keeps; a latency metric reads one of them (1-based index). */
const LATENCY_QUANTILES = '0.5, 0.9, 0.95, 0.99';

/** The window's rows of a rollup kept per minute and per hour (rollupRowsSql). */
type RowsOf = (table: 'events' | 'latency') => string;

/** SELECT (bucket UInt32 epoch seconds, v0, v1, … Float64) for the metrics of one kind, in order. */
const ROLLUP_SQL: { [K in RollupRead['kind']]: (db: string, rows: RowsOf, where: string, reads: Extract<RollupRead, { kind: K }>[]) => string } = {
  events: (_db, rows, where, reads) =>
    `SELECT ${bucket} AS bucket, ${reads.map((r, i) => `toFloat64(sumIf(Events, ${r.condition})) AS v${i}`).join(', ')}
     FROM (${rows('events')})
     WHERE (${reads.map((r) => `(${r.condition})`).join(' OR ')}) AND ${where}
     GROUP BY bucket ORDER BY bucket`,
  // One t-digest merge serves every latency quantile asked for.
  latency: (_db, rows, where, reads) =>
    `SELECT bucket, ${reads.map((r, i) => `round(q[${r.index}], 3) AS v${i}`).join(', ')} FROM (
       SELECT ${bucket} AS bucket, quantilesTDigestMerge(${LATENCY_QUANTILES})(Latency) AS q
       FROM (${rows('latency')})
       WHERE ${where}
       GROUP BY bucket
     ) ORDER BY bucket`,
  // Active connections have no hourly rollup: read by the minute.
  active: (db, _rows, where) =>
    `SELECT bucket, toFloat64(sum(last)) AS v0 FROM (
       SELECT ${bucket} AS bucket, Series, argMaxMerge(Value) AS last
       FROM ${db}.active_connections_1m
       WHERE ${inRange} AND ${where}
       GROUP BY bucket, Series
     ) GROUP BY bucket ORDER BY bucket`,
};

const eventCount = (condition: string): RollupRead => ({ kind: 'events', condition });
const latency = (index: number): RollupRead => ({ kind: 'latency', index });

export const SERIES: Record<RollupMetric, SeriesDefinition> = {
  reconnects: {
    unit: '{reconnect}',
    description: 'Connections re-opened after a drop (conn.open carrying tv.connection.downtime_ms), per bucket.',
    empty: 0,
    read: eventCount(EVENT_CONDITIONS.reconnects),
  },
  reconnect_attempts: {
    unit: '{attempt}',
    description: 'Reconnect attempts scheduled (conn.reconnect.scheduled), per bucket.',
    empty: 0,
    read: eventCount(EVENT_CONDITIONS.reconnect_attempts),
  },
  abnormal_closes: {
    unit: '{close}',
    description: `Open connections that ended abnormally (close code ${ABNORMAL_CLOSE_CODES.join(', ')}), per bucket.`,
    empty: 0,
    read: eventCount(EVENT_CONDITIONS.abnormal_closes),
  },
  closes: {
    unit: '{close}',
    description: 'Open connections closed, any code, per bucket.',
    empty: 0,
    read: eventCount(EVENT_CONDITIONS.closes),
  },
  failed_attempts: {
    unit: '{attempt}',
    description: 'Connection attempts that ended before opening (refused, timed out), per bucket.',
    empty: 0,
    read: eventCount(EVENT_CONDITIONS.failed_attempts),
  },
  messages_lost: {
    unit: '{message}',
    description: 'Messages dropped without delivery (msg.dropped), per bucket.',
    empty: 0,
    read: eventCount(EVENT_CONDITIONS.messages_lost),
  },
  latency_p50: { unit: 'ms', description: 'Median delivery latency (msg.acked).', empty: null, read: latency(1) },
  latency_p90: { unit: 'ms', description: '90th percentile delivery latency.', empty: null, read: latency(2) },
  latency_p95: { unit: 'ms', description: '95th percentile delivery latency.', empty: null, read: latency(3) },
  latency_p99: { unit: 'ms', description: '99th percentile delivery latency.', empty: null, read: latency(4) },
  active_connections: {
    unit: '{connection}',
    description: 'Open connections: the last tv.connection.active value of each series in the bucket, summed.',
    empty: null,
    read: { kind: 'active' },
  },
};

type ReliabilityMetric = keyof typeof RELIABILITY_SERIES;
/** A metric read from the event, latency and active-connection rollups (every series metric but the reliability ones). */
export type RollupMetric = Exclude<SeriesMetric, ReliabilityMetric>;

/** The reliability measures (docs/objectives.md), from the reliability rollups: the only series that take a cohort. */
const RELIABILITY_SERIES = {
  connection_reliability: { measure: 'connection_reliability', read: 'ratio', unit: '1', description: 'Share of the time clients wanted to be connected that they were (tv.connection.state samples), per bucket.' },
  connect_success_ratio: { measure: 'connect_success_ratio', read: 'ratio', unit: '1', description: 'Connection attempts that opened over all attempts.' },
  delivery_success: { measure: 'delivery_success', read: 'ratio', unit: '1', description: 'Messages acknowledged within the latency objective over messages sent, by send time (in flight left out).' },
  zombie_connections: { measure: 'zombie_connections', read: 'count', unit: '{connection}', description: 'Half-open connections the client closed after a missed heartbeat, per bucket.' },
  replays: { measure: 'replays', read: 'count', unit: '{message}', description: 'Messages replayed after a reconnect (msg.replayed), per bucket.' },
  auth_failures: { measure: 'auth_failures', read: 'count', unit: '{attempt}', description: 'Connection attempts refused for authentication (HTTP 401/403, or close code 1008), per bucket.' },
  queue_depth_p95: { measure: 'queue_depth', read: 'p95', unit: '{message}', description: '95th percentile of the offline queue depth the SDK reports on its events (tv.queue.depth), per bucket.' },
} as const satisfies Record<string, { measure: Measure; read: 'ratio' | 'count' | 'p95'; unit: string; description: string }>;

export const SERIES_METRICS = [...Object.keys(SERIES), ...Object.keys(RELIABILITY_SERIES)] as [SeriesMetric, ...SeriesMetric[]];

const isReliability = (metric: SeriesMetric): metric is ReliabilityMetric => metric in RELIABILITY_SERIES;

/** One reliability bucket's value. */
function readBucket(read: 'ratio' | 'count' | 'p95', b: MeasureBucket | undefined): number | null {
  if (read === 'count') return b?.good ?? 0;
  if (read === 'p95') return b?.p95 ?? null;
  return b === undefined || b.total === 0 ? null : b.good / b.total;
}

const MAX_POINTS = 2_000;
const MIN_STEP_SECONDS = 60; // the rollups' grain

/** The window parameters every series query takes (GET /api/v1/series, GET /api/v1/overview). */
export const windowParams = { from: instant.optional(), to: instant.optional(), step: duration.optional() };

const seriesParamsSchema = z.object({
  metric: z.enum(SERIES_METRICS, { message: `must be one of: ${SERIES_METRICS.join(', ')}` }),
  ...windowParams,
  cohort: cohortParam,
  latency_threshold_ms: latencyThresholdParam,
  ...filterParams,
});

/** The buckets a series query covers. */
export interface SeriesWindow {
  /** Range asked for, epoch ms. */
  from: number;
  to: number;
  /** Bucket width in seconds, a whole number of minutes. */
  step: number;
  /** Start of the first (whole) bucket, epoch seconds: at or before `from`. */
  first: number;
}

/** The range (default: the last hour) and step (default: about 120 buckets); QueryParamError when they do not fit the rollups. */
export function seriesWindow(given: { from?: number | undefined; to?: number | undefined; step?: number | undefined }, now: number): SeriesWindow {
  const { from, to } = resolveRange(given, now, 3_600_000, 400);
  const rangeSeconds = Math.ceil((to - from) / 1000);
  const step = given.step ?? Math.max(MIN_STEP_SECONDS, Math.ceil(rangeSeconds / 120 / MIN_STEP_SECONDS) * MIN_STEP_SECONDS);
  if (step < MIN_STEP_SECONDS || step % MIN_STEP_SECONDS !== 0) {
    throw new QueryParamError([`step: must be a whole number of minutes (at least 60s), got ${step}s`]);
  }
  const first = Math.floor(from / 1000 / step) * step;
  if (Math.ceil((to / 1000 - first) / step) > MAX_POINTS) {
    throw new QueryParamError([`step: ${step}s gives more than ${MAX_POINTS} points over this range; use at least ${Math.ceil(rangeSeconds / MAX_POINTS / 60) * 60}s`]);
  }
  return { from, to, step, first };
}

/** Every bucket start of the window, epoch seconds. */
function bucketStarts({ first, to, step }: SeriesWindow): number[] {
  const starts: number[] = [];
  for (let b = first; b * 1000 < to; b += step) starts.push(b);
  return starts;
}

/**
 * Rollup metrics over one window and filters, as GET /api/v1/series returns
 * each: metrics that read the same rollup share one query, and the queries
 * run concurrently.
 */
export async function rollupSeries<M extends RollupMetric>(
  client: ClickHouseClient,
  database: string,
  metrics: readonly M[],
  filters: Filters,
  window: SeriesWindow,
): Promise<Record<M, SeriesResponse>> {
  const { where, params } = filterSql(filters);
  // Buckets align to the step from the epoch, so with a step of whole hours every hour lies in one bucket.
  const rowsOf: RowsOf = (table) =>
    rollupRowsSql(database, table, { ...wholeMinutes({ from: window.first * 1000, to: window.to }), stepMillis: window.step * 1000 });
  const byKind = new Map<RollupRead['kind'], M[]>();
  for (const metric of new Set(metrics)) {
    const kind = SERIES[metric].read.kind;
    byKind.set(kind, [...(byKind.get(kind) ?? []), metric]);
  }
  const values = new Map<M, Map<number, number | null>>();
  await Promise.all(
    [...byKind].map(async ([kind, group]) => {
      // Every read of the group has this kind.
      const sql = ROLLUP_SQL[kind] as (db: string, rows: RowsOf, where: string, reads: RollupRead[]) => string;
      const result = await client.query({
        query: sql(database, rowsOf, where, group.map((m) => SERIES[m].read)),
        query_params: { ...params, first: window.first, to: window.to, step: window.step },
        format: 'JSONEachRow',
      });
      const rows = await result.json<Record<string, number | string | null>>();
      group.forEach((metric, i) => {
        const v = `v${i}`;
        values.set(metric, new Map(rows.map((r) => [Number(r.bucket), r[v] === null || r[v] === undefined ? null : Number(r[v])])));
      });
    }),
  );
  const starts = bucketStarts(window);
  const range = { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(), step_seconds: window.step };
  const out = {} as Record<M, SeriesResponse>;
  for (const metric of metrics) {
    const { unit, description, empty } = SERIES[metric];
    const byBucket = values.get(metric)!;
    const points = starts.map((b) => ({ t: new Date(b * 1000).toISOString(), v: byBucket.has(b) ? byBucket.get(b)! : empty }));
    out[metric] = { metric, unit, description, ...range, points };
  }
  return out;
}

/** GET /api/v1/series: one metric as time buckets, read from the rollups. */
export async function querySeries(client: ClickHouseClient, database: string, rawParams: unknown, now = Date.now()): Promise<SeriesResponse> {
  const p = parseParams(seriesParamsSchema, rawParams);
  const window = seriesWindow(p, now);
  const { to, step, first } = window;
  const filters: Filters = p;
  if (isReliability(p.metric)) {
    const { measure, read, unit, description } = RELIABILITY_SERIES[p.metric];
    const delivery = { ...DEFAULT_DELIVERY, latencyThresholdMillis: p.latency_threshold_ms ?? DEFAULT_DELIVERY.latencyThresholdMillis };
    const buckets = await measureBuckets(client, database, measure, { filters, cohort: p.cohort, from: first * 1000, to, stepMillis: step * 1000, delivery, now });
    const byStart = new Map(buckets.map((b) => [b.bucket, b]));
    const points: SeriesPoint[] = bucketStarts(window).map((b) => ({ t: new Date(b * 1000).toISOString(), v: readBucket(read, byStart.get(b * 1000)) }));
    return { metric: p.metric, unit, description, from: new Date(window.from).toISOString(), to: new Date(to).toISOString(), step_seconds: step, points };
  }
  if (p.cohort.length > 0) {
    throw new QueryParamError([`cohort: applies only to the reliability metrics (${Object.keys(RELIABILITY_SERIES).join(', ')}); ${p.metric} comes from rollups without attributes`]);
  }
  if (p.latency_threshold_ms !== undefined) throw new QueryParamError(['latency_threshold_ms: applies only to delivery_success']);
  const series = await rollupSeries(client, database, [p.metric], filters, window);
  return series[p.metric];
}
