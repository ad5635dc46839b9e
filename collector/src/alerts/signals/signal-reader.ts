import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertGroupLabel, AlertObjective, AlertRule } from '../../api-types.js';
import { EVENT_CONDITIONS, type CountedSignal } from '../../query/event-conditions.js';
import { filterSql } from '../../query/filters.js';

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

/** Events of a counted signal since `startSeconds` (a 10 s boundary), per group. */
export async function readRecentCounts(
  client: ClickHouseClient,
  database: string,
  signal: CountedSignal,
  startSeconds: number,
  scope: Scope,
): Promise<{ labels: GroupLabels; count: number }[]> {
  const s = scopeSql(scope);
  const found = await rows<Record<string, unknown> & { n: string }>(
    client,
    `SELECT ${s.select}sum(Events) AS n FROM ${database}.events_10s
     WHERE Bucket >= toDateTime({start:UInt32}) AND ${EVENT_CONDITIONS[signal]} AND ${s.where} ${s.groupBy}`,
    { ...s.params, start: startSeconds },
  );
  return found.map((r) => ({ labels: labelsOf(r, scope.groupBy), count: Number(r.n) }));
}

/** A delivery-latency percentile (ms) since `startSeconds`, per group with acks. */
export async function readRecentLatency(
  client: ClickHouseClient,
  database: string,
  quantile: 0.5 | 0.95 | 0.99,
  startSeconds: number,
  scope: Scope,
): Promise<{ labels: GroupLabels; value: number }[]> {
  const s = scopeSql(scope);
  const index = { 0.5: 1, 0.95: 2, 0.99: 3 }[quantile];
  const found = await rows<Record<string, unknown> & { q: number }>(
    client,
    `SELECT ${s.select}quantilesTDigestMerge(0.5, 0.95, 0.99)(Latency)[${index}] AS q FROM ${database}.latency_10s
     WHERE Bucket >= toDateTime({start:UInt32}) AND ${s.where} ${s.groupBy}`,
    { ...s.params, start: startSeconds },
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
): Promise<Map<string, GroupHistory>> {
  const out = new Map<string, GroupHistory>();
  if (ranges.length === 0 || groups.length === 0) return out;
  ranges = mergeRanges(ranges);
  const s = scopeSql(scope);
  const params: Record<string, unknown> = { ...s.params, starts: ranges.map((r) => r.start), ends: ranges.map((r) => r.end) };
  // Only the groups that need a baseline. Labels joined by a newline (which
  // label values do not contain) make one comparable key per group.
  const groupFilter =
    scope.groupBy.length === 0 ? '' : `AND arrayStringConcat([${scope.groupBy.map((l) => GROUP_COLUMNS[l]).join(', ')}], '\\n') IN {groups:Array(String)}`;
  if (scope.groupBy.length > 0) params.groups = groups.map((g) => scope.groupBy.map((l) => g[l] ?? '').join('\n'));
  const bounds = { lo: Math.min(...ranges.map((r) => r.start)), hi: Math.max(...ranges.map((r) => r.end)) };
  const [found, seen] = await Promise.all([
    rows<Record<string, unknown> & { minute: string; n: string }>(
      client,
      `SELECT ${s.select}toUnixTimestamp(Minute) AS minute, sum(Events) AS n FROM ${database}.events_1m
       WHERE arrayExists((a, b) -> Minute >= toDateTime(a) AND Minute < toDateTime(b), {starts:Array(UInt32)}, {ends:Array(UInt32)})
         AND Minute >= toDateTime({lo:UInt32}) AND Minute < toDateTime({hi:UInt32})
         AND ${EVENT_CONDITIONS[signal]} AND ${s.where} ${groupFilter}
       GROUP BY ${[...scope.groupBy, 'minute'].join(', ')}`,
      { ...params, ...bounds },
    ),
    // When each group first reported anything: windows before it are missing history, not quiet minutes.
    rows<Record<string, unknown> & { first: string }>(
      client,
      `SELECT ${s.select}toUnixTimestamp(min(Minute)) AS first FROM ${database}.events_1m
       WHERE Minute >= toDateTime({lo:UInt32}) AND ${s.where} ${groupFilter} ${s.groupBy}`,
      { ...params, ...bounds },
    ),
  ]);
  const historyOf = (row: Record<string, unknown>) => {
    const key = groupKey(labelsOf(row, scope.groupBy));
    let history = out.get(key);
    if (!history) out.set(key, (history = { firstSeenSeconds: Infinity, minutes: new Map() }));
    return history;
  };
  for (const r of seen) historyOf(r).firstSeenSeconds = Number(r.first);
  for (const r of found) historyOf(r).minutes.set(Number(r.minute), Number(r.n));
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
    const [badSignal, totalSql] =
      objective === 'message_loss'
        ? (['messages_lost', `(${EVENT_CONDITIONS.messages_sent})`] as const)
        : (['failed_attempts', `(${EVENT_CONDITIONS.connects} OR ${EVENT_CONDITIONS.failed_attempts})`] as const);
    bad = `if(${EVENT_CONDITIONS[badSignal]}, Events, 0)`;
    total = `if(${totalSql}, Events, 0)`;
  }
  const columns = windowsSeconds.map((_, i) => `sumIf(${bad}, ${since(i)}) AS bad${i}, sumIf(${total}, ${since(i)}) AS total${i}`).join(', ');
  const found = await rows<Record<string, unknown>>(
    client,
    `SELECT ${s.select}${columns} FROM ${database}.${table}
     WHERE Bucket >= toDateTime({now:UInt32} - ${Math.floor(longest)}) AND ${s.where} ${s.groupBy}`,
    { ...s.params, now: nowSeconds, slow: latencyThresholdMs === undefined ? 0 : slowBucketIndex(latencyThresholdMs) },
  );
  return found.map((r) => ({
    labels: labelsOf(r, scope.groupBy),
    bad: windowsSeconds.map((_, i) => Number(r[`bad${i}`] ?? 0)),
    total: windowsSeconds.map((_, i) => Number(r[`total${i}`] ?? 0)),
  }));
}
