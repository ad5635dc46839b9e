/**
 * Query benchmark: how fast the overview's one request (GET /api/v1/overview)
 * and the support lookups (GET /api/v1/timeline) answer over a week of
 * synthetic events, against the same answer computed from the raw rows of
 * `logs` (and `metrics_sum`) in the same run: what the rollups save.
 *
 * Loads N events over the last 7 days into a fresh in-process collector with
 * INSERT … SELECT FROM numbers() (bench/synthetic-events.ts; the rollup views
 * fill as for OTLP ingest), then, for the 1h, 24h and 7d ranges at the
 * dashboard's steps, times warm requests over HTTP and the raw-rows baseline
 * (its queries run concurrently too, as the endpoint's do). It checks that
 * both give the same answer: every count bucket and close code equal, the
 * latency quantiles within t-digest tolerance. A breakdown of the 7d request
 * times each of its store queries alone, to show where the time goes.
 *
 * Usage: npx tsx --conditions=@tunnelvision/source collector/bench/query-bench.ts [--events N] [--runs N]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ClickHouseClient } from '@clickhouse/client';
import { ABNORMAL_CLOSE_CODES } from '@tunnelvision/semconv';
import type { OverviewResponse, TimelineResponse } from '../src/api-types.js';
import { startCollector, type RunningCollector } from '../src/collector.js';
import { loadCollectorConfig } from '../src/config/collector-config.js';
import { countCloseCodes } from '../src/query/close-codes-query.js';
import { deploysInRange } from '../src/query/deploys.js';
import { readLabels } from '../src/query/labels-query.js';
import { OVERVIEW_SERIES } from '../src/query/overview-query.js';
import { rollupSeries, seriesWindow, type SeriesWindow } from '../src/query/series-query.js';
import { recordAttributesSql } from '../src/store/attributes-in-columns.js';
import { positiveInt, progressTo, runBench } from './bench-cli.js';
import { percentile } from './sample-stats.js';
import { insertActiveConnections, insertSyntheticEvents, postSyntheticDeploys } from './synthetic-events.js';

const DEFAULT_EVENTS = 2_000_000;
const DEFAULT_RUNS = 20;
const BASELINE_RUNS = 5;
const CHUNK_ROWS = 1_000_000;
const MERGE_WAIT_MILLIS = 20_000;
/** The dashboard's range presets and their steps (dashboard/src/shared/time-range.ts). */
const RANGES = [
  { id: '1h', millis: 3_600_000, step: 60 },
  { id: '24h', millis: 86_400_000, step: 900 },
  { id: '7d', millis: 7 * 86_400_000, step: 7_200 },
] as const;
/**
 * How far a rollup quantile may stray from one computed over the raw rows:
 * both are t-digests (the rollup merges one per minute), whose error grows
 * towards the tails, and a bucket with few acks has a coarse p99.
 */
const QUANTILE_TOLERANCE = { latency_p50: 0.05, latency_p95: 0.05, latency_p99: 0.1 } as const;
/** Buckets with fewer acks than this are left out of the quantile check (a p99 of 20 values is one value). */
const MIN_ACKS_FOR_QUANTILES = 50;

const HELP = `Usage: npx tsx --conditions=@tunnelvision/source collector/bench/query-bench.ts [options]

Times GET /api/v1/overview (1h, 24h, 7d) and the session / message lookups over a
week of synthetic events, against the same answer from the raw rows of logs.

Options:
  --events N   events to load, spread over the last 7 days (default ${DEFAULT_EVENTS})
  --runs N     warm requests timed per measurement (default ${DEFAULT_RUNS}; the raw-rows baseline runs ${BASELINE_RUNS})
  --help       show this help`;

interface Options {
  events: number;
  runs: number;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string' }, runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  return { events: positiveInt('--events', values.events, DEFAULT_EVENTS), runs: positiveInt('--runs', values.runs, DEFAULT_RUNS) };
}

const progress = progressTo('query-bench');
const problems: string[] = [];

// ---- timing and printing ----

async function timed(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await work(); // warm: the first run fills the caches and is not counted
  const millis: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    millis.push(performance.now() - started);
  }
  return { p50: percentile(millis, 0.5), p95: percentile(millis, 0.95) };
}

const ms = (n: number) => (n >= 1_000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const int = (n: number) => Math.round(n).toLocaleString('en-US');

function table(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(['', title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
}

async function getJson<T>(base: string, pathAndQuery: string): Promise<T> {
  const response = await fetch(`${base}${pathAndQuery}`);
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${pathAndQuery}: ${response.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

// ---- the overview's answer as the page used to fetch it: a call per part ----

/** The calls the overview page made before GET /api/v1/overview, issued together as it did. */
function separateCalls(base: string, query: string): Promise<unknown> {
  const paths = [
    ...OVERVIEW_SERIES.map((metric) => `/api/v1/series?metric=${metric}&${query}`),
    `/api/v1/close-codes?${query}`,
    `/api/v1/deploys?${query}&limit=200`,
    `/api/v1/labels?${query}`,
  ];
  return Promise.all(paths.map((p) => getJson(base, p)));
}

// ---- the baseline: the overview's answer from raw rows ----

type CountMetric = Exclude<(typeof OVERVIEW_SERIES)[number], 'active_connections' | 'latency_p50' | 'latency_p95' | 'latency_p99'>;

/** The rollups' counting conditions (query/event-conditions.ts), on the raw columns the views derive theirs from (migration 0005). */
const RAW_CONDITIONS: Record<CountMetric, string> = {
  reconnects: `EventName = 'conn.open' AND DowntimeMs IS NOT NULL`,
  abnormal_closes: `EventName = 'conn.close' AND CloseCode IN (${ABNORMAL_CLOSE_CODES.join(', ')}) AND DurationMs IS NOT NULL`,
  closes: `EventName = 'conn.close' AND DurationMs IS NOT NULL`,
  failed_attempts: `EventName = 'conn.close' AND DurationMs IS NULL`,
  messages_lost: `EventName = 'msg.dropped'`,
};

interface RawOverview {
  counts: Record<CountMetric, Map<number, number>>;
  acks: Map<number, number>;
  quantiles: Map<number, [number, number, number]>;
  active: Map<number, number>;
  closeCodes: Map<number, number>;
  labels: Record<LabelKey, string[]>;
}

const LABEL_COLUMNS = { services: 'ServiceName', environments: 'Environment', versions: 'ServiceVersion', servers: 'ServerAddress' } as const;
type LabelKey = keyof typeof LABEL_COLUMNS;

/**
 * The overview for an unfiltered window (the client side, as the dashboard
 * shows by default) straight from `logs` and `metrics_sum`: the same buckets
 * and minute bounds as the rollup queries, its queries run concurrently.
 */
async function rawOverview(client: ClickHouseClient, db: string, w: SeriesWindow): Promise<RawOverview> {
  const bucket = `intDiv(toUnixTimestamp(toStartOfMinute(Timestamp)), ${w.step}) * ${w.step}`;
  const toSeconds = Math.floor(w.to / 1000);
  // The rollups keep whole minutes from the first bucket to the minute holding `to`; Timestamp bounds let the primary key prune.
  const inRange = (column: string, first: number) =>
    `${column} >= toDateTime64(${first}, 9) AND ${column} < toDateTime64(${toSeconds + 60}, 9) AND toStartOfMinute(${column}) < toDateTime(${toSeconds})`;
  const clientSide = `Role != 'server'`;
  const rows = async <T>(query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<T>();
  const [counts, latency, active, closeCodes, [labels]] = await Promise.all([
    rows<Record<string, string | number>>(
      `SELECT ${bucket} AS bucket, ${Object.entries(RAW_CONDITIONS).map(([m, c]) => `countIf(${c}) AS ${m}`).join(', ')}
       FROM ${db}.logs WHERE ${inRange('Timestamp', w.first)} AND ${clientSide}
         AND EventName IN ('conn.open', 'conn.close', 'msg.dropped') GROUP BY bucket`,
    ),
    rows<{ bucket: number; acks: string; q: number[] }>(
      `SELECT ${bucket} AS bucket, count() AS acks, quantilesTDigest(0.5, 0.95, 0.99)(LatencyMs) AS q
       FROM ${db}.logs WHERE ${inRange('Timestamp', w.first)} AND ${clientSide} AND EventName = 'msg.acked' AND LatencyMs IS NOT NULL
       GROUP BY bucket`,
    ),
    rows<{ bucket: number; value: number }>(
      `SELECT bucket, sum(last) AS value FROM (
         SELECT intDiv(toUnixTimestamp(toStartOfMinute(TimeUnix)), ${w.step}) * ${w.step} AS bucket, cityHash64(ResourceAttributes, Attributes) AS series,
                argMax(Value, TimeUnix) AS last
         FROM ${db}.metrics_sum
         WHERE MetricName = 'tv.connection.active' AND ${inRange('TimeUnix', w.first)}
           AND if(Attributes['tv.role'] != '', Attributes['tv.role'], ResourceAttributes['tv.role']) != 'server'
         GROUP BY bucket, series
       ) GROUP BY bucket`,
    ),
    rows<{ code: number; count: string }>(
      `SELECT CloseCode AS code, count() AS count FROM ${db}.logs
       WHERE ${inRange('Timestamp', Math.floor(w.from / 60_000) * 60)} AND ${clientSide} AND ${RAW_CONDITIONS.closes} GROUP BY code`,
    ),
    rows<Record<LabelKey, string[]>>(
      `SELECT ${Object.entries(LABEL_COLUMNS).map(([key, column]) => `groupUniqArrayIf(${column}, ${column} != '') AS ${key}`).join(', ')} FROM (
         SELECT ServiceName, Environment, ServiceVersion, ServerAddress FROM ${db}.logs
         WHERE ${inRange('Timestamp', Math.floor(w.from / 60_000) * 60)} AND EventName != ''
         UNION ALL
         SELECT ServiceName, Environment, ServiceVersion,
                if(Attributes['server.address'] != '', Attributes['server.address'], ResourceAttributes['server.address']) AS ServerAddress
         FROM ${db}.metrics_sum WHERE MetricName = 'tv.connection.active' AND ${inRange('TimeUnix', Math.floor(w.from / 60_000) * 60)})`,
    ),
    // The deploy markers are the same small table either way.
    deploysInRange(client, db, { from: w.from, to: w.to, limit: 200 }),
  ]);
  const byBucket = (metric: string) => new Map(counts.map((r) => [Number(r.bucket), Number(r[metric])]));
  return {
    counts: Object.fromEntries(Object.keys(RAW_CONDITIONS).map((m) => [m, byBucket(m)])) as RawOverview['counts'],
    acks: new Map(latency.map((r) => [Number(r.bucket), Number(r.acks)])),
    quantiles: new Map(latency.map((r) => [Number(r.bucket), r.q as [number, number, number]])),
    active: new Map(active.map((r) => [Number(r.bucket), Number(r.value)])),
    closeCodes: new Map(closeCodes.map((r) => [Number(r.code), Number(r.count)])),
    labels: Object.fromEntries(Object.keys(LABEL_COLUMNS).map((key) => [key, [...(labels?.[key as LabelKey] ?? [])].sort()])) as Record<LabelKey, string[]>,
  };
}

interface Check {
  countsEqual: boolean;
  buckets: number;
  countMismatches: string[];
  /** Largest relative difference per quantile over the buckets with enough acks. */
  worst: Record<keyof typeof QUANTILE_TOLERANCE, number>;
  quantileBuckets: number;
}

/** Compares the endpoint's answer with the raw-rows one. */
function compare(overview: OverviewResponse, raw: RawOverview): Check {
  const mismatches: string[] = [];
  const seconds = (t: string) => Date.parse(t) / 1000;
  for (const metric of Object.keys(RAW_CONDITIONS) as CountMetric[]) {
    for (const p of overview.series[metric].points) {
      const expected = raw.counts[metric].get(seconds(p.t)) ?? 0;
      if (p.v !== expected) mismatches.push(`${metric} at ${p.t}: ${p.v} from the rollup, ${expected} from raw rows`);
    }
  }
  for (const p of overview.series.active_connections.points) {
    const expected = raw.active.get(seconds(p.t)) ?? null;
    if (p.v !== expected) mismatches.push(`active_connections at ${p.t}: ${p.v} from the rollup, ${expected} from raw rows`);
  }
  const codes = new Map(overview.close_codes.codes.map((c) => [c.code, c.count]));
  for (const code of new Set([...codes.keys(), ...raw.closeCodes.keys()])) {
    if (codes.get(code) !== raw.closeCodes.get(code)) mismatches.push(`close code ${code}: ${codes.get(code)} from the rollup, ${raw.closeCodes.get(code)} from raw rows`);
  }
  for (const key of Object.keys(LABEL_COLUMNS) as LabelKey[]) {
    if (overview.labels[key].join() !== raw.labels[key].join()) mismatches.push(`${key}: ${overview.labels[key].join()} from the rollups, ${raw.labels[key].join()} from raw rows`);
  }
  const worst = { latency_p50: 0, latency_p95: 0, latency_p99: 0 };
  let quantileBuckets = 0;
  const metrics = Object.keys(QUANTILE_TOLERANCE) as (keyof typeof QUANTILE_TOLERANCE)[];
  overview.series.latency_p50.points.forEach((p, i) => {
    const b = seconds(p.t);
    if ((raw.acks.get(b) ?? 0) < MIN_ACKS_FOR_QUANTILES) return;
    quantileBuckets++;
    metrics.forEach((metric, q) => {
      const rollup = overview.series[metric].points[i]!.v;
      const exact = raw.quantiles.get(b)![q]!;
      worst[metric] = Math.max(worst[metric], rollup === null ? Infinity : Math.abs(rollup - exact) / exact);
    });
  });
  return { countsEqual: mismatches.length === 0, buckets: overview.series.reconnects.points.length, countMismatches: mismatches, worst, quantileBuckets };
}

// ---- main ----

async function loadWeek(collector: RunningCollector, db: string, events: number, nowMs: number): Promise<number> {
  const client = collector.store.client;
  const { millis } = await insertSyntheticEvents(client, {
    database: db,
    events,
    chunkRows: CHUNK_ROWS,
    nowMs,
    onChunk: (done, total, chunk) => progress(`inserted ${int(done)} / ${int(total)} events (chunk ${ms(chunk)})`),
  });
  await insertActiveConnections(client, db, nowMs);
  await postSyntheticDeploys(collector.url, nowMs);
  // Background merges of the fresh parts would compete with the measurements; real rollups are mostly merged.
  const started = performance.now();
  while (performance.now() - started < MERGE_WAIT_MILLIS) {
    const [row] = await (await client.query({ query: `SELECT count() AS n FROM system.merges WHERE database = '${db}'`, format: 'JSONEachRow' })).json<{ n: string }>();
    if (Number(row?.n) === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return millis;
}

async function main(options: Options): Promise<readonly string[]> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tunnelvision-query-bench-'));
  try {
    const config = loadCollectorConfig({}, [], {
      port: 0,
      grpcPort: 'off',
      host: '127.0.0.1',
      dataDir,
      clickhouseUrl: undefined,
      logLevel: 'warn',
      // The alert evaluator would query the store in the middle of the timings; its cost is alert-bench's subject.
      alertEvaluationIntervalMillis: 600_000,
    });
    const collector = await startCollector(config);
    try {
      await run(collector, config.database, options);
    } finally {
      await collector.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  return problems;
}

async function run(collector: RunningCollector, db: string, options: Options): Promise<void> {
  const client = collector.store.client;
  const nowMs = Date.now();
  const loadMillis = await loadWeek(collector, db, options.events, nowMs);
  // Every window ends at the load's "now", so each run reads the same rows.
  const to = Math.ceil(nowMs / 1000) * 1000;

  const latencyRows: string[][] = [];
  const checkRows: string[][] = [];
  for (const range of RANGES) {
    const from = to - range.millis;
    const query = `from=${from}&to=${to}&step=${range.step}s`;
    progress(`${range.id}: overview ×${options.runs}, raw rows ×${BASELINE_RUNS}`);
    const overview = await timed(options.runs, () => getJson<OverviewResponse>(collector.url, `/api/v1/overview?${query}`));
    const separate = await timed(BASELINE_RUNS, () => separateCalls(collector.url, query));
    const window = seriesWindow({ from, to, step: range.step }, nowMs);
    const raw = await timed(BASELINE_RUNS, () => rawOverview(client, db, window));
    latencyRows.push([
      `overview ${range.id} (step ${range.step / 60} min)`,
      ms(overview.p50),
      ms(overview.p95),
      ms(separate.p50),
      ms(raw.p50),
      ms(raw.p95),
      `${(raw.p50 / overview.p50).toFixed(1)}×`,
    ]);

    const check = compare(await getJson<OverviewResponse>(collector.url, `/api/v1/overview?${query}`), await rawOverview(client, db, window));
    const within = (Object.keys(QUANTILE_TOLERANCE) as (keyof typeof QUANTILE_TOLERANCE)[]).every((m) => check.worst[m] <= QUANTILE_TOLERANCE[m]);
    const fmtErr = (m: keyof typeof QUANTILE_TOLERANCE) => `${(check.worst[m] * 100).toFixed(2)} %`;
    checkRows.push([range.id, String(check.buckets), check.countsEqual ? 'equal' : `${check.countMismatches.length} differ`, String(check.quantileBuckets), fmtErr('latency_p50'), fmtErr('latency_p95'), fmtErr('latency_p99'), check.countsEqual && within ? 'ok' : 'FAILED']);
    for (const m of check.countMismatches.slice(0, 5)) problems.push(`${range.id}: ${m}`);
    if (!within) problems.push(`${range.id}: a latency quantile strays beyond the t-digest tolerance (${JSON.stringify(check.worst)})`);
  }

  // The lookups support runs: one session and one message over the whole week.
  const [ids] = await (
    await client.query({
      query: `SELECT (SELECT SessionId FROM ${db}.logs WHERE SessionId != '' ORDER BY cityHash64(SessionId) LIMIT 1) AS session,
                     (SELECT MessageId FROM ${db}.logs WHERE MessageId != '' ORDER BY cityHash64(MessageId) LIMIT 1) AS message`,
      format: 'JSONEachRow',
    })
  ).json<{ session: string; message: string }>();
  const week = `from=${to - 7 * 86_400_000}&to=${to}`;
  for (const [key, value] of [['session_id', ids!.session], ['message_id', ids!.message]] as const) {
    progress(`lookup by ${key} ×${options.runs}`);
    const path = `/api/v1/timeline?${key}=${encodeURIComponent(value)}&${week}`;
    const found = await getJson<TimelineResponse>(collector.url, path);
    if (found.events.length === 0) problems.push(`lookup by ${key} ${value} found no events`);
    const t = await timed(options.runs, () => getJson<TimelineResponse>(collector.url, path));
    latencyRows.push([`lookup ${key} over 7 days (${found.events.length} events)`, ms(t.p50), ms(t.p95), '', '', '', '']);
  }

  // Where the 7d request's time goes: each of its store queries alone.
  const week7 = RANGES[2];
  const w = seriesWindow({ from: to - week7.millis, to, step: week7.step }, nowMs);
  const filters = { role: 'client' } as const;
  const parts: [string, () => Promise<unknown>][] = [
    ['event counts (events_1h, events_1m at the edges; 5 series)', () => rollupSeries(client, db, ['reconnects', 'abnormal_closes', 'closes', 'failed_attempts', 'messages_lost'], filters, w)],
    ['latency p50/p95/p99 (latency_1h, latency_1m at the edges; one t-digest merge)', () => rollupSeries(client, db, ['latency_p50', 'latency_p95', 'latency_p99'], filters, w)],
    ['active connections (active_connections_1m)', () => rollupSeries(client, db, ['active_connections'], filters, w)],
    ['close codes (events_1h, events_1m at the edges)', () => countCloseCodes(client, db, w, filters)],
    ['labels (events_1h/events_1m + active_connections_1m)', () => readLabels(client, db, w)],
    ['deploys', () => deploysInRange(client, db, { from: w.from, to: w.to, limit: 200 })],
  ];
  const partRows: string[][] = [];
  for (const [name, work] of parts) {
    const t = await timed(options.runs, work);
    partRows.push([name, ms(t.p50), ms(t.p95)]);
  }
  const sizes = await (
    await client.query({
      query: `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
              WHERE database = '${db}' AND active AND table IN ('logs', 'events_1m', 'events_1h', 'latency_1m', 'latency_1h', 'active_connections_1m') GROUP BY table ORDER BY table`,
      format: 'JSONEachRow',
    })
  ).json<{ table: string; rows: string; bytes: string }>();

  console.log(`\nQuery bench: ${int(options.events)} synthetic events over 7 days, loaded in ${ms(loadMillis)}; ${os.cpus().length} CPUs, Node ${process.version}, embedded chDB`);
  table(
    `Warm latency over HTTP (p50/p95 of ${options.runs} requests). 12 calls: the same answer from the separate routes the page used to call in parallel (9 × /series, /close-codes, /deploys, /labels), ${BASELINE_RUNS} runs. Raw rows: the same answer from logs and metrics_sum, queries in parallel, ${BASELINE_RUNS} runs`,
    ['request', 'p50', 'p95', '12 calls p50', 'raw rows p50', 'raw rows p95', 'vs raw (p50)'],
    latencyRows,
  );
  table(
    `Same answer? Endpoint vs raw rows: every count bucket, active connections, close codes and filter values equal; latency quantiles within t-digest tolerance (p50/p95 ${QUANTILE_TOLERANCE.latency_p50 * 100} %, p99 ${QUANTILE_TOLERANCE.latency_p99 * 100} %) in buckets of ${MIN_ACKS_FOR_QUANTILES}+ acks`,
    ['range', 'buckets', 'counts', 'quantile buckets', 'worst p50', 'worst p95', 'worst p99', 'check'],
    checkRows,
  );
  table(`Where the 7d overview's time goes: each store query alone (p50/p95 of ${options.runs}; the endpoint runs them concurrently)`, ['query', 'p50', 'p95'], partRows);
  table(
    'Rows read from',
    ['table', 'rows', 'on disk'],
    sizes.map((r) => [r.table, int(Number(r.rows)), `${(Number(r.bytes) / 1024 ** 2).toFixed(1)} MiB`]),
  );
  await printStorage(client, db, options.events);
}

/**
 * Bytes on disk per stored event, merged, beside the baseline: the same rows
 * laid out as before migration 0009, every attribute also kept in
 * LogAttributes and indexed by value.
 */
async function printStorage(client: ClickHouseClient, db: string, events: number): Promise<void> {
  progress('storage: the same rows with attributes kept twice, then both merged ...');
  await client.command({ query: `CREATE TABLE ${db}.logs_as_before AS ${db}.logs` });
  await client.command({ query: `ALTER TABLE ${db}.logs_as_before ADD INDEX idx_log_attr_value mapValues(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1` });
  await client.command({
    query: `INSERT INTO ${db}.logs_as_before SELECT * REPLACE (${recordAttributesSql()} AS LogAttributes, 0 AS AttributesInColumns) FROM ${db}.logs`,
  });
  for (const t of ['logs', 'logs_as_before', 'id_buckets']) await client.command({ query: `OPTIMIZE TABLE ${db}.${t} FINAL` });
  const bytes = await (
    await client.query({
      query: `SELECT table, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = '${db}' AND active GROUP BY table`,
      format: 'JSONEachRow',
    })
  ).json<{ table: string; bytes: string }>();
  const of = (name: string) => Number(bytes.find((b) => b.table === name)?.bytes ?? 0);
  // The rollups, and since migration 0012 where each id occurs (which replaced the ids' bloom filters in logs).
  const rollups = bytes.filter((b) => /_(10s|1m|1h)$/.test(b.table) || b.table === 'id_buckets').reduce((n, b) => n + Number(b.bytes), 0);
  const perEvent = (n: number) => `${(n / events).toFixed(1)} B`;
  table(
    `Storage on disk per stored event (${int(events)} events, merged)`,
    ['table', 'now', 'baseline: attributes kept twice', 'vs baseline'],
    [
      ['logs', perEvent(of('logs')), perEvent(of('logs_as_before')), `${(of('logs') / of('logs_as_before')).toFixed(2)}×`],
      ['rollups (10 s, 1 min, 1 h) and id_buckets', perEvent(rollups), perEvent(rollups), ''],
      ['of which id_buckets', perEvent(of('id_buckets')), perEvent(of('id_buckets')), ''],
      ['all', perEvent(of('logs') + rollups), perEvent(of('logs_as_before') + rollups), `${((of('logs') + rollups) / (of('logs_as_before') + rollups)).toFixed(2)}×`],
    ],
  );
}

runBench({ parse: parseOptions, help: HELP, main });
