import type { ClickHouseClient } from '@clickhouse/client';
import { cohortSql, type CohortCondition } from './cohort.js';
import { filterSql, type Filters } from '../query/filters.js';
import { rollupRowsSql } from '../query/rollup-rows.js';

/**
 * The reliability measures of docs/objectives.md, one SQL definition each,
 * over the reliability rollups (migration 0007). The series API, GET
 * /api/v1/reliability, the cohort comparison, the objectives and the
 * burn-rate alerts all call measureBuckets; nothing else computes them.
 */
export type RatioMeasure = 'connection_reliability' | 'connect_success_ratio' | 'delivery_success';
export type CountMeasure = 'zombie_connections' | 'replays' | 'auth_failures';
export type Measure = RatioMeasure | CountMeasure | 'queue_depth';

export const RATIO_MEASURES: readonly RatioMeasure[] = ['connection_reliability', 'connect_success_ratio', 'delivery_success'];
export const COUNT_MEASURES: readonly CountMeasure[] = ['zombie_connections', 'replays', 'auth_failures'];

/** The latency objectives delivery success can be measured against: the rollups count acks within each. */
export const LATENCY_THRESHOLDS_MS = [100, 250, 500, 1000, 2000, 5000, 10000, 30000] as const;
export type LatencyThreshold = (typeof LATENCY_THRESHOLDS_MS)[number];

/** Whether `ms` is one of the latency objectives the rollups count acks within. */
export const isLatencyThreshold = (ms: number): ms is LatencyThreshold => (LATENCY_THRESHOLDS_MS as readonly number[]).includes(ms);

/** The start of every error message about a threshold not in the list. */
export const LATENCY_THRESHOLD_CHOICES = `must be one of ${LATENCY_THRESHOLDS_MS.join(', ')}`;

/** The numbers the delivery measure depends on. */
export interface DeliveryOptions {
  /** Acked within this long counts as delivered (the latency objective, default 1000 ms). */
  latencyThresholdMillis: LatencyThreshold;
  /** Messages sent less than this long before now may still be acked: in flight, left out (default 60 s). */
  ackWindowMillis: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = { latencyThresholdMillis: 1_000, ackWindowMillis: 60_000 };

export interface MeasureQuery {
  filters: Filters;
  cohort: readonly CohortCondition[];
  /** [from, to) epoch ms, whole minutes; buckets are [from + k * step, from + (k + 1) * step). */
  from: number;
  to: number;
  /** A multiple of a minute. */
  stepMillis: number;
  delivery: DeliveryOptions;
  /** Now, epoch ms: messages sent within the ack window before it are in flight. */
  now: number;
}

/** One bucket: good events (or connection samples) over all of them; for queue_depth, p95 and max over samples. */
export interface MeasureBucket {
  /** Bucket start, epoch ms. */
  bucket: number;
  good: number;
  total: number;
  p95?: number | null;
  max?: number | null;
}

const MINUTE = 60_000;
/**
 * Sent before the ack window that ends now. Hours that end after it are
 * read by the minute (hoursUntil): an hourly row cannot tell its settled
 * sends from those in flight.
 */
const SETTLED = 'Minute < toDateTime({settled:Int64} / 1000)';

/** What each measure counts, over the columns of reliability_* or connection_states_*. */
const COUNTS: Record<Measure, { table: 'reliability' | 'connection_states'; good: string; total: string }> = {
  connection_reliability: { table: 'connection_states', good: `sumIf(Samples, State = 'open')`, total: 'sum(Samples)' },
  connect_success_ratio: { table: 'reliability', good: 'sum(Attempts) - sum(FailedAttempts)', total: 'sum(Attempts)' },
  // Acks count in the minute their message was sent, so both sides cover the same messages. Messages sent
  // within the ack window before now may still be acked: in flight, left out. An ack whose send was not
  // reported never outnumbers the sends.
  delivery_success: {
    table: 'reliability',
    good: `least(sumMapIf(AckedWithin, ${SETTLED})[{latency:UInt32}], sumIf(Sent, ${SETTLED}))`,
    total: `sumIf(Sent, ${SETTLED})`,
  },
  zombie_connections: { table: 'reliability', good: 'sum(Zombies)', total: 'sum(Closes)' },
  replays: { table: 'reliability', good: 'sum(Replays)', total: 'sum(Sent)' },
  auth_failures: { table: 'reliability', good: 'sum(AuthFailures)', total: 'sum(Attempts)' },
  queue_depth: { table: 'reliability', good: '0', total: 'sum(QueueSamples)' },
};

/** Whole minutes: the rollups' grain. */
export const toMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/** The parameters delivery_success's SQL reads: the latency objective, and the minute before which sends are settled. */
const deliveryParams = (q: { now: number; delivery: DeliveryOptions }) => ({
  latency: q.delivery.latencyThresholdMillis,
  settled: toMinute(q.now - q.delivery.ackWindowMillis),
});

/** Buckets per measure. */
export type MeasureBuckets<M extends Measure> = Record<M, MeasureBucket[]>;

/**
 * Measures' buckets over [from, to) with the filters, for each of
 * `cohorts` side by side, in one query per rollup: a row counts in every
 * cohort it matches. Buckets with nothing counted are absent.
 */
export async function measureBucketsByCohort<M extends Measure>(
  client: ClickHouseClient,
  database: string,
  measures: readonly M[],
  q: Omit<MeasureQuery, 'cohort'>,
  cohorts: readonly (readonly CohortCondition[])[],
): Promise<MeasureBuckets<M>[]> {
  const from = toMinute(q.from);
  const to = toMinute(q.to);
  const found = cohorts.map(() => Object.fromEntries(measures.map((m) => [m, [] as MeasureBucket[]])) as MeasureBuckets<M>);
  if (to <= from) return found;
  const filters = filterSql(q.filters);
  const sides = cohorts.map((cohort, i) => cohortSql(cohort, `c${i}_`));
  // One cohort needs no fan-out; several are joined out of one read of the rows.
  const side = sides.length === 1 ? '0' : `arrayJoin(arrayFilter(i -> i >= 0, [${sides.map((c, i) => `if(${c.where}, ${i}, -1)`).join(', ')}]))`;
  const where = sides.length === 1 ? sides[0]!.where : sides.map((c) => `(${c.where})`).join(' OR ');
  const params = {
    ...filters.params,
    ...Object.assign({}, ...sides.map((c) => c.params)),
    from,
    step: q.stepMillis,
    ...deliveryParams(q),
  };
  const tables = [...new Set(measures.map((m) => COUNTS[m].table))];
  await Promise.all(
    tables.map(async (table) => {
      const mine = measures.filter((m) => COUNTS[m].table === table);
      const columns = mine.map((m, i) => `toFloat64(${COUNTS[m].good}) AS good${i}, toFloat64(${COUNTS[m].total}) AS total${i}`);
      if (mine.includes('queue_depth' as M)) columns.push('quantileTDigestMerge(0.95)(QueueDepthP95) AS p95', 'max(QueueDepthMax) AS max');
      const result = await client.query({
        query: `SELECT ${side} AS side, intDiv(toUnixTimestamp(Minute) * 1000 - {from:Int64}, {step:Int64}) * {step:Int64} + {from:Int64} AS bucket, ${columns.join(', ')}
                FROM (${rollupRowsSql(database, table, { from, to, stepMillis: q.stepMillis, hoursUntil: params.settled })})
                WHERE ${filters.where} AND (${where})
                GROUP BY side, bucket ORDER BY side, bucket`,
        query_params: params,
        format: 'JSONEachRow',
      });
      for (const row of await result.json<Record<string, string | number | null>>()) {
        const into = found[Number(row.side)]!;
        mine.forEach((m, i) => {
          const total = Number(row[`total${i}`]);
          if (!(total > 0)) return;
          const bucket: MeasureBucket = { bucket: Number(row.bucket), good: Number(row[`good${i}`]), total };
          if (m === 'queue_depth') {
            const p95 = row.p95 === null ? NaN : Number(row.p95);
            Object.assign(bucket, { p95: Number.isNaN(p95) ? null : p95, max: row.max === null ? null : Number(row.max) });
          }
          into[m].push(bucket);
        });
      }
    }),
  );
  return found;
}

/** One measure's buckets for one cohort (see measureBucketsByCohort). */
export async function measureBuckets(client: ClickHouseClient, database: string, measure: Measure, q: MeasureQuery): Promise<MeasureBucket[]> {
  return (await measureBucketsByCohort(client, database, [measure], q, [q.cohort]))[0]![measure];
}

/** A measure over the whole of [from, to): good over total, null with nothing to count. */
export type MeasureTotal = MeasureBucket & { value: number | null };

/** The whole-window total of a measure from its single bucket. */
function totalOf(m: Measure, buckets: readonly MeasureBucket[], from: number): MeasureTotal {
  const bucket = buckets[0] ?? { bucket: toMinute(from), good: 0, total: 0, ...(m === 'queue_depth' ? { p95: null, max: null } : {}) };
  return { ...bucket, value: bucket.total === 0 ? null : bucket.good / bucket.total };
}

/** Measures over the whole of [from, to) for each of `cohorts`, in one query per rollup. */
export async function measureTotalsByCohort<M extends Measure>(
  client: ClickHouseClient,
  database: string,
  measures: readonly M[],
  q: Omit<MeasureQuery, 'stepMillis' | 'cohort'>,
  cohorts: readonly (readonly CohortCondition[])[],
): Promise<Record<M, MeasureTotal>[]> {
  const span = Math.max(MINUTE, toMinute(q.to) - toMinute(q.from));
  const perCohort = await measureBucketsByCohort(client, database, measures, { ...q, stepMillis: span }, cohorts);
  return perCohort.map((buckets) => Object.fromEntries(measures.map((m) => [m, totalOf(m, buckets[m], q.from)])) as Record<M, MeasureTotal>);
}

/** One measure over the whole of [from, to) for one cohort. */
export async function measureTotal(client: ClickHouseClient, database: string, measure: Measure, q: Omit<MeasureQuery, 'stepMillis'>): Promise<MeasureTotal> {
  return (await measureTotalsByCohort(client, database, [measure], q, [q.cohort]))[0]![measure];
}

/** How the caller groups and filters a measure (the alert evaluator's labels and scope), as SQL over the rollup columns. */
export interface MeasureGrouping {
  /** e.g. `ServiceName AS service, ` (with the trailing comma), or ''. */
  select: string;
  /** e.g. `GROUP BY service`, or ''. */
  groupBy: string;
  where: string;
  params: Record<string, string>;
}

/** A ratio measure over [from, to) per group: each row has the group's columns, good and total. */
export async function measureByGroup(
  client: ClickHouseClient,
  database: string,
  measure: RatioMeasure,
  q: { from: number; to: number; now: number; delivery: DeliveryOptions },
  grouping: MeasureGrouping,
): Promise<Record<string, unknown>[]> {
  const from = toMinute(q.from);
  const to = toMinute(q.to);
  if (to <= from) return [];
  const { table, good, total } = COUNTS[measure];
  const delivery = deliveryParams(q);
  const result = await client.query({
    query: `SELECT ${grouping.select}toFloat64(${good}) AS good, toFloat64(${total}) AS total
            FROM (${rollupRowsSql(database, table, { from, to, stepMillis: to - from, hoursUntil: delivery.settled })}) WHERE ${grouping.where} ${grouping.groupBy}`,
    query_params: { ...grouping.params, ...delivery },
    format: 'JSONEachRow',
  });
  return result.json<Record<string, unknown>>();
}
