/**
 * Overview at scale (issue 5): page load and API latency of the overview with
 * millions of TunnelVision events in the store.
 *
 * 1. Starts a collector in-process on a fresh embedded store (temp dir,
 *    port 0). chDB binds one data directory per process, so the load runs in
 *    this process through `collector.store.client`.
 * 2. Loads N synthetic events spread over the last 7 days with
 *    `INSERT INTO logs SELECT … FROM numbers(…)`, generated inside ClickHouse
 *    in chunks (no rows are built in JS). The rollup materialized views fill
 *    events_1m / latency_1m on insert, exactly as for OTLP ingest. A per-minute
 *    `tv.connection.active` counter per server goes into metrics_sum (a few
 *    thousand rows, not counted in N) so the active-connections chart has data,
 *    and a handful of deploy markers are posted through POST /api/v1/deploys.
 * 3. Measures the overview's API calls straight against the collector for the
 *    1h, 24h and 7d presets: every call the page makes (a series per overview
 *    metric, close-codes, deploys, labels), issued together with Promise.all as
 *    the page does. One cold batch (after dropping ClickHouse's mark,
 *    uncompressed and query caches; the OS page cache stays warm) and 5 warm
 *    batches.
 * 4. Builds the dashboard if the build is stale (test/support/next-app.ts),
 *    starts `next start` against the collector and loads the overview in
 *    headless Chromium, 3 times per range, each in a fresh browser context (no
 *    HTTP cache): navigation to every chart's lines drawn, plus TTFB,
 *    DOMContentLoaded and load from the Navigation Timing API.
 *
 * Usage: npx tsx dashboard/bench/overview-at-scale.ts [--events N] [--chunk-rows N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { loadCollectorConfig, startCollector, type RunningCollector } from '@tunnelvision/collector';
import { OVERVIEW_METRICS } from '../src/overview/overview-data.js';
import { RANGE_PRESETS, type RangePresetId } from '../src/shared/time-range.js';
import { ensureBuild, startDashboard, type RunningDashboard } from '../test/support/next-app.js';

const DEFAULT_EVENTS = 10_000_000;
const DEFAULT_CHUNK_ROWS = 1_000_000;
const DB = 'tunnelvision';
const DAY_MS = 86_400_000;
const SPAN_MS = 7 * DAY_MS;
const SESSIONS = 100_000;
const RANGES: readonly RangePresetId[] = ['1h', '24h', '7d'];
const API_WARM_RUNS = 5;
const PAGE_RUNS = 3;
/** Charts on the overview (data-chart ids); each must draw all of its lines. */
const OVERVIEW_CHARTS = ['reconnects', 'active-connections', 'latency', 'closes', 'lost-messages'] as const;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const HELP = `Overview at scale: loads N synthetic events into a fresh in-process collector,
then measures the overview's API latency and its page load in headless Chromium.

Usage: npx tsx dashboard/bench/overview-at-scale.ts [options]

Options:
  --events N       events to load into logs, spread over the last 7 days (default ${DEFAULT_EVENTS})
  --chunk-rows N   rows per INSERT … SELECT statement (default ${DEFAULT_CHUNK_ROWS})
  --help           show this help

Needs /usr/bin/chromium. Builds the dashboard (next build) when .next is older than its sources.`;

interface Options {
  events: number;
  chunkRows: number;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string' }, 'chunk-rows': { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const int = (raw: string | undefined, fallback: number, name: string, min: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name}: expected a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
    return value;
  };
  return { events: int(values.events, DEFAULT_EVENTS, 'events', 1_000), chunkRows: int(values['chunk-rows'], DEFAULT_CHUNK_ROWS, 'chunk-rows', 10_000) };
}

// ---------------------------------------------------------------------------
// Synthetic data

interface DeployPlan {
  service: string;
  environment: string;
  version: string;
  /** Milliseconds before the load's "now". */
  agoMs: number;
  commit: string;
  description: string;
  /** A reconnect storm follows this deploy. */
  spike: boolean;
}

const SERVICES = [
  { name: 'chat-web', role: 'client', initialVersion: '2.14.0' },
  { name: 'chat-mobile', role: 'client', initialVersion: '1.8.0' },
  { name: 'chat-gateway', role: 'server', initialVersion: '5.1.0' },
] as const;

const DEPLOYS: readonly DeployPlan[] = [
  { service: 'chat-web', environment: 'production', version: '2.15.0', agoMs: 5 * DAY_MS + 3_600_000 * 3, commit: '1a2b3c4', description: 'New composer', spike: false },
  { service: 'chat-gateway', environment: 'production', version: '5.2.0', agoMs: 3 * DAY_MS + 3_600_000 * 5, commit: '7d8e9f0', description: 'Resume v2', spike: true },
  { service: 'chat-mobile', environment: 'production', version: '1.9.0', agoMs: 2 * DAY_MS, commit: '4c5d6e7', description: 'Offline queue', spike: false },
  { service: 'chat-web', environment: 'production', version: '2.15.1', agoMs: DAY_MS + 3_600_000 * 2, commit: 'b1c2d3e', description: 'Fix typing indicator', spike: false },
  { service: 'chat-gateway', environment: 'staging', version: '5.2.1-rc.1', agoMs: 6 * 3_600_000, commit: '9f1c2aa', description: 'Heartbeat tuning', spike: false },
  { service: 'chat-gateway', environment: 'production', version: '5.2.1', agoMs: 40 * 60_000, commit: '9f1c2ab', description: 'Heartbeat tuning', spike: true },
];

const SERVERS = ['ws-eu-1.example.com', 'ws-eu-2.example.com', 'ws-eu-3.example.com', 'ws-us-1.example.com', 'ws-us-2.example.com', 'ws-us-3.example.com'];
const SPIKE_SHARE = 0.015;
const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const sqlArray = (items: readonly string[]) => `[${items.map(sqlString).join(', ')}]`;

/** ServiceVersion as a function of `svc` and `ts_ms`: the newest production deploy of the service before the event. */
function versionExpression(): string {
  const branches = SERVICES.map((service) => {
    const deploys = DEPLOYS.filter((d) => d.service === service.name && d.environment === 'production').sort((a, b) => a.agoMs - b.agoMs);
    const arms = deploys.flatMap((d) => [`ts_ms >= now_ms - ${d.agoMs}`, sqlString(d.version)]);
    return arms.length > 0 ? `multiIf(${arms.join(', ')}, ${sqlString(service.initialVersion)})` : sqlString(service.initialVersion);
  });
  return `multiIf(${SERVICES.slice(0, -1).map((s, i) => `svc = ${sqlString(s.name)}, ${branches[i]}`).join(', ')}, ${branches[branches.length - 1]})`;
}

/**
 * One chunk of `logs` rows, generated by ClickHouse from numbers(offset, rows).
 * Every random draw is a hash of the row number, so a run is reproducible for
 * a given "now". Ordinary traffic follows a daily cycle (peak about 3× the
 * trough); a SPIKE_SHARE of events are reconnect storms (closes with 1001/1006
 * and conn.open with downtime) decaying over ~10 minutes after the deploys
 * marked `spike`.
 */
function insertChunkSql(offset: number, rows: number, nowMs: number): string {
  const spikes = DEPLOYS.filter((d) => d.spike).map((d) => d.agoMs);
  const u = (k: number) => `(cityHash64(n, ${k}) % 1000003) / 1000003.0`;
  // Standard normal via Box-Muller from two uniforms (kept away from 0).
  const z = (a: number, b: number) => `(sqrt(-2 * log(${u(a)} + 1e-9)) * cos(2 * pi() * ${u(b)}))`;
  return `
INSERT INTO ${DB}.logs (Timestamp, ObservedTimestamp, SeverityText, SeverityNumber, ServiceName, Body, ResourceAttributes, ScopeName, ScopeVersion,
  LogAttributes, EventName, ServiceVersion, Environment, ServerAddress, Role, UserId, SessionId, ConnectionId, MessageId, MessageSeq, Channel,
  CloseCode, CloseClean, Attempt, LatencyMs, DurationMs, DowntimeMs, DropReason)
SELECT
  fromUnixTimestamp64Nano(ts_ns) AS Timestamp,
  fromUnixTimestamp64Nano(ts_ns + toInt64(2000000 + cityHash64(n, 30) % 500000000)) AS ObservedTimestamp,
  if(event = 'msg.dropped' OR close_code = 1006, 'WARN', 'INFO') AS SeverityText,
  toUInt8(if(SeverityText = 'WARN', 13, 9)) AS SeverityNumber,
  svc AS ServiceName,
  concat(event, if(message_id != '', concat(' ', message_id), '')) AS Body,
  map('service.name', svc, 'service.version', version, 'deployment.environment.name', env, 'telemetry.sdk.name', 'tunnelvision',
      'telemetry.sdk.language', if(role = 'client', 'webjs', 'nodejs')) AS ResourceAttributes,
  '@tunnelvision/sdk' AS ScopeName,
  '0.1.0' AS ScopeVersion,
  mapFilter((k, v) -> v != '', map(
    'tv.session.id', session_id, 'tv.connection.id', connection_id, 'enduser.id', user_id, 'server.address', server, 'tv.role', role,
    'tv.message.id', message_id, 'tv.message.channel', channel,
    'tv.message.latency_ms', if(isNull(latency), '', toString(latency)),
    'tv.close.code', if(close_code = 0, '', toString(close_code)),
    'tv.connection.duration_ms', if(isNull(duration), '', toString(duration)),
    'tv.connection.downtime_ms', if(isNull(downtime), '', toString(downtime)),
    'tv.message.drop_reason', drop_reason)) AS LogAttributes,
  event AS EventName,
  version AS ServiceVersion,
  env AS Environment,
  server AS ServerAddress,
  role AS Role,
  user_id AS UserId,
  session_id AS SessionId,
  connection_id AS ConnectionId,
  message_id AS MessageId,
  if(event IN ('msg.sent', 'msg.acked', 'msg.received'), toNullable(toInt64(n % 100000)), NULL) AS MessageSeq,
  channel AS Channel,
  close_code AS CloseCode,
  if(event = 'conn.close', toNullable(close_code != 1006), NULL) AS CloseClean,
  attempt AS Attempt,
  latency AS LatencyMs,
  duration AS DurationMs,
  downtime AS DowntimeMs,
  drop_reason AS DropReason
FROM
(
  SELECT
    n, now_ms, ts_ns, ts_ms, event, sid, svc, env, role, version, server,
    concat('sess-', lower(hex(sid))) AS session_id,
    concat('u_', substring(lower(hex(cityHash64(sid, 99))), 1, 8)) AS user_id,
    concat('conn-', lower(hex(cityHash64(sid, intDiv(ts_ms, 1200000)) % 100000000))) AS connection_id,
    if(event LIKE 'msg.%', concat('m-', lower(hex(n))), '') AS message_id,
    if(event LIKE 'msg.%', ['chat', 'chat', 'chat', 'presence', 'typing'][1 + cityHash64(n, 40) % 5], '') AS channel,
    multiIf(event != 'conn.close', toUInt16(0), is_spike OR failed_attempt, toUInt16(if(${u(41)} < 0.6, 1006, 1001)),
            toUInt16(multiIf(${u(41)} < 0.62, 1000, ${u(41)} < 0.88, 1001, 1006))) AS close_code,
    multiIf(event IN ('conn.open', 'conn.reconnect.scheduled'), toUInt32(1 + least(9, floor(-log(${u(42)} + 1e-9) * 0.8))),
            event IN ('msg.sent', 'msg.acked', 'msg.dropped'), toUInt32(if(${u(42)} < 0.97, 1, 2 + cityHash64(n, 43) % 3)), toUInt32(0)) AS attempt,
    -- Delivery latency: log-normal around ~30 ms, 1% slow tail (×20), slower during storms.
    if(event = 'msg.acked', toNullable(round(exp(3.4 + 0.9 * ${z(44, 45)}) * if(${u(46)} < 0.01, 20, 1) * if(is_spike, 6, 1), 3)), NULL) AS latency,
    if(event = 'conn.close' AND NOT failed_attempt, toNullable(round(exp(11.5 + 1.6 * ${z(47, 48)}))), NULL) AS duration,
    if(event = 'conn.open' AND (is_spike OR ${u(49)} < 0.25), toNullable(round(exp(7 + 1.0 * ${z(50, 51)}) * if(is_spike, 4, 1))), NULL) AS downtime,
    if(event = 'msg.dropped',
       ['queue_full', 'queue_full', 'queue_full', 'queue_full', 'queue_full', 'queue_full', 'queue_full',
        'ttl_expired', 'ttl_expired', 'ttl_expired', 'ttl_expired', 'ttl_expired', 'ttl_expired',
        'attempts_exhausted', 'attempts_exhausted', 'attempts_exhausted', 'resume_failed', 'resume_failed', 'outbox_full', 'policy'][1 + cityHash64(n, 52) % 20],
       '') AS drop_reason
  FROM
  (
    SELECT
      n, now_ms, ts_ns, intDiv(ts_ns, 1000000) AS ts_ms, is_spike, sid,
      ${sqlArray(SERVICES.map((s) => s.name))}[1 + multiIf(sid % 10 < 5, 0, sid % 10 < 8, 1, 2)] AS svc,
      if(sid % 5 = 0, 'staging', 'production') AS env,
      if(svc = 'chat-gateway', 'server', 'client') AS role,
      ${versionExpression()} AS version,
      ${sqlArray(SERVERS)}[1 + cityHash64(sid, 7) % ${SERVERS.length}] AS server,
      ${u(10)} < 0.05 AND event_raw = 'conn.close' AND NOT is_spike AS failed_attempt,
      event_raw AS event
    FROM
    (
      SELECT
        number AS n,
        toInt64(${nowMs}) AS now_ms,
        ${u(1)} < ${SPIKE_SHARE} AS is_spike,
        ${u(4)} AS e,
        cityHash64(n, 5) % ${SESSIONS} AS sid,
        if(is_spike,
           -- Storm: closes, reconnect attempts and re-opens decaying over ~10 minutes after a deploy.
           multiIf(e < 0.45, 'conn.close', e < 0.55, 'conn.reconnect.scheduled', e < 0.95, 'conn.open', 'msg.acked'),
           multiIf(e < 0.40, 'msg.sent', e < 0.78, 'msg.acked', e < 0.85, 'conn.open', e < 0.92, 'conn.close',
                   e < 0.95, 'conn.reconnect.scheduled', e < 0.965, 'msg.dropped', 'msg.received')) AS event_raw,
        -- Milliseconds before now: uniform over 7 days warped into a daily cycle, or right after a spike deploy.
        if(is_spike,
           [${spikes.join(', ')}][1 + cityHash64(n, 2) % ${spikes.length}] - least(600000.0, -log(${u(3)} + 1e-9) * 150000.0),
           (${u(6)} * ${SPAN_MS}) + (0.5 * ${DAY_MS} / (2 * pi())) * sin(2 * pi() * ${u(6)} * 7)) AS ago_ms,
        toInt64(${nowMs} * 1000000) - toInt64(greatest(1.0, least(${SPAN_MS - 1}.0, ago_ms)) * 1000000) - toInt64(cityHash64(n, 8) % 1000000) AS ts_ns
      FROM numbers(${offset}, ${rows})
    )
  )
)`;
}

/**
 * tv.connection.active, one point per minute over the 7 days for each client
 * service, environment and server (the SDK's up-down counter, as reported by
 * client-side instances; the overview shows client-side data).
 */
function activeConnectionsSql(nowMs: number): string {
  const minutes = SPAN_MS / 60_000;
  const clients = SERVICES.filter((s) => s.role === 'client').map((s) => s.name);
  const perMinute = clients.length * 2 * SERVERS.length;
  return `
INSERT INTO ${DB}.metrics_sum (ResourceAttributes, ScopeName, ServiceName, ServiceVersion, Environment, MetricName, MetricDescription, MetricUnit,
  Attributes, StartTimeUnix, TimeUnix, Value, AggregationTemporality, IsMonotonic)
SELECT
  map('service.name', svc, 'deployment.environment.name', env, 'service.instance.id', concat(svc, '-', server), 'tv.role', 'client'),
  '@tunnelvision/sdk', svc, '', env, 'tv.connection.active', 'Open connections', '{connection}',
  map('server.address', server),
  fromUnixTimestamp64Milli(toInt64(${nowMs - SPAN_MS})),
  fromUnixTimestamp64Milli(ts),
  round(if(env = 'production', 1500, 250) * if(svc = 'chat-web', 1, 0.6) * (1 + 0.45 * cos(2 * pi() * (ts % ${DAY_MS}) / ${DAY_MS})) + cityHash64(number) % 50),
  2, false
FROM
(
  SELECT number, toInt64(${nowMs}) - toInt64(intDiv(number, ${perMinute}) * 60000) - 30000 AS ts,
         ${sqlArray(SERVERS)}[1 + number % ${SERVERS.length}] AS server,
         if(intDiv(number, ${SERVERS.length}) % 2 = 0, 'production', 'staging') AS env,
         ${sqlArray(clients)}[1 + intDiv(number, ${SERVERS.length * 2}) % ${clients.length}] AS svc
  FROM numbers(${minutes * perMinute})
)`;
}

// ---------------------------------------------------------------------------
// Helpers

const fmtMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtBytes = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GiB` : `${(b / 1024 ** 2).toFixed(1)} MiB`);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function table(title: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function queryRows<T>(collector: RunningCollector, query: string): Promise<T[]> {
  const result = await collector.store.client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

/** A single number from a one-row query whose only column is `value`. */
async function queryNumber(collector: RunningCollector, query: string): Promise<number> {
  const [row] = await queryRows<{ value: string }>(collector, query);
  return Number(row?.value);
}

const log = (message: string) => process.stderr.write(`[overview-at-scale] ${message}\n`);

// ---------------------------------------------------------------------------
// Load

interface LoadReport {
  events: number;
  millis: number;
  metricRows: number;
  mergeWaitMillis: number;
  parts: { table: string; parts: number; rows: number; bytes: number; uncompressed: number }[];
}

async function loadData(collector: RunningCollector, options: Options, nowMs: number): Promise<LoadReport> {
  const client = collector.store.client;
  const started = performance.now();
  for (let offset = 0; offset < options.events; offset += options.chunkRows) {
    const rows = Math.min(options.chunkRows, options.events - offset);
    const t = performance.now();
    await client.command({ query: insertChunkSql(offset, rows, nowMs) });
    log(`inserted ${fmtInt(offset + rows)} / ${fmtInt(options.events)} events (chunk ${fmtMs(performance.now() - t)})`);
  }
  const millis = performance.now() - started;
  await client.command({ query: activeConnectionsSql(nowMs) });

  // Deploy markers through the public API, as CI would post them.
  for (const d of DEPLOYS) {
    const response = await fetch(`${collector.url}/api/v1/deploys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: d.service, version: d.version, environment: d.environment, commit: d.commit, description: d.description, time: nowMs - d.agoMs }),
    });
    if (response.status !== 201) throw new Error(`POST /api/v1/deploys answered ${response.status}: ${await response.text()}`);
  }

  const count = await queryNumber(collector, `SELECT count() AS value FROM ${DB}.logs`);
  if (count !== options.events) throw new Error(`expected ${options.events} rows in logs, found ${count}`);
  const metricRows = await queryNumber(collector, `SELECT count() AS value FROM ${DB}.metrics_sum`);

  // Let background merges of the fresh parts settle so they do not compete with the measurements.
  const mergeStarted = performance.now();
  while (performance.now() - mergeStarted < 180_000) {
    const merges = await queryNumber(collector, `SELECT count() AS value FROM system.merges WHERE database = '${DB}'`);
    if (merges === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const mergeWaitMillis = performance.now() - mergeStarted;

  const parts = await queryRows<{ table: string; parts: string; rows: string; bytes: string; uncompressed: string }>(
    collector,
    `SELECT table, count() AS parts, sum(rows) AS rows, sum(bytes_on_disk) AS bytes, sum(data_uncompressed_bytes) AS uncompressed
     FROM system.parts WHERE database = '${DB}' AND active GROUP BY table HAVING rows > 0 ORDER BY bytes DESC`,
  );
  return {
    events: options.events,
    millis,
    metricRows,
    mergeWaitMillis,
    parts: parts.map((p) => ({ table: p.table, parts: Number(p.parts), rows: Number(p.rows), bytes: Number(p.bytes), uncompressed: Number(p.uncompressed) })),
  };
}

// ---------------------------------------------------------------------------
// API latency

interface ApiCall {
  name: string;
  path: string;
  params: Record<string, string | number>;
}

/** The calls loadOverview() makes for a preset with no filters (use-overview-data.ts). */
function overviewCalls(preset: RangePresetId, now: number): ApiCall[] {
  const p = RANGE_PRESETS.find((r) => r.id === preset)!;
  const to = Math.floor(now / 1000) * 1000;
  const from = to - p.millis;
  return [
    ...OVERVIEW_METRICS.map((metric) => ({ name: `series ${metric}`, path: 'series', params: { from, to, metric, step: `${p.stepSeconds}s` } })),
    { name: 'close-codes', path: 'close-codes', params: { from, to } },
    { name: 'deploys', path: 'deploys', params: { from, to, limit: 200 } },
    { name: 'labels', path: 'labels', params: { from, to } },
  ];
}

async function timedFetch(base: string, call: ApiCall): Promise<number> {
  const search = new URLSearchParams(Object.entries(call.params).map(([k, v]) => [k, String(v)]));
  const started = performance.now();
  const response = await fetch(`${base}/api/v1/${call.path}?${search}`, { headers: { accept: 'application/json' } });
  const body = await response.text();
  const millis = performance.now() - started;
  if (!response.ok) throw new Error(`${call.name}: ${response.status} ${body.slice(0, 300)}`);
  return millis;
}

interface ApiRangeResult {
  range: RangePresetId;
  calls: { name: string; cold: number; warm: number[] }[];
  batchCold: number;
  batchWarm: number[];
}

async function measureApi(collector: RunningCollector, range: RangePresetId): Promise<ApiRangeResult> {
  const client = collector.store.client;
  for (const cache of ['MARK CACHE', 'UNCOMPRESSED CACHE', 'QUERY CACHE']) {
    await client.command({ query: `SYSTEM DROP ${cache}` }).catch((err: Error) => log(`SYSTEM DROP ${cache} failed: ${err.message}`));
  }
  const batch = async () => {
    const calls = overviewCalls(range, Date.now());
    const started = performance.now();
    const latencies = await Promise.all(calls.map((call) => timedFetch(collector.url, call)));
    return { wall: performance.now() - started, latencies, names: calls.map((c) => c.name) };
  };
  const cold = await batch();
  const warm: Awaited<ReturnType<typeof batch>>[] = [];
  for (let i = 0; i < API_WARM_RUNS; i++) warm.push(await batch());
  return {
    range,
    calls: cold.names.map((name, i) => ({ name, cold: cold.latencies[i]!, warm: warm.map((w) => w.latencies[i]!) })),
    batchCold: cold.wall,
    batchWarm: warm.map((w) => w.wall),
  };
}

// ---------------------------------------------------------------------------
// Page load

interface PageRun {
  wall: number;
  chartsDrawn: number;
  ttfb: number;
  domContentLoaded: number;
  load: number;
}

async function measurePage(browser: Browser, dashboardUrl: string, range: RangePresetId): Promise<PageRun> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC', locale: 'en-US', reducedMotion: 'reduce' });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const started = performance.now();
    await page.goto(`${dashboardUrl}/?range=${range}`, { waitUntil: 'commit' });
    // Resolves (with the page's own clock, ms since navigation start) once every chart has drawn every line.
    const drawn = await page.waitForFunction(
      (charts: readonly string[]) => {
        for (const id of charts) {
          const figure = document.querySelector(`figure[data-chart="${id}"]`);
          if (!figure) return false;
          const lines = figure.querySelectorAll('.recharts-line');
          if (lines.length === 0) return false;
          for (const line of lines) {
            const d = line.querySelector('path.recharts-line-curve')?.getAttribute('d');
            if (!d || d.length < 8) return false;
          }
        }
        return performance.now();
      },
      OVERVIEW_CHARTS,
      { polling: 'raf', timeout: 60_000 },
    ).catch(async (err: Error) => {
      const state = await page
        .evaluate((charts: readonly string[]) =>
          charts.map((id) => {
            const figure = document.querySelector(`figure[data-chart="${id}"]`);
            if (!figure) return `${id}: no figure`;
            const lines = [...figure.querySelectorAll('.recharts-line')].map((l) => l.querySelector('path.recharts-line-curve')?.getAttribute('d')?.length ?? 'no path');
            return `${id}: lines ${JSON.stringify(lines)}`;
          }).join('; ') + ` | ${document.querySelector('[data-page="overview"]')?.textContent?.slice(0, 300) ?? 'no overview'}`,
        OVERVIEW_CHARTS)
        .catch(() => 'page state unavailable');
      throw new Error(`?range=${range}: charts not drawn (${err.message}); ${state}`);
    });
    const chartsDrawn = (await drawn.jsonValue()) as number;
    const wall = performance.now() - started;
    await page.waitForLoadState('load');
    const nav = await page.evaluate(() => {
      const entry = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { ttfb: entry.responseStart - entry.startTime, domContentLoaded: entry.domContentLoadedEventEnd - entry.startTime, load: entry.loadEventEnd - entry.startTime };
    });
    if (errors.length > 0) throw new Error(`page errors on ?range=${range}: ${errors.join('; ')}`);
    return { wall, chartsDrawn, ...nav };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'tv-overview-at-scale-'));
  let collector: RunningCollector | undefined;
  let dashboard: RunningDashboard | undefined;
  let browser: Browser | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      await browser?.close().catch(() => undefined);
      await dashboard?.stop().catch(() => undefined);
      await collector?.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const out: string[] = [];
    const print = (text: string) => {
      out.push(text);
      process.stdout.write(`${text}\n\n`);
    };

    // The build runs alongside the load: it needs no data.
    const buildPromise = ensureBuild();
    buildPromise.catch(() => undefined);
    collector = await startCollector(loadCollectorConfig({}, [], { port: 0, dataDir, logLevel: 'silent' }));
    const nowMs = Date.now();
    log(`collector at ${collector.url}, data dir ${dataDir}; loading ${fmtInt(options.events)} events`);
    const load = await loadData(collector, options, nowMs);

    print(
      table(
        `Load: ${fmtInt(load.events)} events over 7 days (INSERT … SELECT FROM numbers, ${fmtInt(options.chunkRows)} rows per statement; rollup MVs on insert)`,
        ['', 'value'],
        [
          ['load time', fmtMs(load.millis)],
          ['rows/s', fmtInt(load.events / (load.millis / 1000))],
          ['tv.connection.active points (metrics_sum)', fmtInt(load.metricRows)],
          ['deploy markers (POST /api/v1/deploys)', String(DEPLOYS.length)],
          ['waited for background merges', fmtMs(load.mergeWaitMillis)],
        ],
      ),
    );
    print(
      table(
        'On disk (system.parts, active parts)',
        ['table', 'parts', 'rows', 'on disk', 'uncompressed', 'bytes/row'],
        [
          ...load.parts.map((p) => [p.table, fmtInt(p.parts), fmtInt(p.rows), fmtBytes(p.bytes), fmtBytes(p.uncompressed), (p.bytes / p.rows).toFixed(1)]),
          ['total', fmtInt(load.parts.reduce((s, p) => s + p.parts, 0)), '', fmtBytes(load.parts.reduce((s, p) => s + p.bytes, 0)), fmtBytes(load.parts.reduce((s, p) => s + p.uncompressed, 0)), ''],
        ],
      ),
    );

    for (const range of RANGES) {
      const result = await measureApi(collector, range);
      const rows = result.calls.map((c) => [c.name, fmtMs(c.cold), fmtMs(median(c.warm)), fmtMs(Math.max(...c.warm))]);
      rows.push(['whole batch (Promise.all, wall)', fmtMs(result.batchCold), fmtMs(median(result.batchWarm)), fmtMs(Math.max(...result.batchWarm))]);
      print(
        table(
          `API latency, range ${range} (${result.calls.length} calls in parallel as the overview makes them; cold = first batch after dropping ClickHouse caches, warm = ${API_WARM_RUNS} batches)`,
          ['call', 'cold', 'warm p50', 'warm max'],
          rows,
        ),
      );
    }

    const build = await buildPromise;
    log(build.reused ? 'dashboard build reused' : `dashboard built in ${fmtMs(build.millis)}`);
    [dashboard, browser] = await Promise.all([
      startDashboard(collector.url, 60_000),
      chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS }),
    ]);
    // One throwaway load so next start's first-request compilation and caches are not counted.
    await measurePage(browser, dashboard.url, '1h');
    const pageRows: string[][] = [];
    for (const range of RANGES) {
      const runs: PageRun[] = [];
      for (let i = 0; i < PAGE_RUNS; i++) runs.push(await measurePage(browser, dashboard.url, range));
      const m = (key: keyof PageRun) => fmtMs(median(runs.map((r) => r[key])));
      pageRows.push([range, m('ttfb'), m('domContentLoaded'), m('load'), m('chartsDrawn'), m('wall')]);
    }
    print(
      table(
        `Overview page load in headless Chromium (median of ${PAGE_RUNS}, fresh browser context each run; times from navigation start)`,
        ['range', 'TTFB', 'DOMContentLoaded', 'load', 'all charts drawn', 'goto→charts (wall)'],
        pageRows,
      ),
    );
    print(`Dashboard build: ${build.reused ? 'reused (newer than the sources)' : `built in ${fmtMs(build.millis)}`}. Machine: ${(await import('node:os')).cpus().length} CPUs, Node ${process.version}.`);
    return 0;
  } catch (err) {
    process.stderr.write(`overview-at-scale failed: ${(err as Error).stack ?? String(err)}\n`);
    if (dashboard) process.stderr.write(`next start output:\n${dashboard.output().slice(-4000)}\n`);
    return 1;
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await main();
