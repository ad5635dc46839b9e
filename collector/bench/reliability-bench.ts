/**
 * Reliability bench (issue: "the 90-day reliability queries stay fast: p95
 * under 500 ms with 100M events stored").
 *
 * 1. Starts a collector in this process on a fresh embedded store (temp dir,
 *    port 0; chDB binds one data directory per process, so the load goes
 *    through `collector.store.client`). Raw retention is raised to 120 days
 *    so the raw-rows baseline has the whole 90 days to read (the default 30
 *    days would have dropped most of it: that is why the rollups exist).
 * 2. Loads N events spread over the 90 days before "now" with
 *    `INSERT INTO logs SELECT … FROM numbers(…)` in chunks: conn.open,
 *    conn.close (failed attempts without a duration, some refused with HTTP
 *    401, some 1008, zombies with missed heartbeats), msg.sent, msg.acked
 *    (log-normal latency), msg.dropped, msg.replayed, msg.queued (queue
 *    depth), and two event kinds the rollups ignore; every session is in
 *    `feature_flag.resilience` on or off (half each; "on" fails less).
 *    Then tv.connection.state samples into metrics_sum: one sample per
 *    series every 5 minutes by default (the SDK exports every 10 s; fewer
 *    samples keep the load quick and weigh every state alike; one a minute
 *    adds ~3 minutes of load on 2 cores), 192 series (2 client services ×
 *    2 environments × 6 servers × 2 cohorts × 4 states). The reliability
 *    rollups (migration 0007) fill on insert, as for OTLP ingest.
 * 3. Times through HTTP, one cold run (after dropping ClickHouse's caches;
 *    the OS page cache stays warm) and --runs warm runs each: the objectives
 *    (both defaults, 90 and 30 days), the 90-day totals of a cohort, the
 *    90-day cohort comparison and the 90-day daily connection_reliability
 *    series. Target: p95 under 500 ms.
 * 4. Baseline: the same 90-day answers computed straight from the raw rows
 *    of logs and metrics_sum with the definitions of docs/objectives.md,
 *    timed the same way; every answer must equal the API's (a mismatch is a
 *    problem and fails the run).
 *
 * Usage: npx tsx --conditions=@tunnelvision/source collector/bench/reliability-bench.ts [--events N] [--chunk-rows N] [--runs N] [--baseline-runs N] [--state-interval-s N]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ClickHouseClient } from '@clickhouse/client';
import type { CohortComparisonResponse, MeasureValue, ObjectivesResponse, ReliabilityMeasure, ReliabilityResponse, SeriesResponse } from '../src/api-types.js';
import { loadCollectorConfig, startCollector, type RunningCollector } from '../src/index.js';
import { positiveInt, progressTo, runBench } from './bench-cli.js';
import { percentile } from './sample-stats.js';
import { SYNTHETIC_DEPLOYS, SYNTHETIC_SERVERS, SYNTHETIC_SERVICES } from './synthetic-events.js';

const DATABASE = 'tunnelvision';
const DEFAULT_EVENTS = 3_000_000;
const DEFAULT_CHUNK_ROWS = 1_000_000;
const DEFAULT_RUNS = 10;
/** The raw-rows baseline takes seconds per run at 5M and a minute at 100M: fewer runs by default. */
const DEFAULT_BASELINE_RUNS = 3;
const TARGET_P95_MILLIS = 500;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const SPAN_DAYS = 90;
const SPAN_MS = SPAN_DAYS * DAY;
/** The data ends this long before the load's "now", so no message is still in its 60 s ack window when measured. */
const END_GAP_MS = 2 * MINUTE;
const SESSIONS = 200_000;
const DEFAULT_STATE_INTERVAL_SECONDS = 300;
const STATES = ['open', 'connecting', 'reconnecting', 'offline'] as const;
const FLAGS = ['on', 'off'] as const;
const MERGE_SETTLE_LIMIT_MILLIS = 300_000;
/** Delivery success counts acks within this long (the default objective's threshold). */
const LATENCY_MS = 1_000;

const HELP = `TunnelVision reliability bench: the 90-day objectives, reliability totals,
cohort comparison and daily series through the HTTP API with N events stored,
against the same answers computed from the raw rows.

Usage: npx tsx --conditions=@tunnelvision/source collector/bench/reliability-bench.ts [options]

Options:
  --events N       events to load into logs, spread over the last ${SPAN_DAYS} days (default ${DEFAULT_EVENTS})
  --chunk-rows N   rows per INSERT … SELECT statement (default ${DEFAULT_CHUNK_ROWS})
  --runs N         warm runs per API query, after one cold run (default ${DEFAULT_RUNS})
  --baseline-runs N  warm runs per raw-rows baseline query, after one cold run (default ${DEFAULT_BASELINE_RUNS})
  --state-interval-s N
                   seconds between tv.connection.state samples of a series (default ${DEFAULT_STATE_INTERVAL_SECONDS};
                   the SDK exports every 10 s, 60 is closer to it and adds ~25M rows, about 3 minutes of load on 2 cores)
  --help           show this help`;

interface Options {
  events: number;
  chunkRows: number;
  runs: number;
  baselineRuns: number;
  stateIntervalMillis: number;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string' }, 'chunk-rows': { type: 'string' }, runs: { type: 'string' }, 'baseline-runs': { type: 'string' }, 'state-interval-s': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const stateIntervalMillis = positiveInt('--state-interval-s', values['state-interval-s'], DEFAULT_STATE_INTERVAL_SECONDS) * 1000;
  if (SPAN_MS % stateIntervalMillis !== 0) throw new Error(`--state-interval-s must divide ${SPAN_DAYS} days, e.g. 10, 60 or 300`);
  return {
    events: positiveInt('--events', values.events, DEFAULT_EVENTS),
    chunkRows: positiveInt('--chunk-rows', values['chunk-rows'], DEFAULT_CHUNK_ROWS),
    runs: positiveInt('--runs', values.runs, DEFAULT_RUNS),
    baselineRuns: positiveInt('--baseline-runs', values['baseline-runs'], DEFAULT_BASELINE_RUNS),
    stateIntervalMillis,
  };
}

// ---- helpers ----

const progress = progressTo('reliability-bench');
const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis));
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const fmtS = (ms: number) => (ms / 1000).toFixed(1);
const fmtBytes = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GiB` : `${(b / 1024 ** 2).toFixed(1)} MiB`);
const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const sqlArray = (items: readonly string[]) => `[${items.map(sqlString).join(', ')}]`;
const toMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
const dateTime = (ms: number) => `toDateTime(${ms / 1000})`;

function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  console.log(title);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
  console.log('');
}

async function queryRows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  const result = await client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

async function queryNumber(client: ClickHouseClient, query: string): Promise<number> {
  const [row] = await queryRows<{ value: string }>(client, query);
  return Number(row?.value ?? 0);
}

async function getJson<T>(base: string, pathAndQuery: string): Promise<T> {
  const response = await fetch(`${base}${pathAndQuery}`, { headers: { accept: 'application/json' } });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${pathAndQuery}: ${response.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

interface Timing<T> {
  cold: number;
  warm: number[];
  answer: T;
}

/** One cold run after dropping ClickHouse's caches, then `runs` warm ones. */
async function timed<T>(client: ClickHouseClient, runs: number, work: () => Promise<T>): Promise<Timing<T>> {
  for (const cache of ['MARK CACHE', 'UNCOMPRESSED CACHE', 'QUERY CACHE']) {
    await client.command({ query: `SYSTEM DROP ${cache}` }).catch((err: Error) => progress(`SYSTEM DROP ${cache} failed: ${err.message}`));
  }
  let started = performance.now();
  let answer = await work();
  const cold = performance.now() - started;
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    started = performance.now();
    answer = await work();
    warm.push(performance.now() - started);
  }
  return { cold, warm, answer };
}

// ---- load ----

/** ServiceVersion: each service's initial version, then its newest production deploy of the synthetic week for the last 30 days. */
function versionExpression(): string {
  const arms = SYNTHETIC_SERVICES.map((s) => {
    const newest = SYNTHETIC_DEPLOYS.filter((d) => d.service === s.name && d.environment === 'production').sort((a, b) => a.agoMs - b.agoMs)[0];
    return `svc = ${sqlString(s.name)}, if(ago_ms < ${30 * DAY}, ${sqlString(newest?.version ?? s.initialVersion)}, ${sqlString(s.initialVersion)})`;
  });
  return `multiIf(${arms.join(', ')}, '')`;
}

/** SDK version by age: the fleet moved to 1.0.0 45 days ago. */
const SDK_VERSION = `if(ago_ms < ${45 * DAY}, '1.0.0', '0.9.2')`;

/**
 * One chunk of `logs`: every draw is a hash of the row number, so a run is
 * reproducible for a given "now". Traffic follows a daily cycle; the "on"
 * cohort has half the failed attempts, a quarter of the zombies and a third
 * of the slow acks of "off".
 */
function logsChunkSql(offset: number, rows: number, endMs: number): string {
  const u = (k: number) => `(cityHash64(n, ${k}) % 1000003) / 1000003.0`;
  const z = (a: number, b: number) => `(sqrt(-2 * log(${u(a)} + 1e-9)) * cos(2 * pi() * ${u(b)}))`;
  return `
INSERT INTO ${DATABASE}.logs (Timestamp, ObservedTimestamp, SeverityText, SeverityNumber, ServiceName, Body, ResourceAttributes, ScopeName, ScopeVersion,
  LogAttributes, EventName, ServiceVersion, Environment, ServerAddress, Role, SessionId, ConnectionId, MessageId, Channel,
  CloseCode, CloseClean, Attempt, LatencyMs, DurationMs, MissedCount, QueueDepth)
SELECT
  fromUnixTimestamp64Milli(ts_ms) AS Timestamp,
  fromUnixTimestamp64Milli(ts_ms + toInt64(2 + cityHash64(n, 30) % 500)) AS ObservedTimestamp,
  if(event = 'msg.dropped' OR close_code IN (1006, 1008), 'WARN', 'INFO') AS SeverityText,
  toUInt8(if(SeverityText = 'WARN', 13, 9)) AS SeverityNumber,
  svc AS ServiceName,
  concat(event, if(message_id != '', concat(' ', message_id), '')) AS Body,
  map('service.name', svc, 'service.version', version, 'deployment.environment.name', env, 'telemetry.sdk.name', 'tunnelvision',
      'telemetry.sdk.language', if(role = 'client', 'webjs', 'nodejs'), 'telemetry.sdk.version', ${SDK_VERSION}) AS ResourceAttributes,
  '@tunnelvision/sdk' AS ScopeName,
  ${SDK_VERSION} AS ScopeVersion,
  mapFilter((k, v) -> v != '', map(
    'tv.session.id', session_id, 'tv.connection.id', connection_id, 'server.address', server, 'tv.role', role,
    'feature_flag.resilience', flag, 'tv.message.id', message_id,
    'tv.message.latency_ms', if(isNull(latency), '', toString(latency)),
    'tv.close.code', if(close_code = 0, '', toString(close_code)),
    'tv.connection.duration_ms', if(isNull(duration), '', toString(duration)),
    'tv.heartbeat.missed', if(missed = 0, '', toString(missed)),
    'tv.queue.depth', if(isNull(queue_depth), '', toString(queue_depth)),
    'http.response.status_code', if(refused, '401', ''))) AS LogAttributes,
  event AS EventName,
  version AS ServiceVersion,
  env AS Environment,
  server AS ServerAddress,
  role AS Role,
  session_id AS SessionId,
  connection_id AS ConnectionId,
  message_id AS MessageId,
  if(message_id != '', 'chat', '') AS Channel,
  close_code AS CloseCode,
  if(event = 'conn.close', toNullable(close_code IN (1000, 1001)), NULL) AS CloseClean,
  toUInt32(if(event IN ('conn.open', 'msg.sent'), 1, 0)) AS Attempt,
  latency AS LatencyMs,
  duration AS DurationMs,
  missed AS MissedCount,
  queue_depth AS QueueDepth
FROM
(
  SELECT
    n, ts_ms, ago_ms, event, sid, flag, svc, env, role, server, ${versionExpression()} AS version,
    concat('sess-', lower(hex(sid))) AS session_id,
    concat('conn-', lower(hex(cityHash64(sid, intDiv(ts_ms, 1200000)) % 100000000))) AS connection_id,
    if(event LIKE 'msg.%', concat('m-', lower(hex(n))), '') AS message_id,
    event = 'conn.close' AND ${u(10)} < if(flag = 'on', 0.03, 0.06) AS failed_attempt,
    failed_attempt AND ${u(11)} < 0.1 AS refused,
    multiIf(event != 'conn.close', toUInt16(0), failed_attempt, toUInt16(1006),
            toUInt16(multiIf(${u(41)} < 0.004, 1008, ${u(41)} < 0.6, 1000, ${u(41)} < 0.85, 1001, 1006))) AS close_code,
    -- Delivery latency: log-normal around ~30 ms with a slow tail (×40) past the 1 s objective.
    if(event = 'msg.acked', toNullable(round(exp(3.4 + 0.9 * ${z(44, 45)}) * if(${u(46)} < if(flag = 'on', 0.005, 0.015), 40, 1), 3)), NULL) AS latency,
    if(event = 'conn.close' AND NOT failed_attempt, toNullable(round(exp(11.5 + 1.6 * ${z(47, 48)}))), NULL) AS duration,
    toUInt32(if(event = 'conn.close' AND NOT failed_attempt AND ${u(53)} < if(flag = 'on', 0.01, 0.04), 1 + cityHash64(n, 54) % 3, 0)) AS missed,
    if(event = 'msg.queued', toNullable(toUInt32(1 + floor(-log(${u(55)} + 1e-9) * if(flag = 'on', 3, 8)))), NULL) AS queue_depth
  FROM
  (
    SELECT
      number AS n,
      cityHash64(n, 5) % ${SESSIONS} AS sid,
      if(cityHash64(sid, 11) % 2 = 0, 'on', 'off') AS flag,
      ${sqlArray(SYNTHETIC_SERVICES.map((s) => s.name))}[1 + multiIf(sid % 10 < 5, 0, sid % 10 < 8, 1, 2)] AS svc,
      if(sid % 5 = 0, 'staging', 'production') AS env,
      if(svc = 'chat-gateway', 'server', 'client') AS role,
      ${sqlArray(SYNTHETIC_SERVERS)}[1 + cityHash64(sid, 7) % ${SYNTHETIC_SERVERS.length}] AS server,
      ${u(4)} AS e,
      multiIf(e < 0.36, 'msg.sent', e < 0.70, 'msg.acked', e < 0.71, 'msg.dropped', e < 0.72, 'msg.replayed', e < 0.74, 'msg.queued',
              e < 0.80, 'conn.open', e < 0.86, 'conn.close', e < 0.88, 'conn.heartbeat.missed', 'msg.received') AS event,
      -- Milliseconds before the end: uniform over the span, warped into a daily cycle (peak about 3× the trough).
      greatest(0.0, least(${SPAN_MS - 1}.0, ${u(6)} * ${SPAN_MS} + (0.5 * ${DAY} / (2 * pi())) * sin(2 * pi() * ${u(6)} * ${SPAN_DAYS}))) AS ago_ms,
      toInt64(${endMs}) - toInt64(ago_ms) AS ts_ms
    FROM numbers(${offset}, ${rows})
  )
)
-- The rollup views side by side use the second core, as in synthetic-events.ts.
SETTINGS parallel_view_processing = 1`;
}

const CLIENT_SERVICES = SYNTHETIC_SERVICES.filter((s) => s.role === 'client').map((s) => s.name);
const STATE_SERIES = CLIENT_SERVICES.length * 2 * SYNTHETIC_SERVERS.length * FLAGS.length * STATES.length;

/**
 * tv.connection.state samples, rows [offset, offset + rows) of the span's
 * minutes × STATE_SERIES: connections per state follow the daily cycle; the
 * "off" cohort spends three times as long reconnecting. Whole numbers, so
 * sums are exact whatever the order.
 */
function statesChunkSql(offset: number, rows: number, endMs: number, intervalMillis: number): string {
  return `
INSERT INTO ${DATABASE}.metrics_sum (ResourceAttributes, ScopeName, ScopeVersion, ServiceName, ServiceVersion, Environment, MetricName, MetricDescription, MetricUnit,
  Attributes, StartTimeUnix, TimeUnix, Value, AggregationTemporality, IsMonotonic)
SELECT
  map('service.name', svc, 'deployment.environment.name', env, 'service.instance.id', concat(svc, '-', server), 'telemetry.sdk.version', ${SDK_VERSION}),
  '@tunnelvision/sdk', ${SDK_VERSION}, svc, '', env, 'tv.connection.state', 'Connections per state', '{connection}',
  map('server.address', server, 'tv.role', 'client', 'tv.state', state, 'feature_flag.resilience', flag),
  fromUnixTimestamp64Milli(toInt64(${endMs - SPAN_MS})),
  fromUnixTimestamp64Milli(ts),
  round(if(env = 'production', 250, 40) * if(svc = 'chat-web', 1, 0.6) * (1 + 0.45 * cos(2 * pi() * (ts % ${DAY}) / ${DAY}))
        * multiIf(state = 'open', 1, state = 'connecting', 0.003, state = 'reconnecting', if(flag = 'on', 0.001, 0.003), 0.002)
        + cityHash64(number) % 3),
  2, false
FROM
(
  SELECT number, toInt64(${endMs}) - toInt64(intDiv(number, ${STATE_SERIES}) * ${intervalMillis}) - ${intervalMillis / 2} AS ts, toInt64(${endMs}) - ts AS ago_ms,
         ${sqlArray(STATES)}[1 + number % ${STATES.length}] AS state,
         ${sqlArray(FLAGS)}[1 + intDiv(number, ${STATES.length}) % ${FLAGS.length}] AS flag,
         ${sqlArray(SYNTHETIC_SERVERS)}[1 + intDiv(number, ${STATES.length * FLAGS.length}) % ${SYNTHETIC_SERVERS.length}] AS server,
         if(intDiv(number, ${STATES.length * FLAGS.length * SYNTHETIC_SERVERS.length}) % 2 = 0, 'production', 'staging') AS env,
         ${sqlArray(CLIENT_SERVICES)}[1 + intDiv(number, ${STATES.length * FLAGS.length * SYNTHETIC_SERVERS.length * 2}) % ${CLIENT_SERVICES.length}] AS svc
  FROM numbers(${offset}, ${rows})
)
SETTINGS parallel_view_processing = 1`;
}

interface LoadReport {
  logsMillis: number;
  statesMillis: number;
  stateRows: number;
  mergeWaitMillis: number;
}

async function insertChunks(client: ClickHouseClient, what: string, total: number, chunkRows: number, sql: (offset: number, rows: number) => string): Promise<number> {
  const started = performance.now();
  for (let offset = 0; offset < total; offset += chunkRows) {
    const rows = Math.min(chunkRows, total - offset);
    const t = performance.now();
    await client.command({ query: sql(offset, rows) });
    progress(`${what}: ${fmtInt(offset + rows)} / ${fmtInt(total)} rows (chunk ${fmtS(performance.now() - t)} s)`);
  }
  return performance.now() - started;
}

async function loadData(client: ClickHouseClient, options: Options, endMs: number): Promise<LoadReport> {
  const logsMillis = await insertChunks(client, 'logs', options.events, options.chunkRows, (offset, rows) => logsChunkSql(offset, rows, endMs));
  const stateRows = (SPAN_MS / options.stateIntervalMillis) * STATE_SERIES;
  const statesMillis = await insertChunks(client, 'tv.connection.state samples', stateRows, options.chunkRows, (offset, rows) =>
    statesChunkSql(offset, rows, endMs, options.stateIntervalMillis),
  );
  const stored = await queryNumber(client, `SELECT count() AS value FROM ${DATABASE}.logs`);
  if (stored !== options.events) throw new Error(`expected ${options.events} rows in logs, found ${stored}`);
  // Let background merges of the fresh parts settle so they do not compete with the measurements.
  const started = performance.now();
  while (performance.now() - started < MERGE_SETTLE_LIMIT_MILLIS) {
    if ((await queryNumber(client, `SELECT count() AS value FROM system.merges WHERE database = '${DATABASE}'`)) === 0) break;
    await sleep(1_000);
  }
  return { logsMillis, statesMillis, stateRows, mergeWaitMillis: performance.now() - started };
}

async function printSizes(client: ClickHouseClient): Promise<void> {
  const parts = await queryRows<{ table: string; parts: string; rows: string; bytes: string }>(
    client,
    `SELECT table, count() AS parts, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
     WHERE database = '${DATABASE}' AND active AND table IN ('logs', 'metrics_sum', 'reliability_1m', 'reliability_1h', 'connection_states_1m', 'connection_states_1h')
     GROUP BY table ORDER BY table`,
  );
  printTable(
    'What the queries read: the raw tables (the baseline) and the reliability rollups (the API); active parts',
    ['table', 'parts', 'rows', 'on disk'],
    parts.map((p) => [p.table, fmtInt(Number(p.parts)), fmtInt(Number(p.rows)), fmtBytes(Number(p.bytes))]),
  );
}

// ---- the raw-rows baseline: docs/objectives.md's definitions straight over logs and metrics_sum ----

interface RawCounts {
  measures: Record<ReliabilityMeasure, { good: number; total: number }>;
  queueSamples: number;
  queueMax: number | null;
}

/** Feature flags of the record win over the resource's, as in the rollups' FeatureFlags. */
const LOG_FLAG = `if(mapContains(LogAttributes, 'feature_flag.resilience'), LogAttributes['feature_flag.resilience'], ResourceAttributes['feature_flag.resilience'])`;
const STATE_FLAG = `if(mapContains(Attributes, 'feature_flag.resilience'), Attributes['feature_flag.resilience'], ResourceAttributes['feature_flag.resilience'])`;

interface RawWindow {
  from: number;
  to: number;
  /** Messages sent from this minute on are still in their ack window. */
  settled: number;
  /** Cohorts to keep, by their flag; `null` keeps every client. */
  flags: readonly string[] | null;
}

/** Event counts per cohort; acks count in the minute their message was sent (ack time minus latency). */
function rawLogsSql(w: RawWindow): string {
  const minute = `toStartOfMinute(if(EventName = 'msg.acked' AND LatencyMs IS NOT NULL, Timestamp - toIntervalMillisecond(toInt64(LatencyMs)), Timestamp))`;
  return `
SELECT ${w.flags ? LOG_FLAG : `''`} AS cohort,
  countIf(EventName = 'conn.open' OR (EventName = 'conn.close' AND DurationMs IS NULL)) AS attempts,
  countIf(EventName = 'conn.close' AND DurationMs IS NULL) AS failed,
  countIf(EventName = 'conn.close' AND (CloseCode = 1008 OR (DurationMs IS NULL AND (
    LogAttributes['http.response.status_code'] IN ('401', '403') OR match(LogAttributes['error.type'], '^(HTTP\\\\s*)?40[13]$'))))) AS auth,
  countIf(EventName = 'conn.close' AND DurationMs IS NOT NULL) AS closes,
  countIf(EventName = 'conn.close' AND DurationMs IS NOT NULL AND MissedCount > 0) AS zombies,
  countIf(EventName = 'msg.sent') AS sent,
  countIf(EventName = 'msg.sent' AND minute < ${dateTime(w.settled)}) AS sent_settled,
  countIf(EventName = 'msg.acked' AND LatencyMs <= ${LATENCY_MS} AND minute < ${dateTime(w.settled)}) AS acked_in_time,
  countIf(EventName = 'msg.replayed') AS replays,
  countIf(QueueDepth IS NOT NULL) AS queue_samples,
  maxIf(assumeNotNull(QueueDepth), QueueDepth IS NOT NULL) AS queue_max
FROM ${DATABASE}.logs
-- An ack is never before its send, so nothing counted in the window is older than its start.
WHERE Timestamp >= ${dateTime(w.from)} AND (${minute} AS minute) >= ${dateTime(w.from)} AND minute < ${dateTime(w.to)}
  AND EventName IN ('conn.open', 'conn.close', 'msg.sent', 'msg.acked', 'msg.dropped', 'msg.replayed', 'msg.queued')
  AND Role != 'server' ${w.flags ? `AND cohort IN (${w.flags.map(sqlString).join(', ')})` : ''}
GROUP BY cohort`;
}

/** Connected samples over wanted samples, per `key` (a cohort or a bucket). */
function rawStatesSql(w: RawWindow, key: string): string {
  return `
SELECT ${key} AS key, sumIf(greatest(Value, 0), Attributes['tv.state'] = 'open') AS good, sum(greatest(Value, 0)) AS total
FROM ${DATABASE}.metrics_sum
WHERE MetricName = 'tv.connection.state' AND Attributes['tv.state'] IN ('connecting', 'open', 'reconnecting', 'offline')
  AND TimeUnix >= ${dateTime(w.from)} AND TimeUnix < ${dateTime(w.to)}
  AND if(Attributes['tv.role'] != '', Attributes['tv.role'], ResourceAttributes['tv.role']) != 'server'
  ${w.flags ? `AND ${STATE_FLAG} IN (${w.flags.map(sqlString).join(', ')})` : ''}
GROUP BY key ORDER BY key`;
}

/** Every measure per cohort from the raw rows, the two tables read side by side as the API reads its two rollups. */
async function rawCohortCounts(client: ClickHouseClient, w: RawWindow): Promise<Map<string, RawCounts>> {
  type LogRow = Record<'cohort' | 'attempts' | 'failed' | 'auth' | 'closes' | 'zombies' | 'sent' | 'sent_settled' | 'acked_in_time' | 'replays' | 'queue_samples' | 'queue_max', string>;
  const [logs, states] = await Promise.all([
    queryRows<LogRow>(client, rawLogsSql(w)),
    queryRows<{ key: string; good: number; total: number }>(client, rawStatesSql(w, w.flags ? STATE_FLAG : `''`)),
  ]);
  const counts = new Map<string, RawCounts>();
  for (const r of logs) {
    const n = (k: keyof LogRow) => Number(r[k]);
    const state = states.find((s) => s.key === r.cohort);
    counts.set(r.cohort, {
      measures: {
        connection_reliability: { good: Number(state?.good ?? 0), total: Number(state?.total ?? 0) },
        connect_success_ratio: { good: n('attempts') - n('failed'), total: n('attempts') },
        delivery_success: { good: Math.min(n('acked_in_time'), n('sent_settled')), total: n('sent_settled') },
        zombie_connections: { good: n('zombies'), total: n('closes') },
        replays: { good: n('replays'), total: n('sent') },
        auth_failures: { good: n('auth'), total: n('attempts') },
      },
      queueSamples: n('queue_samples'),
      queueMax: n('queue_samples') > 0 ? n('queue_max') : null,
    });
  }
  return counts;
}

// ---- answers, API against raw ----

const problems: string[] = [];
const answerRows: string[][] = [];
const ratio = (good: number, total: number) => (total === 0 ? 'n/a' : `${((good / total) * 100).toFixed(4)} %`);

function record(what: string, api: string, apiRatio: string, raw: string, rawRatio: string, agree: boolean): void {
  answerRows.push([what, api, apiRatio, raw, rawRatio, agree ? 'yes' : 'NO']);
  if (!agree) problems.push(`${what}: API ${api}, raw rows ${raw}`);
}

function check(what: string, api: { good: number; total: number }, raw: { good: number; total: number } | undefined): void {
  const pair = (c: { good: number; total: number }) => `${fmtInt(c.good)} / ${fmtInt(c.total)}`;
  const agree = raw !== undefined && api.good === raw.good && api.total === raw.total;
  record(what, pair(api), ratio(api.good, api.total), raw ? pair(raw) : 'missing', raw ? ratio(raw.good, raw.total) : '', agree);
}

function checkCohort(label: string, api: { measures: Record<ReliabilityMeasure, MeasureValue>; queue: { samples: number; max: number | null } }, raw: RawCounts | undefined): void {
  for (const m of Object.keys(api.measures) as ReliabilityMeasure[]) check(`${label}: ${m}`, api.measures[m], raw?.measures[m]);
  // The p95 is a t-digest estimate in the rollups; the sample count and the maximum are exact.
  const queue = (samples: number, max: number | null) => `max ${max ?? '-'} of ${fmtInt(samples)}`;
  record(
    `${label}: queue depth`,
    queue(api.queue.samples, api.queue.max),
    '',
    raw ? queue(raw.queueSamples, raw.queueMax) : 'missing',
    '',
    raw !== undefined && raw.queueSamples === api.queue.samples && raw.queueMax === api.queue.max,
  );
}

// ---- main ----

const COHORT_ON = 'feature_flag.resilience:on';
const COHORT_OFF = 'feature_flag.resilience:off';

const byMeasure = (resp: CohortComparisonResponse, side: 'a' | 'b') =>
  Object.fromEntries(resp.measures.map((m) => [m.measure, m[side]])) as Record<ReliabilityMeasure, MeasureValue>;

async function measure(collector: RunningCollector, options: Options, load: LoadReport): Promise<void> {
  const client = collector.store.client;
  const base = collector.url;
  const to = toMinute(Date.now());
  const from = to - SPAN_MS;
  const window = `from=${from}&to=${to}`;
  // Data ends END_GAP_MS before the load started, so any ack window ending at or after `to` leaves the same messages out.
  const settled = toMinute(to - MINUTE);
  progress(`measuring [${new Date(from).toISOString()}, ${new Date(to).toISOString()}), ${options.runs} warm runs per query`);

  const objectives = await timed(client, options.runs, () => getJson<ObjectivesResponse>(base, '/api/v1/objectives'));
  const totals = await timed(client, options.runs, () => getJson<ReliabilityResponse>(base, `/api/v1/reliability?${window}&cohort=${COHORT_ON}`));
  const compare = await timed(client, options.runs, () => getJson<CohortComparisonResponse>(base, `/api/v1/reliability/compare?${window}&a=${COHORT_ON}&b=${COHORT_OFF}`));
  const series = await timed(client, options.runs, () => getJson<SeriesResponse>(base, `/api/v1/series?metric=connection_reliability&${window}&step=1d`));

  progress('the same answers from the raw rows');
  const rawTotals = await timed(client, options.baselineRuns, () => rawCohortCounts(client, { from, to, settled, flags: ['on'] }));
  const rawCompare = await timed(client, options.baselineRuns, () => rawCohortCounts(client, { from, to, settled, flags: ['on', 'off'] }));
  const first = Math.floor(from / DAY) * DAY;
  const dayBucket = `intDiv(toUnixTimestamp(TimeUnix) * 1000 - ${first}, ${DAY}) * ${DAY} + ${first}`;
  const rawSeries = await timed(client, options.baselineRuns, () =>
    queryRows<{ key: string; good: number; total: number }>(client, rawStatesSql({ from: first, to, settled, flags: null }, dayBucket)),
  );

  const api = [
    { name: 'GET /api/v1/objectives (90d + 30d)', t: objectives },
    { name: `GET /api/v1/reliability 90d, ${COHORT_ON}`, t: totals },
    { name: 'GET /api/v1/reliability/compare 90d, on vs off', t: compare },
    { name: 'GET /api/v1/series connection_reliability 90d step=1d', t: series },
  ];
  printTable(
    `90-day reliability queries over HTTP, ${fmtInt(options.events)} events + ${fmtInt(load.stateRows)} state samples stored (ms; cold = first run after dropping ClickHouse's caches, then ${options.runs} warm runs)`,
    ['query', 'cold', 'p50', 'p95', 'max', 'target p95', 'result'],
    api.map(({ name, t }) => {
      const p95 = percentile(t.warm, 0.95);
      const pass = p95 < TARGET_P95_MILLIS;
      if (!pass) problems.push(`${name}: p95 ${fmtMs(p95)} ms, target < ${TARGET_P95_MILLIS} ms`);
      return [name, fmtMs(t.cold), fmtMs(percentile(t.warm, 0.5)), fmtMs(p95), fmtMs(Math.max(...t.warm)), `< ${TARGET_P95_MILLIS}`, pass ? 'pass' : 'FAIL'];
    }),
  );
  const baseline = [
    { name: 'raw rows: 90d totals, on', t: rawTotals, vs: totals },
    { name: 'raw rows: 90d comparison, on vs off', t: rawCompare, vs: compare },
    { name: 'raw rows: 90d daily connection_reliability', t: rawSeries, vs: series },
  ];
  printTable(
    'Baseline: the same answers computed from the raw rows of logs and metrics_sum, timed the same way (ms; speed-up = raw p50 / API p50)',
    ['query', 'cold', 'p50', 'p95', 'max', 'speed-up'],
    baseline.map(({ name, t, vs }) => [
      name,
      fmtMs(t.cold),
      fmtMs(percentile(t.warm, 0.5)),
      fmtMs(percentile(t.warm, 0.95)),
      fmtMs(Math.max(...t.warm)),
      `${(percentile(t.warm, 0.5) / percentile(vs.warm, 0.5)).toFixed(1)}×`,
    ]),
  );

  const t = totals.answer;
  checkCohort('totals on', { measures: t.measures, queue: t.queue_depth }, rawTotals.answer.get('on'));
  const c = compare.answer;
  checkCohort('compare a (on)', { measures: byMeasure(c, 'a'), queue: c.queue_depth.a }, rawCompare.answer.get('on'));
  checkCohort('compare b (off)', { measures: byMeasure(c, 'b'), queue: c.queue_depth.b }, rawCompare.answer.get('off'));
  const rawDays = new Map(rawSeries.answer.map((r) => [Number(r.key), r]));
  const differing = series.answer.points.filter((p) => {
    const raw = rawDays.get(Date.parse(p.t));
    return p.v !== (raw && raw.total > 0 ? raw.good / raw.total : null);
  });
  record(
    'daily series: connection_reliability',
    `${series.answer.points.length} days`,
    '',
    `${rawDays.size} days`,
    '',
    differing.length === 0 && rawDays.size > 0,
  );
  for (const p of differing.slice(0, 3)) problems.push(`series day ${p.t}: API ${p.v}, raw ${JSON.stringify(rawDays.get(Date.parse(p.t)) ?? null)}`);
  // The objectives as answered (their own windows, every client): the same two measures from the raw rows.
  for (const o of objectives.answer.objectives) {
    const w: RawWindow = { from: Date.parse(o.from), to: Date.parse(o.to), settled: toMinute(Date.parse(objectives.answer.evaluated_at) - MINUTE), flags: null };
    const raw = (await rawCohortCounts(client, w)).get('');
    check(`objective ${o.id} (${o.window})`, { good: o.good, total: o.total }, raw?.measures[o.measure]);
  }
  printTable('Answers: API against the raw rows (good / total; they must agree)', ['answer', 'API', 'API ratio', 'raw rows', 'raw ratio', 'agree'], answerRows);
}

async function main(options: Options): Promise<readonly string[]> {
  const tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tv-reliability-bench-'));
  // The evaluator's timer is set far out so alert cycles do not run alongside the timed queries.
  const config = loadCollectorConfig({}, [], {
    port: 0,
    grpcPort: 'off',
    host: '127.0.0.1',
    dataDir: tempRoot,
    clickhouseUrl: undefined,
    logLevel: 'silent',
    retentionDays: 120,
    alertEvaluationIntervalMillis: 600_000,
  });
  const collector = await startCollector(config);
  try {
    const endMs = Date.now() - END_GAP_MS;
    progress(`collector at ${collector.url}, store ${tempRoot}; loading ${fmtInt(options.events)} events over ${SPAN_DAYS} days`);
    const load = await loadData(collector.store.client, options, endMs);
    printTable(
      `Load: INSERT … SELECT FROM numbers, ${fmtInt(options.chunkRows)} rows per statement; the reliability rollups fill on insert`,
      ['', 'value'],
      [
        ['events (logs)', fmtInt(options.events)],
        ['events load time', `${fmtS(load.logsMillis)} s (${fmtInt(options.events / (load.logsMillis / 1000))} rows/s)`],
        [`tv.connection.state samples (${STATE_SERIES} series, 1 per ${options.stateIntervalMillis / 1000} s)`, fmtInt(load.stateRows)],
        ['samples load time', `${fmtS(load.statesMillis)} s`],
        ['waited for background merges', `${fmtS(load.mergeWaitMillis)} s`],
      ],
    );
    await printSizes(collector.store.client);
    await measure(collector, options, load);
    const rss = process.resourceUsage().maxRSS * 1024;
    console.log(`Peak RSS (node + embedded ClickHouse): ${fmtBytes(rss)}. Machine: ${os.cpus().length} CPUs, ${fmtBytes(os.totalmem())}, Node ${process.version}.`);
    return problems;
  } finally {
    await collector.stop();
    await rm(tempRoot, { recursive: true, force: true });
  }
}

runBench({ parse: parseOptions, help: HELP, main });
