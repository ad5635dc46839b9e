import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { ABNORMAL_CLOSE_CODES } from '@tunnelvision/semconv';
import type { SeriesMetric, SeriesPoint, SeriesResponse } from '../api-types.js';
import { QueryParamError } from '../errors.js';
import { EVENT_CONDITIONS } from './event-conditions.js';
import { filterParams, filterSql, type Filters } from './filters.js';
import { duration, instant, parseParams, resolveRange } from './query-params.js';

/** A metric the series endpoint serves, and how to compute it from the rollups. */
interface SeriesDefinition {
  unit: string;
  description: string;
  /** Buckets with no data: 0 for counts, null where "no value" differs from zero. */
  empty: 0 | null;
  /** SELECT returning (bucket UInt32 epoch seconds, value Float64) for the bound params. */
  sql: (db: string, where: string) => string;
}

const bucket = `intDiv(toUnixTimestamp(Minute), {step:UInt32}) * {step:UInt32}`;
// Buckets are whole: the first starts at or before `from` and covers its full step.
const inRange = `Minute >= toDateTime({first:UInt32}) AND Minute < toDateTime(intDiv({to:UInt64}, 1000))`;

const eventCount = (condition: string): SeriesDefinition['sql'] => (db, where) =>
  `SELECT ${bucket} AS bucket, toFloat64(sum(Events)) AS value
   FROM ${db}.events_1m
   WHERE ${inRange} AND ${condition} AND ${where}
   GROUP BY bucket ORDER BY bucket`;

const latency = (index: number): SeriesDefinition['sql'] => (db, where) =>
  `SELECT ${bucket} AS bucket, round(quantilesTDigestMerge(0.5, 0.9, 0.95, 0.99)(Latency)[${index}], 3) AS value
   FROM ${db}.latency_1m
   WHERE ${inRange} AND ${where}
   GROUP BY bucket ORDER BY bucket`;

export const SERIES: Record<SeriesMetric, SeriesDefinition> = {
  reconnects: {
    unit: '{reconnect}',
    description: 'Connections re-opened after a drop (conn.open carrying tv.connection.downtime_ms), per bucket.',
    empty: 0,
    sql: eventCount(EVENT_CONDITIONS.reconnects),
  },
  reconnect_attempts: {
    unit: '{attempt}',
    description: 'Reconnect attempts scheduled (conn.reconnect.scheduled), per bucket.',
    empty: 0,
    sql: eventCount(EVENT_CONDITIONS.reconnect_attempts),
  },
  abnormal_closes: {
    unit: '{close}',
    description: `Open connections that ended abnormally (close code ${ABNORMAL_CLOSE_CODES.join(', ')}), per bucket.`,
    empty: 0,
    sql: eventCount(EVENT_CONDITIONS.abnormal_closes),
  },
  closes: {
    unit: '{close}',
    description: 'Open connections closed, any code, per bucket.',
    empty: 0,
    sql: eventCount(EVENT_CONDITIONS.closes),
  },
  failed_attempts: {
    unit: '{attempt}',
    description: 'Connection attempts that ended before opening (refused, timed out), per bucket.',
    empty: 0,
    sql: eventCount(EVENT_CONDITIONS.failed_attempts),
  },
  messages_lost: {
    unit: '{message}',
    description: 'Messages dropped without delivery (msg.dropped), per bucket.',
    empty: 0,
    sql: eventCount(EVENT_CONDITIONS.messages_lost),
  },
  latency_p50: { unit: 'ms', description: 'Median delivery latency (msg.acked).', empty: null, sql: latency(1) },
  latency_p90: { unit: 'ms', description: '90th percentile delivery latency.', empty: null, sql: latency(2) },
  latency_p95: { unit: 'ms', description: '95th percentile delivery latency.', empty: null, sql: latency(3) },
  latency_p99: { unit: 'ms', description: '99th percentile delivery latency.', empty: null, sql: latency(4) },
  active_connections: {
    unit: '{connection}',
    description: 'Open connections: the last tv.connection.active value of each series in the bucket, summed.',
    empty: null,
    sql: (db, where) =>
      `SELECT bucket, toFloat64(sum(last)) AS value FROM (
         SELECT ${bucket} AS bucket, Series, argMaxMerge(Value) AS last
         FROM ${db}.active_connections_1m
         WHERE ${inRange} AND ${where}
         GROUP BY bucket, Series
       ) GROUP BY bucket ORDER BY bucket`,
  },
};

export const SERIES_METRICS = Object.keys(SERIES) as [SeriesMetric, ...SeriesMetric[]];

const MAX_POINTS = 2_000;
const MIN_STEP_SECONDS = 60; // the rollups' grain

const seriesParamsSchema = z.object({
  metric: z.enum(SERIES_METRICS, { message: `must be one of: ${SERIES_METRICS.join(', ')}` }),
  from: instant.optional(),
  to: instant.optional(),
  step: duration.optional(),
  ...filterParams,
});

/** GET /api/v1/series: one metric as time buckets, read from the per-minute rollups. */
export async function querySeries(client: ClickHouseClient, database: string, rawParams: unknown, now = Date.now()): Promise<SeriesResponse> {
  const p = parseParams(seriesParamsSchema, rawParams);
  const { from, to } = resolveRange(p, now, 3_600_000, 400);
  const rangeSeconds = Math.ceil((to - from) / 1000);
  const step = p.step ?? Math.max(MIN_STEP_SECONDS, Math.ceil(rangeSeconds / 120 / MIN_STEP_SECONDS) * MIN_STEP_SECONDS);
  if (step < MIN_STEP_SECONDS || step % MIN_STEP_SECONDS !== 0) {
    throw new QueryParamError([`step: must be a whole number of minutes (at least 60s), got ${step}s`]);
  }
  const first = Math.floor(from / 1000 / step) * step;
  if (Math.ceil((to / 1000 - first) / step) > MAX_POINTS) {
    throw new QueryParamError([`step: ${step}s gives more than ${MAX_POINTS} points over this range; use at least ${Math.ceil(rangeSeconds / MAX_POINTS / 60) * 60}s`]);
  }
  const definition = SERIES[p.metric];
  const filters: Filters = p;
  const { where, params } = filterSql(filters);
  const result = await client.query({
    query: definition.sql(database, where),
    query_params: { ...params, first, to, step },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ bucket: number | string; value: number | null }>();
  const byBucket = new Map(rows.map((r) => [Number(r.bucket), r.value === null ? null : Number(r.value)]));
  const points: SeriesPoint[] = [];
  for (let b = first; b * 1000 < to; b += step) {
    points.push({ t: new Date(b * 1000).toISOString(), v: byBucket.has(b) ? byBucket.get(b)! : definition.empty });
  }
  return {
    metric: p.metric,
    unit: definition.unit,
    description: definition.description,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    step_seconds: step,
    points,
  };
}
