import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertGroupLabel, AlertObjective, AlertRule } from '../../api-types.js';
import { EVENT_CONDITIONS, OBJECTIVE_COUNTS, type CountedSignal } from '../../query/event-conditions.js';
import { filterSql } from '../../query/filters.js';
import { DEFAULT_DELIVERY, measureByGroup, type LatencyThreshold } from '../../reliability/measures.js';
import type { FirstSeenCache } from './first-seen-cache.js';

/**
 * What the alert evaluator reads from the store, per label group. Recent
 * windows come from the 10-second rollups (events_10s, latency_10s), so a
 * storm is visible seconds after it starts; seasonal baselines come from
 * the per-minute rollups, which keep 400 days.
 */

const GROUP_COLUMNS: Record<AlertGroupLabel, string> = { service: 'ServiceName', environment: 'Environment', server: 'ServerAddress' };

/** Label values of one group, e.g. { service: 'chat', environment: 'prod', server: 'gw-1:443' }. */
export type GroupLabels = Record<string, string>;

/** A stable key for a group's labels. */
export function groupKey(labels: GroupLabels): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

interface Scope {
  groupBy: readonly AlertGroupLabel[];
  filters: AlertRule['filters'];
}

function scopeSql(scope: Scope): { select: string; groupBy: string; where: string; params: Record<string, string> } {
  const columns = scope.groupBy.map((label) => `${GROUP_COLUMNS[label]} AS ${label}`);
  const { where, params } = filterSql(scope.filters);
  return {
    select: columns.length > 0 ? `${columns.join(', ')}, ` : '',
    groupBy: scope.groupBy.length > 0 ? `GROUP BY ${scope.groupBy.join(', ')}` : '',
    where,
    params,
  };
}

function labelsOf(row: Record<string, unknown>, groupBy: readonly AlertGroupLabel[]): GroupLabels {
  return Object.fromEntries(groupBy.map((label) => [label, String(row[label] ?? '')]));
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

/** The 10-second buckets [start, end) of a trailing window, epoch seconds. */
export interface BucketRange {
  start: number;
  end: number;
}

// Events stamped in the future (a client clock running fast) must not count before their time.
const IN_RANGE = `Bucket >= toDateTime({start:UInt32}) AND Bucket < toDateTime({end:UInt32})`;

/** Events of a counted signal in the window, per group. */
export async function readRecentCounts(
  client: ClickHouseClient,
  database: string,
  signal: CountedSignal,
  range: BucketRange,
  scope: Scope,
): Promise<{ labels: GroupLabels; count: number }[]> {
  const s = scopeSql(scope);
  const found = await rows<Record<string, unknown> & { n: string }>(
    client,
    `SELECT ${s.select}sum(Events) AS n FROM ${database}.events_10s
     WHERE ${IN_RANGE} AND ${EVENT_CONDITIONS[signal]} AND ${s.where} ${s.groupBy}`,
    { ...s.params, ...range },
  );
  return found.map((r) => ({ labels: labelsOf(r, scope.groupBy), count: Number(r.n) }));
}

/** A delivery-latency percentile (ms) in the window, per group with acks. */
export async function readRecentLatency(
  client: ClickHouseClient,
  database: string,
  quantile: 0.5 | 0.95 | 0.99,
  range: BucketRange,
  scope: Scope,
): Promise<{ labels: GroupLabels; value: number }[]> {
  const s = scopeSql(scope);
  const index = { 0.5: 1, 0.95: 2, 0.99: 3 }[quantile];
  const found = await rows<Record<string, unknown> & { q: number }>(
    client,
    `SELECT ${s.select}quantilesTDigestMerge(0.5, 0.95, 0.99)(Latency)[${index}] AS q FROM ${database}.latency_10s
     WHERE ${IN_RANGE} AND ${s.where} ${s.groupBy}`,
    { ...s.params, ...range },
  );
  return found.filter((r) => Number.isFinite(Number(r.q))).map((r) => ({ labels: labelsOf(r, scope.groupBy), value: Number(r.q) }));
}

/** A group's per-minute counts of one signal (epoch second -> events) and when it first reported any event. */
export interface GroupHistory {
  firstSeenSeconds: number;
  minutes: Map<number, number>;
}

/**
 * Per-minute counts of a signal from the per-minute rollup over the given
 * minute ranges ([start, end) epoch seconds), for the listed groups only.
 * The anomaly baseline sums these into its historical windows.
 */
export async function readMinuteCounts(
  client: ClickHouseClient,
  database: string,
  signal: CountedSignal,
  ranges: readonly { start: number; end: number }[],
  scope: Scope,
  groups: readonly GroupLabels[],
  firstSeen: FirstSeenCache,
  now: number,
): Promise<Map<string, GroupHistory>> {
  const out = new Map<string, GroupHistory>();
  if (ranges.length === 0 || groups.length === 0) return out;
  ranges = mergeRanges(ranges);
  const s = scopeSql(scope);
  const bounds = { lo: Math.min(...ranges.map((r) => r.start)), hi: Math.max(...ranges.map((r) => r.end)) };
  const cacheKey = (labels: GroupLabels) => `${JSON.stringify(scope.filters)}|${groupKey(labels)}`;
  const unknown = groups.filter((g) => firstSeen.get(cacheKey(g), now) === undefined);
  // Only the listed groups. Labels joined by a newline (which label values
  // do not contain) make one comparable key per group.
  const groupFilter = (param: string) =>
    scope.groupBy.length === 0 ? '' : `AND arrayStringConcat([${scope.groupBy.map((l) => GROUP_COLUMNS[l]).join(', ')}], '\\n') IN {${param}:Array(String)}`;
  const keysOf = (list: readonly GroupLabels[]) => list.map((g) => scope.groupBy.map((l) => g[l] ?? '').join('\n'));
  const [found, seen] = await Promise.all([
    rows<Record<string, unknown> & { minute: string; n: string }>(
      client,
      `SELECT ${s.select}toUnixTimestamp(Minute) AS minute, sum(Events) AS n FROM ${database}.events_1m
       WHERE arrayExists((a, b) -> Minute >= toDateTime(a) AND Minute < toDateTime(b), {starts:Array(UInt32)}, {ends:Array(UInt32)})
         AND Minute >= toDateTime({lo:UInt32}) AND Minute < toDateTime({hi:UInt32})
         AND ${EVENT_CONDITIONS[signal]} AND ${s.where} ${groupFilter('groups')}
       GROUP BY ${[...scope.groupBy, 'minute'].join(', ')}`,
      { ...s.params, ...bounds, starts: ranges.map((r) => r.start), ends: ranges.map((r) => r.end), groups: keysOf(groups) },
    ),
    // When each group first reported anything: windows before it are missing history, not quiet minutes.
    unknown.length === 0
      ? Promise.resolve([])
      : rows<Record<string, unknown> & { first: string }>(
          client,
          `SELECT ${s.select}toUnixTimestamp(min(Minute)) AS first FROM ${database}.events_1m
           WHERE Minute >= toDateTime({lo:UInt32}) AND ${s.where} ${groupFilter('unknown')} ${s.groupBy}`,
          { ...s.params, ...bounds, unknown: keysOf(unknown) },
        ),
  ]);
  for (const r of seen) firstSeen.set(cacheKey(labelsOf(r, scope.groupBy)), Number(r.first), now);
  for (const labels of groups) {
    out.set(groupKey(labels), { firstSeenSeconds: firstSeen.get(cacheKey(labels), now) ?? Infinity, minutes: new Map() });
  }
  for (const r of found) out.get(groupKey(labelsOf(r, scope.groupBy)))?.minutes.set(Number(r.minute), Number(r.n));
  return out;
}

/** Overlapping or touching ranges joined, so hundreds of baseline windows become a handful of ranges to test. */
export function mergeRanges(ranges: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/** Bad and total events of an objective in each trailing window. */
export interface ObjectiveWindowCounts {
  labels: GroupLabels;
  /** Same order as the `windowsSeconds` asked for. */
  bad: number[];
  total: number[];
}

/** The 1.05-ratio histogram bucket above which every ack is slower than `thresholdMs` (see latency_10s). */
export function slowBucketIndex(thresholdMs: number): number {
  return Math.ceil(Math.log(Math.max(thresholdMs, 1)) / Math.log(1.05));
}

/**
 * An objective's bad and total events over trailing windows ending now, per
 * group, in one query: message_loss = dropped / sent, connect_success =
 * failed attempts / (opens + failed attempts), delivery_latency = acks
 * slower than the threshold (to within 5 %) / acks.
 */
export async function readObjectiveWindows(
  client: ClickHouseClient,
  database: string,
  objective: AlertObjective,
  latencyThresholdMs: number | undefined,
  nowSeconds: number,
  windowsSeconds: readonly number[],
  scope: Scope,
): Promise<ObjectiveWindowCounts[]> {
  if (objective === 'connection_reliability' || objective === 'delivery_success') {
    return readMeasureWindows(client, database, objective, latencyThresholdMs, nowSeconds, windowsSeconds, scope);
  }
  const s = scopeSql(scope);
  const longest = Math.max(...windowsSeconds);
  const since = (i: number) => `Bucket >= toDateTime({now:UInt32} - ${Math.floor(windowsSeconds[i]!)})`;
  let bad: string;
  let total: string;
  let table: string;
  if (objective === 'delivery_latency') {
    table = 'latency_10s';
    const slowest = `arraySum(arrayFilter((n, i) -> i > {slow:UInt16}, Histogram.2, Histogram.1))`;
    bad = slowest;
    total = 'Count';
  } else {
    table = 'events_10s';
    const counts = OBJECTIVE_COUNTS[objective];
    bad = `if(${counts.bad}, Events, 0)`;
    total = `if(${counts.total}, Events, 0)`;
  }
  const columns = windowsSeconds.map((_, i) => `sumIf(${bad}, ${since(i)}) AS bad${i}, sumIf(${total}, ${since(i)}) AS total${i}`).join(', ');
  const found = await rows<Record<string, unknown>>(
    client,
    `SELECT ${s.select}${columns} FROM ${database}.${table}
     WHERE Bucket >= toDateTime({now:UInt32} - ${Math.floor(longest)}) AND Bucket <= toDateTime({now:UInt32}) AND ${s.where} ${s.groupBy}`,
    { ...s.params, now: nowSeconds, slow: latencyThresholdMs === undefined ? 0 : slowBucketIndex(latencyThresholdMs) },
  );
  return found.map((r) => ({
    labels: labelsOf(r, scope.groupBy),
    bad: windowsSeconds.map((_, i) => Number(r[`bad${i}`] ?? 0)),
    total: windowsSeconds.map((_, i) => Number(r[`total${i}`] ?? 0)),
  }));
}

/**
 * The objectives of docs/objectives.md that the reliability rollups measure
 * (per minute), read through the same definitions as the objectives API:
 * bad = total - good, per group, one query per window.
 */
async function readMeasureWindows(
  client: ClickHouseClient,
  database: string,
  objective: 'connection_reliability' | 'delivery_success',
  latencyThresholdMs: number | undefined,
  nowSeconds: number,
  windowsSeconds: readonly number[],
  scope: Scope,
): Promise<ObjectiveWindowCounts[]> {
  const s = scopeSql(scope);
  const now = nowSeconds * 1000;
  const delivery = { ...DEFAULT_DELIVERY, latencyThresholdMillis: (latencyThresholdMs ?? DEFAULT_DELIVERY.latencyThresholdMillis) as LatencyThreshold };
  const perWindow = await Promise.all(
    windowsSeconds.map((w) => measureByGroup(client, database, objective, { from: now - w * 1000, to: now + 60_000, now, delivery }, s)),
  );
  const groups = new Map<string, ObjectiveWindowCounts>();
  perWindow.forEach((rows, i) => {
    for (const row of rows) {
      const labels = labelsOf(row, scope.groupBy);
      const key = groupKey(labels);
      const counts = groups.get(key) ?? { labels, bad: windowsSeconds.map(() => 0), total: windowsSeconds.map(() => 0) };
      counts.total[i] = Number(row.total ?? 0);
      counts.bad[i] = counts.total[i]! - Number(row.good ?? 0);
      groups.set(key, counts);
    }
  });
  return [...groups.values()];
}
