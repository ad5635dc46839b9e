/**
 * Ingest benchmark: what storing TunnelVision events costs the collector,
 * per CPU-second of its whole process (embedded ClickHouse included) and
 * per second of wall time, for OTLP/JSON and OTLP/protobuf with and without
 * gzip; how fast one exporter sending 1,000-record batches one at a time
 * gets through; and how soon an event posted under full load can be read
 * back from the query API.
 *
 * The collector runs in a process of its own, started as the tests start it
 * (embedded store in a fresh directory), so the figures are its own: CPU
 * from /proc (every thread), peak RSS from VmHWM. This process only sends
 * requests serialized beforehand with the official OpenTelemetry
 * serializers, 1,000 records each.
 *
 * Baseline, measured in the same run: the engine's raw insert of exactly the
 * rows the collector writes for the same requests, in the format it writes
 * them (RowBinary; also shown as JSONEachRow, its format before), mapped and
 * encoded outside the timing, one block of the collector's batch size at a time,
 * into a copy of `logs` without its rollup views, in this process, CPU from
 * process.cpuUsage(). That is what the store itself charges per row; "vs
 * baseline" says how much of it the collector keeps. Every scenario runs
 * REPEATS times, interleaved, and the table shows medians, because runs on
 * a shared 2-core VM spread by a third or more.
 *
 * Usage: npm run bench -- [--events N] [--concurrency N] [--repeats N]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import { startCollector } from '../src/collector.js';
import { loadCollectorConfig, type CollectorConfig } from '../src/config/collector-config.js';
import { encodeBlock, encodeRows, type EncodedBlock } from '../src/ingest/encoded-block.js';
import { mapLogsRequest } from '../src/ingest/log-rows.js';
import { decodeProtobufRequest } from '../src/otlp/protobuf-codec.js';
import type { ClickHouseStore } from '../src/store/clickhouse-store.js';
import type { TableName } from '../src/store/table-names.js';
import { startCollectorProcess, type CollectorProcess } from '../src/testing/collector-process.js';
import { positiveInt, progressTo, runBench } from './bench-cli.js';
import { cpuSeconds, peakRssBytes } from './process-usage.js';
import { median, percentile } from './sample-stats.js';
import { buildSerializedRequests, type SerializedRequest } from './telemetry-fixture.js';

const RECORDS_PER_REQUEST = 1_000;
const DEFAULT_EVENTS = 100_000;
const DEFAULT_CONCURRENCY = 16;
const DEFAULT_REPEATS = 3;
const BASELINE_TABLE = 'bench_baseline';
/** How often the freshness probe posts one event while the load runs. */
const PROBE_EVERY_MILLIS = 100;

type Row = Record<string, unknown>;

interface Options {
  events: number;
  concurrency: number;
  repeats: number;
}

/** One run of one scenario. */
interface Run {
  events: number;
  /** Until every event was stored. */
  seconds: number;
  /** Until every request was answered, when that came sooner (acknowledged once spooled). */
  answeredSeconds?: number;
  cpuSeconds: number;
}

interface Scenario {
  name: string;
  runs: Run[];
  /** Peak RSS of the process that did the work, MB (the collector's for collector scenarios). */
  peakRssMb?: number;
  /** Extra figures printed under the table. */
  notes: string[];
}

const problems: string[] = [];
const progress = progressTo('bench');

// ---- command line ----

const HELP = `Usage: npm run bench -- [options]

Measures collector ingest (OTLP/HTTP -> ClickHouse) per CPU-second against the engine's raw insert of the same rows.

Options:
  --events N        log records per scenario run (default ${DEFAULT_EVENTS})
  --concurrency N   requests in flight for the throughput runs (default ${DEFAULT_CONCURRENCY}); requests carry ${RECORDS_PER_REQUEST} records
  --repeats N       runs of each scenario, interleaved; the table shows medians (default ${DEFAULT_REPEATS})
  --help            show this help`;

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string' }, concurrency: { type: 'string' }, repeats: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  return {
    events: positiveInt('--events', values.events, DEFAULT_EVENTS),
    concurrency: positiveInt('--concurrency', values.concurrency, DEFAULT_CONCURRENCY),
    repeats: positiveInt('--repeats', values.repeats, DEFAULT_REPEATS),
  };
}

// ---- figures ----

const perSecond = (r: Run) => r.events / r.seconds;
const perCpuSecond = (r: Run) => r.events / r.cpuSeconds;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number) => bytes / (1024 * 1024);

// ---- the engine's raw insert (baseline) ----

/** The rows the collector writes for these requests, in blocks of its batch size and in `encode`'s format (outside any timing). */
function encodeInBlocks(requests: readonly SerializedRequest[], batchSize: number, encode: (rows: Row[]) => EncodedBlock): EncodedBlock[] {
  const rows: Row[] = [];
  for (const request of requests) {
    const result = mapLogsRequest(decodeProtobufRequest('logs', request.protobuf));
    if (result.rejected > 0) problems.push(`mapping rejected ${result.rejected} records: ${result.errorMessage}`);
    for (const batch of result.batches) rows.push(...batch.rows);
  }
  const blocks: EncodedBlock[] = [];
  for (let i = 0; i < rows.length; i += batchSize) blocks.push(encode(rows.slice(i, i + batchSize)));
  return blocks;
}

async function countRows(client: ClickHouseClient, table: string): Promise<number> {
  const result = await client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0);
}

/** One insert at a time through the engine's raw insert, as the collector's writer does; CPU of this whole process. */
async function timeRawInsert(store: ClickHouseStore, table: string, blocks: readonly EncodedBlock[], events: number): Promise<Run> {
  const before = await countRows(store.client, `${store.database}.${table}`);
  const cpu = process.cpuUsage();
  const started = performance.now();
  // The baseline table is not one of the collector's; the store inserts into any table of its database.
  for (const block of blocks) await store.insert({ database: store.database, table: table as TableName }, block, randomUUID());
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const stored = (await countRows(store.client, `${store.database}.${table}`)) - before;
  if (stored !== events) problems.push(`raw insert into ${table}: ${stored} rows stored, expected ${events}`);
  return { events, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

// ---- the collector over HTTP ----

interface WireFormat {
  label: string;
  body: (request: SerializedRequest) => Uint8Array;
  headers: Record<string, string>;
  /** A full success: protobuf answers with an empty message, JSON with `{}`. */
  isFullSuccess: (body: Buffer) => boolean;
}

const jsonSuccess = (b: Buffer) => b.length === 0 || Object.keys(JSON.parse(b.toString('utf8')) as object).length === 0;
const WIRE_FORMATS: readonly WireFormat[] = [
  { label: 'OTLP/JSON', body: (r) => r.json, headers: { 'content-type': 'application/json' }, isFullSuccess: jsonSuccess },
  { label: 'OTLP/JSON+gzip', body: (r) => r.gzipJson, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, isFullSuccess: jsonSuccess },
  { label: 'OTLP/protobuf', body: (r) => r.protobuf, headers: { 'content-type': 'application/x-protobuf' }, isFullSuccess: (b) => b.length === 0 },
  {
    label: 'OTLP/protobuf+gzip',
    body: (r) => r.gzipProtobuf,
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    isFullSuccess: (b) => b.length === 0,
  },
];
const PROTOBUF = WIRE_FORMATS[2]!;

/** POSTs one request; returns why it failed, or undefined. */
async function postOne(url: string, format: WireFormat, body: Uint8Array): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/v1/logs`, { method: 'POST', headers: format.headers, body: body as Uint8Array<ArrayBuffer> });
    const answer = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) return `HTTP ${response.status} ${answer.toString('utf8').slice(0, 200)}`;
    if (!format.isFullSuccess(answer)) return `partial success: ${answer.toString('utf8').slice(0, 200)}`;
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** POSTs every request with `concurrency` in flight. */
async function postAll(url: string, requests: readonly SerializedRequest[], format: WireFormat, concurrency: number, label: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const failure = await postOne(url, format, format.body(requests[index]!));
      if (failure) problems.push(`${label} request ${index}: ${failure}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
}

/** Rows the collector has inserted into `logs` so far, from its own /metrics. */
async function rowsInserted(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const failures = /^tunnelvision_insert_failures_total\{table="logs"\} (\S+)$/m.exec(text);
  if (failures && Number(failures[1]) > 0) problems.push(`collector inserts into logs failed ${failures[1]} times`);
  return Number(/^tunnelvision_insert_batch_rows_sum\{table="logs"\} (\S+)$/m.exec(text)?.[1] ?? 0);
}

/** Waits (up to 20 s) until the collector is idle (background merges of the last run done), so they do not bill the next one. */
async function settle(collector: CollectorProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  let last = cpuSeconds(collector.pid);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = cpuSeconds(collector.pid);
    if (now - last < 0.05) return;
    last = now;
  }
}

/** One run: every request posted, every row stored, the collector's CPU from /proc until then. Settle first. */
async function timeCollector(
  collector: CollectorProcess,
  requests: readonly SerializedRequest[],
  format: WireFormat,
  concurrency: number,
  label: string,
  /** Called once the requests are answered: stops other senders and says how many rows they added. */
  stopOthers: () => Promise<number> = async () => 0,
): Promise<Run> {
  const events = requests.reduce((n, r) => n + r.records, 0);
  const before = await rowsInserted(collector.url);
  const cpu = cpuSeconds(collector.pid);
  const started = performance.now();
  await postAll(collector.url, requests, format, concurrency, label);
  const answeredSeconds = (performance.now() - started) / 1000;
  const others = await stopOthers();
  // A collector that answers once rows are spooled stores them after; the run ends when they are stored.
  const deadline = Date.now() + 60_000;
  let stored = (await rowsInserted(collector.url)) - before;
  while (stored < events + others && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    stored = (await rowsInserted(collector.url)) - before;
  }
  const seconds = (performance.now() - started) / 1000;
  const used = cpuSeconds(collector.pid) - cpu;
  if (stored !== events + others) problems.push(`${label}: ${stored} rows inserted, expected ${events + others}`);
  return { events, seconds, cpuSeconds: used, ...(seconds - answeredSeconds > 0.05 ? { answeredSeconds } : {}) };
}

/**
 * While the protobuf load runs, posts one event every PROBE_EVERY_MILLIS and
 * polls the timeline until it is there: acknowledgement and visibility
 * times, milliseconds from the probe's send.
 */
async function freshnessUnderLoad(collector: CollectorProcess, requests: readonly SerializedRequest[], concurrency: number) {
  const acked: number[] = [];
  const visible: number[] = [];
  let loading = true;
  const probes: Promise<void>[] = [];
  const probe = async (n: number) => {
    const session = `fresh-${randomUUID()}`;
    const sent = performance.now();
    const response = await fetch(`${collector.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(logsRequest({ 'service.name': 'freshness-probe' }, [eventRecord('msg.sent', { 'session.id': session, 'tv.message.id': `probe-${n}` })])),
    });
    await response.arrayBuffer();
    if (response.status !== 200) {
      problems.push(`freshness probe ${n}: HTTP ${response.status}`);
      return;
    }
    acked.push(performance.now() - sent);
    for (;;) {
      const timeline = (await (await fetch(`${collector.url}/api/v1/timeline?session_id=${session}`)).json()) as { events?: unknown[] };
      if ((timeline.events?.length ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    visible.push(performance.now() - sent);
  };
  await settle(collector);
  const prober = (async () => {
    for (let n = 0; loading; n++) {
      probes.push(probe(n));
      await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MILLIS));
    }
  })();
  // The probes' own events are inserted too: counted once the last one is answered.
  const run = await timeCollector(collector, requests, PROTOBUF, concurrency, 'freshness load', async () => {
    loading = false;
    await prober;
    await Promise.all(probes);
    return acked.length;
  });
  return { run, acked, visible };
}

/** The freshness run as a scenario: its load in the table, the probes' times under it, and the collector's peak RSS since start. */
async function probedScenario(name: string, collector: CollectorProcess, requests: readonly SerializedRequest[], concurrency: number): Promise<Scenario> {
  const fresh = await freshnessUnderLoad(collector, requests, concurrency);
  const note =
    `freshness, ${fresh.visible.length} probes: readable in the query API p50 ${percentile(fresh.visible, 0.5).toFixed(0)} ms, p99 ${percentile(fresh.visible, 0.99).toFixed(0)} ms; ` +
    `acknowledged p50 ${percentile(fresh.acked, 0.5).toFixed(0)} ms, p99 ${percentile(fresh.acked, 0.99).toFixed(0)} ms`;
  return { name, runs: [fresh.run], peakRssMb: mb(peakRssBytes(collector.pid)), notes: [note] };
}

// ---- report ----

function printTable(scenarios: readonly Scenario[], baseline: Scenario): void {
  const baselineRate = median(baseline.runs.map(perCpuSecond));
  const header = ['scenario', 'runs', 'events/s', 'CPU s', 'events per CPU-s', 'vs baseline', 'peak RSS MB'];
  const rows = scenarios.map((s) => {
    const rate = median(s.runs.map(perCpuSecond));
    return [
      s.name,
      String(s.runs.length),
      thousands(median(s.runs.map(perSecond))),
      median(s.runs.map((r) => r.cpuSeconds)).toFixed(2),
      thousands(rate),
      `${(rate / baselineRate).toFixed(2)}x`,
      s.peakRssMb === undefined ? '' : s.peakRssMb.toFixed(0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
  for (const s of scenarios) for (const note of s.notes) console.log(`  ${s.name}: ${note}`);
}

function printSettings(options: Options, config: CollectorConfig, requests: readonly SerializedRequest[]): void {
  const total = (pick: (r: SerializedRequest) => Uint8Array) => mb(requests.reduce((n, r) => n + pick(r).byteLength, 0)).toFixed(1);
  console.log('TunnelVision collector ingest benchmark (medians of interleaved runs)');
  console.log(`  events per run        ${options.events.toLocaleString('en-US')} (${requests.length} requests of up to ${RECORDS_PER_REQUEST} records), ${options.repeats} runs each`);
  console.log(`  collector             own process, embedded store; ${options.concurrency} requests in flight; inserts at most every ${config.batchMinIntervalMillis} ms per table, at once at ${config.batchMaxRows.toLocaleString('en-US')} rows`);
  console.log(`  payload per run       JSON ${total((r) => r.json)} MB (gzip ${total((r) => r.gzipJson)}), protobuf ${total((r) => r.protobuf)} MB (gzip ${total((r) => r.gzipProtobuf)})`);
  console.log(`  node                  ${process.version} on ${os.platform()}/${os.arch()}, ${os.availableParallelism()} x ${os.cpus()[0]?.model.trim() ?? 'unknown'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB`);
  console.log('');
}

// ---- main ----

async function main(options: Options): Promise<readonly string[]> {
  progress(`serializing ${options.events.toLocaleString('en-US')} events ...`);
  // Warm-up requests of their own, so no measured request was seen before.
  const built = await buildSerializedRequests({ events: options.events + 10 * RECORDS_PER_REQUEST, recordsPerRequest: RECORDS_PER_REQUEST });
  const warmUp = built.slice(0, 10);
  const requests = built.slice(10);
  const events = requests.reduce((n, r) => n + r.records, 0);

  const baselineDir = await mkdtemp(path.join(os.tmpdir(), 'tunnelvision-bench-baseline-'));
  const collectorDir = await mkdtemp(path.join(os.tmpdir(), 'tunnelvision-bench-collector-'));
  const config = loadCollectorConfig(process.env, [], { port: 0, host: '127.0.0.1', dataDir: baselineDir, clickhouseUrl: undefined, logLevel: 'warn' });
  const local = await startCollector(config);
  // Every run resends the same requests; request receipts would rightly answer them as already stored.
  const collector = await startCollectorProcess(collectorDir, path.join(collectorDir, 'no-fault'), { dedupWindowSeconds: 0 });
  const spooledDir = await mkdtemp(path.join(os.tmpdir(), 'tunnelvision-bench-spooled-'));
  // Answered early, a sender's rows stay buffered while it sends more: the buffer holds twice what the senders keep in flight (docs/operations.md).
  const spooledBuffer = Math.max(config.maxBufferedRows, 2 * options.concurrency * RECORDS_PER_REQUEST);
  const spooled = await startCollectorProcess(spooledDir, path.join(spooledDir, 'no-fault'), { dedupWindowSeconds: 0, acknowledge: 'spooled', maxBufferedRows: spooledBuffer });
  try {
    // As the collector writes them (RowBinary), and as JSONEachRow, which it wrote before.
    const blocks = encodeInBlocks(requests, config.batchMaxRows, (rows) => encodeBlock('logs', rows));
    const jsonBlocks = encodeInBlocks(requests, config.batchMaxRows, encodeRows);
    await local.store.client.command({ query: `CREATE TABLE ${config.database}.${BASELINE_TABLE} AS ${config.database}.logs` });
    // Untimed passes: JIT, first parts, HTTP connections.
    progress('warming up ...');
    await timeRawInsert(local.store, BASELINE_TABLE, blocks, events);
    for (const target of [collector, spooled]) for (const format of WIRE_FORMATS) await postAll(target.url, warmUp, format, warmUp.length, 'warm-up');

    const baseline: Scenario = { name: 'baseline: engine raw insert (no views)', runs: [], notes: [] };
    const asJson: Scenario = { name: 'engine raw insert, JSONEachRow (no views)', runs: [], notes: [] };
    const withViews: Scenario = { name: 'engine raw insert into logs (+views)', runs: [], notes: [] };
    const overHttp = WIRE_FORMATS.map((format): Scenario => ({ name: `collector ${format.label}`, runs: [], notes: [] }));
    const single: Scenario = { name: 'collector, 1 exporter, 1 batch at a time', runs: [], notes: [] };
    const spooledMany: Scenario = { name: `collector ${PROTOBUF.label}, COLLECTOR_ACK=spooled`, runs: [], notes: [] };
    const spooledSingle: Scenario = { name: 'collector, 1 exporter, COLLECTOR_ACK=spooled', runs: [], notes: [] };
    for (let rep = 1; rep <= options.repeats; rep++) {
      progress(`run ${rep} of ${options.repeats} ...`);
      baseline.runs.push(await timeRawInsert(local.store, BASELINE_TABLE, blocks, events));
      asJson.runs.push(await timeRawInsert(local.store, BASELINE_TABLE, jsonBlocks, events));
      withViews.runs.push(await timeRawInsert(local.store, 'logs', blocks, events));
      for (let f = 0; f < WIRE_FORMATS.length; f++) {
        await settle(collector);
        overHttp[f]!.runs.push(await timeCollector(collector, requests, WIRE_FORMATS[f]!, options.concurrency, overHttp[f]!.name));
      }
      await settle(collector);
      single.runs.push(await timeCollector(collector, requests, PROTOBUF, 1, single.name));
      await settle(spooled);
      spooledMany.runs.push(await timeCollector(spooled, requests, PROTOBUF, options.concurrency, spooledMany.name));
      await settle(spooled);
      spooledSingle.runs.push(await timeCollector(spooled, requests, PROTOBUF, 1, spooledSingle.name));
    }
    const underLoad = await probedScenario('collector under probe load', collector, requests, options.concurrency);
    const spooledUnderLoad = await probedScenario('collector under probe load, COLLECTOR_ACK=spooled', spooled, requests, options.concurrency);
    for (const s of [...overHttp, single]) s.peakRssMb = underLoad.peakRssMb;
    for (const s of [spooledMany, spooledSingle]) {
      s.peakRssMb = spooledUnderLoad.peakRssMb;
      const answered = s.runs.filter((r) => r.answeredSeconds !== undefined);
      if (answered.length > 0) s.notes.push(`every request answered at ${thousands(median(answered.map((r) => r.events / r.answeredSeconds!)))} events/s (median); the table counts until every event was stored`);
    }
    printSettings(options, config, requests);
    console.log(`  COLLECTOR_ACK=spooled   a second collector, answering once rows are in its spool, buffering up to ${spooledBuffer.toLocaleString('en-US')} rows\n`);
    printTable([baseline, asJson, withViews, ...overHttp, single, spooledMany, spooledSingle, underLoad, spooledUnderLoad], baseline);
  } finally {
    for (const target of [collector, spooled]) {
      const code = await target.stop('SIGTERM');
      if (code !== 0) problems.push(`collector exit code ${code} after SIGTERM`);
    }
    await local.stop();
    await rm(baselineDir, { recursive: true, force: true });
    await rm(collectorDir, { recursive: true, force: true });
    await rm(spooledDir, { recursive: true, force: true });
  }
  return problems;
}

runBench({ parse: parseOptions, help: HELP, main });
