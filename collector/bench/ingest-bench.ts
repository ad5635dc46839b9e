/**
 * Ingest benchmark: how many TunnelVision events per second the collector
 * takes end to end (OTLP/HTTP request in, rows in ClickHouse, 200 out), for
 * OTLP/JSON, OTLP/protobuf and gzip-compressed OTLP/protobuf.
 *
 * The baseline is the raw ClickHouse insert rate of exactly the rows the
 * collector would write for the same requests (mapped and encoded outside
 * the timing, inserted through the engine's raw insert in blocks of the
 * collector's batch size into a copy of `logs` with no materialized views,
 * one insert at a time as the collector writes). That is the ceiling for
 * this store on this machine: the "vs baseline" column says how much of it
 * the collector keeps, whatever the hardware. The other rows show where the
 * rest goes: decode+map only (the collector's CPU work, no store) and the same
 * insert into the real `logs` table, whose rollup materialized views run on
 * every insert. End-to-end times run from the first request sent to the last
 * 200 received; the collector answers only after the rows are inserted, and
 * every scenario checks with count() that all its rows arrived.
 *
 * Everything runs in one process (the store is embedded chDB, which binds one
 * data directory per process), so the load generator shares the CPU with the
 * collector and RSS is the whole process: collector, chDB and the serialized
 * requests held by the benchmark. Requests are serialized before any timing
 * starts with the official OpenTelemetry JS serializers.
 *
 * Usage: npm run bench -- [--events N] [--concurrency N]
 */
import { positiveInt, progressTo, runBench } from './bench-cli.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { startCollector, type RunningCollector } from '../src/collector.js';
import { loadCollectorConfig, type CollectorConfig } from '../src/config/collector-config.js';
import { encodeRows, type EncodedBlock } from '../src/ingest/encoded-block.js';
import { mapLogsRequest } from '../src/ingest/log-rows.js';
import { decodeProtobufRequest } from '../src/otlp/protobuf-codec.js';
import type { ClickHouseStore } from '../src/store/clickhouse-store.js';
import type { TableName } from '../src/store/table-names.js';
import { buildSerializedRequests, type SerializedRequest } from './telemetry-fixture.js';

const RECORDS_PER_REQUEST = 1_000;
const DEFAULT_EVENTS = 200_000;
/**
 * Requests in flight. The collector answers a request only once its rows are
 * inserted and inserts a table once batchMaxRows (10,000) rows wait, so with
 * fewer than batchMaxRows / RECORDS_PER_REQUEST requests in flight every batch
 * waits for the batchMaxDelayMillis timer and the run measures that timer.
 */
const DEFAULT_CONCURRENCY = 16;
const RSS_SAMPLE_MILLIS = 50;
const BASELINE_TABLE = 'bench_baseline';

type Row = Record<string, unknown>;

interface Options {
  events: number;
  concurrency: number;
}

interface RssStats {
  beforeMb: number;
  peakMb: number;
  afterMb: number;
}

interface Measurement {
  scenario: string;
  events: number;
  seconds: number;
  rss: RssStats;
  failed?: boolean;
}

/** Failures collected along the way; any one makes the exit code non-zero. */
const problems: string[] = [];

// ---- command line ----

const HELP = `Usage: npm run bench -- [options]

Measures collector ingest (OTLP/HTTP -> ClickHouse) against the raw insert rate of the same rows.

Options:
  --events N        log records to send per scenario (default ${DEFAULT_EVENTS})
  --concurrency N   requests in flight (default ${DEFAULT_CONCURRENCY}); requests carry ${RECORDS_PER_REQUEST} records
  --help            show this help`;

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  return {
    events: positiveInt('--events', values.events, DEFAULT_EVENTS),
    concurrency: positiveInt('--concurrency', values.concurrency, DEFAULT_CONCURRENCY),
  };
}


// ---- measuring ----

const mb = (bytes: number) => bytes / (1024 * 1024);

/** Runs `work`, timing it and sampling RSS every RSS_SAMPLE_MILLIS. */
async function measure(scenario: string, events: number, work: () => Promise<void> | void): Promise<Measurement> {
  progress(`${scenario} ...`);
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MILLIS);
  const start = performance.now();
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - start) / 1000;
  const after = process.memoryUsage.rss();
  peak = Math.max(peak, after);
  const result = { scenario, events, seconds, rss: { beforeMb: mb(before), peakMb: mb(peak), afterMb: mb(after) } };
  progress(`${scenario}: ${seconds.toFixed(2)} s, ${Math.round(events / seconds).toLocaleString('en-US')} events/s`);
  return result;
}

const progress = progressTo('bench');

/** Marks a measurement failed and records why (the first few reasons). */
function failed(m: Measurement, reasons: readonly string[]): Measurement {
  for (const reason of reasons.slice(0, 5)) problems.push(`${m.scenario}: ${reason}`);
  if (reasons.length > 5) problems.push(`${m.scenario}: ... and ${reasons.length - 5} more`);
  return { ...m, failed: true };
}

// ---- scenarios ----

/**
 * Decode + map only: the collector's CPU work per request, without HTTP or
 * the store. Yields between requests so the RSS sampler gets to run.
 */
async function decodeAndMap(requests: readonly SerializedRequest[], format: 'json' | 'protobuf'): Promise<number> {
  let rows = 0;
  for (const request of requests) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const decoded =
      format === 'json'
        ? JSON.parse(Buffer.from(request.json.buffer, request.json.byteOffset, request.json.byteLength).toString('utf8'))
        : decodeProtobufRequest('logs', request.protobuf);
    for (const batch of mapLogsRequest(decoded).batches) rows += batch.rows.length;
  }
  return rows;
}

/** The rows the collector writes for these requests (outside any timing). */
function mapAllRows(requests: readonly SerializedRequest[]): Row[] {
  const rows: Row[] = [];
  for (const request of requests) {
    const result = mapLogsRequest(decodeProtobufRequest('logs', request.protobuf));
    if (result.rejected > 0) problems.push(`mapping rejected ${result.rejected} records: ${result.errorMessage}`);
    for (const batch of result.batches) for (const row of batch.rows) rows.push(row);
  }
  return rows;
}

/** The rows encoded in blocks of `batchSize`, as the collector's writer encodes them (outside any timing). */
function encodeInBlocks(rows: readonly Row[], batchSize: number): EncodedBlock[] {
  const blocks: EncodedBlock[] = [];
  for (let i = 0; i < rows.length; i += batchSize) blocks.push(encodeRows(rows.slice(i, i + batchSize)));
  return blocks;
}

/** Inserts encoded blocks the way the collector's writer does: one insert at a time, through the engine's raw insert. */
async function insertBlocks(store: ClickHouseStore, table: string, blocks: readonly EncodedBlock[]): Promise<void> {
  // The baseline table is not one of the collector's; the store inserts into any table of its database.
  for (const block of blocks) await store.insert(table as TableName, block, randomUUID());
}

interface WireFormat {
  label: string;
  body: (request: SerializedRequest) => Uint8Array;
  headers: Record<string, string>;
  /** A full success: protobuf answers with an empty message, JSON with `{}`. */
  isFullSuccess: (body: Buffer) => boolean;
}

const WIRE_FORMATS: readonly WireFormat[] = [
  {
    label: 'OTLP/JSON',
    body: (r) => r.json,
    headers: { 'content-type': 'application/json' },
    isFullSuccess: (b) => b.length === 0 || Object.keys(JSON.parse(b.toString('utf8')) as object).length === 0,
  },
  {
    label: 'OTLP/protobuf',
    body: (r) => r.protobuf,
    headers: { 'content-type': 'application/x-protobuf' },
    isFullSuccess: (b) => b.length === 0,
  },
  {
    label: 'OTLP/protobuf+gzip',
    body: (r) => r.gzipProtobuf,
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    isFullSuccess: (b) => b.length === 0,
  },
];

/** POSTs every request with `concurrency` in flight; returns one message per failed request. */
async function postAll(
  endpoint: string,
  requests: readonly SerializedRequest[],
  format: WireFormat,
  concurrency: number,
): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const failure = await postOne(endpoint, format, format.body(requests[index]!));
      if (failure) failures.push(`${format.label} request ${index}: ${failure}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
  return failures;
}

async function postOne(endpoint: string, format: WireFormat, body: Uint8Array): Promise<string | undefined> {
  try {
    const response = await fetch(endpoint, { method: 'POST', headers: format.headers, body: body as Uint8Array<ArrayBuffer> });
    const answer = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) return `HTTP ${response.status} ${answer.toString('utf8').slice(0, 200)}`;
    if (!format.isFullSuccess(answer)) return `partial success: ${answer.toString('utf8').slice(0, 200)}`;
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

// ---- store helpers ----

async function countRows(client: ClickHouseClient, table: string): Promise<number> {
  const result = await client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

/**
 * Measures a scenario that writes `events` rows into `table` and checks they
 * all arrived. `work` returns one message per failed request.
 */
async function measureWrites(
  client: ClickHouseClient,
  scenario: string,
  events: number,
  table: string,
  work: () => Promise<string[]>,
): Promise<Measurement> {
  await settle(client);
  const before = await countRows(client, table);
  let failures: string[] = [];
  const m = await measure(scenario, events, async () => {
    failures = await work();
  });
  const stored = (await countRows(client, table)) - before;
  if (stored !== events) failures.push(`${table} gained ${stored} rows, expected ${events}`);
  return failures.length === 0 ? m : failed(m, failures);
}

/** Waits (up to 30 s) for background merges of earlier scenarios, so they do not bill the next one. */
async function settle(client: ClickHouseClient): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await countRows(client, 'system.merges')) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// ---- report ----

function printSettings(options: Options, config: CollectorConfig, requests: readonly SerializedRequest[], buildSeconds: number): void {
  const total = (pick: (r: SerializedRequest) => Uint8Array) => mb(requests.reduce((n, r) => n + pick(r).byteLength, 0)).toFixed(1);
  const cpus = os.cpus();
  console.log('TunnelVision collector ingest benchmark');
  console.log(`  events per scenario   ${options.events.toLocaleString('en-US')} (${requests.length} requests of up to ${RECORDS_PER_REQUEST} records)`);
  console.log(`  batch size            ${config.batchMaxRows.toLocaleString('en-US')} rows (max delay ${config.batchMaxDelayMillis} ms)`);
  console.log(`  concurrency           ${options.concurrency} requests in flight`);
  console.log(`  payload               JSON ${total((r) => r.json)} MB, protobuf ${total((r) => r.protobuf)} MB, protobuf+gzip ${total((r) => r.gzipProtobuf)} MB (built in ${buildSeconds.toFixed(1)} s)`);
  console.log(`  store                 embedded chDB, database ${config.database}`);
  console.log(`  node                  ${process.version} on ${os.platform()}/${os.arch()}`);
  console.log(`  CPUs                  ${os.availableParallelism()} x ${cpus[0]?.model.trim() ?? 'unknown'}`);
  if (options.concurrency * RECORDS_PER_REQUEST < config.batchMaxRows) {
    console.log(`  note: ${options.concurrency} x ${RECORDS_PER_REQUEST} records in flight < batch size; batches flush on the ${config.batchMaxDelayMillis} ms timer`);
  }
  console.log('');
}

function printTable(results: readonly Measurement[], baseline: Measurement): void {
  const rate = (m: Measurement) => m.events / m.seconds;
  const header = ['scenario', 'events', 'seconds', 'events/s', 'vs baseline', 'RSS before MB', 'peak RSS MB', 'RSS after MB'];
  const rows = results.map((m) => [
    m.failed ? `${m.scenario} FAILED` : m.scenario,
    m.events.toLocaleString('en-US'),
    m.seconds.toFixed(2),
    Math.round(rate(m)).toLocaleString('en-US'),
    `${(rate(m) / rate(baseline)).toFixed(2)}x`,
    m.rss.beforeMb.toFixed(0),
    m.rss.peakMb.toFixed(0),
    m.rss.afterMb.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // Scenario names left-aligned, numbers right-aligned.
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
}

/**
 * Runs the decode and HTTP paths once on a batch worth of requests, untimed,
 * so JIT compilation does not land in the first measured scenario. The
 * requests posted here add rows to `logs`.
 */
async function warmUp(collector: RunningCollector, requests: readonly SerializedRequest[], batchSize: number): Promise<void> {
  progress('warming up ...');
  const sample = requests.slice(0, Math.max(1, Math.ceil(batchSize / RECORDS_PER_REQUEST)));
  await decodeAndMap(sample, 'json');
  await decodeAndMap(sample, 'protobuf');
  for (const format of WIRE_FORMATS) {
    const failures = await postAll(`${collector.url}/v1/logs`, sample, format, sample.length);
    for (const failure of failures.slice(0, 5)) problems.push(`warm-up: ${failure}`);
  }
}

// ---- main ----

async function runScenarios(options: Options, collector: RunningCollector, config: CollectorConfig, requests: readonly SerializedRequest[]) {
  const client = collector.store.client;
  const events = requests.reduce((n, r) => n + r.records, 0);
  const logsTable = `${config.database}.logs`;
  const baselineTable = `${config.database}.${BASELINE_TABLE}`;
  const results: Measurement[] = [];

  await warmUp(collector, requests, config.batchMaxRows);

  // Decode + map only: the collector's own CPU work.
  for (const format of ['json', 'protobuf'] as const) {
    let rows = 0;
    const label = format === 'json' ? 'OTLP/JSON' : 'OTLP/protobuf';
    const m = await measure(`decode+map only (${label})`, events, async () => {
      rows = await decodeAndMap(requests, format);
    });
    results.push(rows === events ? m : failed(m, [`${rows} rows for ${events} records`]));
  }

  // Baseline: the engine's raw insert of the same rows, already encoded, into
  // a copy of `logs` without views. The first bulk insert of a process runs
  // ~20% slower (JIT, store caches); an untimed pass keeps that out of it.
  let blocks: EncodedBlock[] | undefined = encodeInBlocks(mapAllRows(requests), config.batchMaxRows);
  await client.command({ query: `CREATE TABLE ${baselineTable} AS ${logsTable}` });
  await insertBlocks(collector.store, BASELINE_TABLE, blocks);
  await client.command({ query: `TRUNCATE TABLE ${baselineTable}` });
  const insert = (table: string) => async () => {
    await insertBlocks(collector.store, table, blocks!);
    return [];
  };
  const baseline = await measureWrites(client, 'baseline: raw insert (no MVs)', events, baselineTable, insert(BASELINE_TABLE));
  results.push(baseline);
  // The same insert into `logs`, whose rollup views run on every insert.
  results.push(await measureWrites(client, 'raw insert into logs (+MVs)', events, logsTable, insert('logs')));
  blocks = undefined; // let the encoded rows go before the end-to-end runs

  // End to end over HTTP.
  for (const format of WIRE_FORMATS) {
    const post = () => postAll(`${collector.url}/v1/logs`, requests, format, options.concurrency);
    results.push(await measureWrites(client, `collector ${format.label}`, events, logsTable, post));
  }

  const stats = collector.writer.stats();
  if (stats.insertsFailed > 0) problems.push(`collector inserts failed ${stats.insertsFailed} times: ${stats.lastError}`);
  return { results, baseline };
}

async function main(options: Options): Promise<readonly string[]> {

  progress(`serializing ${options.events.toLocaleString('en-US')} events ...`);
  const buildStart = performance.now();
  const requests = await buildSerializedRequests({ events: options.events, recordsPerRequest: RECORDS_PER_REQUEST });
  const buildSeconds = (performance.now() - buildStart) / 1000;

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tunnelvision-bench-'));
  try {
    const config = loadCollectorConfig(process.env, [], {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      clickhouseUrl: undefined,
      logLevel: 'warn',
      // Every scenario sends the same requests again; with receipts on, the
      // collector would rightly answer them as already stored.
      dedupWindowSeconds: 0,
    });
    const collector = await startCollector(config);
    try {
      const { results, baseline } = await runScenarios(options, collector, config, requests);
      printSettings(options, config, requests, buildSeconds);
      printTable(results, baseline);
    } finally {
      await collector.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }

  return problems;
}

runBench({ parse: parseOptions, help: HELP, main });
