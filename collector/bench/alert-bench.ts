/**
 * Alert bench: how soon a reconnect storm reaches on-call, what one
 * evaluation cycle costs with millions of events stored, and how the
 * anomaly rule does over a synthetic week.
 *
 * 1. Storm onset -> webhook, at default settings (10 s evaluation interval,
 *    built-in rules, no rules file): a fresh collector in this process with
 *    ALERT_WEBHOOK_URL pointing at a real HTTP receiver. Each run crashes a
 *    gateway of a new service: its clients, each with the official
 *    OpenTelemetry SDK (LoggerProvider, BatchLogRecordProcessor with its
 *    default 1 s delay, OTLPLogExporter), reconnect with jitter in real time
 *    (live-reconnect-storm.ts). Runs start a random 0–10 s apart, so each
 *    lands at another moment of the evaluator's timer. Onset is when the
 *    first conn.open is emitted; the run ends when the receiver gets the
 *    `firing` page of `reconnect-storm` for that service.
 * 2. Evaluator cost per cycle with N events stored (default 10M over the
 *    last 7 days, generated inside ClickHouse by synthetic-events.ts; the
 *    rollup views fill events_1m, latency_1m, events_10s and latency_10s as
 *    ingest would). `runCycle` is timed with the built-in rules alone, with
 *    two threshold and two burn-rate rules added from a rules file, and
 *    again with a storm under way on six groups (the anomaly rules then also
 *    read their baselines from the per-minute rollup). Cycles are evaluated at
 *    the end of the synthetic week, which is where its rows stop (recent
 *    windows read everything from their start on, so this is what a cycle
 *    at that moment reads). Baseline: the same recent-window questions
 *    answered from the raw `logs` table instead of the 10 s rollups, timed
 *    the same way, with the answers compared; once on the week as loaded
 *    (~600 events a minute) and once after copying 1M of its events into the
 *    last minute, the rate of a busy deployment. Also the on-disk size of
 *    the 10 s rollups against `logs`.
 * 3. The anomaly week study (anomaly-week-study.ts): false pages and misses
 *    of the anomaly rule against fixed thresholds on a synthetic week.
 *
 * Everything runs in this one process (chDB binds one data directory per
 * process; the two collectors run one after the other, each on its own
 * temporary directory, removed at the end).
 *
 * Usage: npx tsx collector/bench/alert-bench.ts [--storms N] [--clients N] [--events N] [--chunk-rows N] [--cycles N]
 */
import { positiveInt, progressTo, runBench } from './bench-cli.js';
import { median, percentile } from './sample-stats.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertNotificationBody, AlertRule } from '../src/api-types.js';
import type { CycleReport } from '../src/alerts/alert-evaluator.js';
import { FirstSeenCache } from '../src/alerts/signals/first-seen-cache.js';
import { observeRule, type Observation } from '../src/alerts/evaluate/observe-rule.js';
import { readObjectiveWindows, readRecentCounts } from '../src/alerts/signals/signal-reader.js';
import { loadCollectorConfig, startCollector, type RunningCollector } from '../src/index.js';
import { filterSql } from '../src/query/filters.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test/support/webhook-receiver.js';
import { formatStudyTable, runAnomalyWeekStudy } from './anomaly-week-study.js';
import { startLiveReconnectStorm } from './live-reconnect-storm.js';
import { insertSyntheticEvents, postSyntheticDeploys, SYNTHETIC_SERVERS, SYNTHETIC_SPAN_MILLIS } from './synthetic-events.js';

const DATABASE = 'tunnelvision';
const DEFAULT_STORMS = 5;
const DEFAULT_CLIENTS = 300;
const DEFAULT_EVENTS = 10_000_000;
const DEFAULT_CHUNK_ROWS = 1_000_000;
const DEFAULT_CYCLES = 10;
/** Reconnects spread over this long after the crash (full jitter), after the shortest delay. */
const STORM_JITTER_MILLIS = 5_000;
const STORM_MIN_DELAY_MILLIS = 100;
/** Random wait before each storm: up to one default evaluation interval. */
const MAX_WAIT_BEFORE_STORM_MILLIS = 10_000;
const ONSET_TO_PAGE_GOAL_MILLIS = 15_000;
/** A storm whose page has not arrived by then counts as missed. */
const PAGE_TIMEOUT_MILLIS = 60_000;
const MERGE_SETTLE_LIMIT_MILLIS = 60_000;
/** The storm injected for the "storm under way" cycles: clients per server of chat-web production. */
const INJECTED_STORM_CLIENTS_PER_SERVER = 400;
/** Events copied into the last minute for the "busy minute" comparison: the rate of a busy deployment (~18k events/s). */
const BUSY_MINUTE_EVENTS = 1_000_000;
const STORM_RULE = 'reconnect-storm';

/** Rules added from a rules file in part 2: what an operator typically adds on top of the built-in ones. */
const FILE_RULES = [
  { id: 'gateway-p99', name: 'Delivery p99 above 800 ms', kind: 'threshold', signal: 'latency_p99', window: '5m', op: '>', value: 800, severity: 'ticket' },
  { id: 'reconnects-5m', name: 'More than 500 reconnects in 5 minutes', kind: 'threshold', signal: 'reconnects', window: '5m', op: '>', value: 500 },
  { id: 'connect-slo', name: 'Connect success objective', kind: 'burn_rate', objective: 'connect_success', target: 0.995 },
  { id: 'fast-delivery-slo', name: 'Delivery within 250 ms', kind: 'burn_rate', objective: 'delivery_latency', target: 0.95, latency_threshold_ms: 250 },
] as const;

const HELP = `TunnelVision alert bench: storm onset -> webhook at default settings, evaluator
cost per cycle with millions of events stored (10 s rollups vs the raw table),
and the anomaly week study.

Usage: npx tsx collector/bench/alert-bench.ts [options]

Options:
  --storms N       reconnect storms, one after another, each on a new service (default ${DEFAULT_STORMS})
  --clients N      clients per storm (default ${DEFAULT_CLIENTS})
  --events N       events loaded for the cost measurement, over the last 7 days (default ${DEFAULT_EVENTS})
  --chunk-rows N   rows per INSERT … SELECT statement of that load (default ${DEFAULT_CHUNK_ROWS})
  --cycles N       timed evaluation cycles (and query runs) per scenario, after one warm-up (default ${DEFAULT_CYCLES})
  --help           show this help`;

interface Options {
  storms: number;
  clients: number;
  events: number;
  chunkRows: number;
  cycles: number;
}

const problems: string[] = [];

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      storms: { type: 'string' },
      clients: { type: 'string' },
      events: { type: 'string' },
      'chunk-rows': { type: 'string' },
      cycles: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  return {
    storms: positiveInt('--storms', values.storms, DEFAULT_STORMS),
    clients: positiveInt('--clients', values.clients, DEFAULT_CLIENTS),
    events: positiveInt('--events', values.events, DEFAULT_EVENTS),
    chunkRows: positiveInt('--chunk-rows', values['chunk-rows'], DEFAULT_CHUNK_ROWS),
    cycles: positiveInt('--cycles', values.cycles, DEFAULT_CYCLES),
  };
}


// ---- helpers ----

const progress = progressTo('alert-bench');

const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis));
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const fmtS = (ms: number) => (ms / 1000).toFixed(2);
const fmtBytes = (b: number) => (b >= 1024 ** 3 ? `${(b / 1024 ** 3).toFixed(2)} GiB` : b >= 1024 ** 2 ? `${(b / 1024 ** 2).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);

/** A table like the other benches print: first column left-aligned, numbers right-aligned. */
function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 1): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  console.log(title);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
  console.log('');
}

async function queryRows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

async function queryNumber(client: ClickHouseClient, query: string): Promise<number> {
  const [row] = await queryRows<{ value: string }>(client, query);
  return Number(row?.value ?? 0);
}

/** Times `work` once untimed, then `runs` times. */
async function timed<T>(runs: number, work: () => Promise<T>): Promise<{ millis: number[]; last: T }> {
  let last = await work();
  const millis: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await work();
    millis.push(performance.now() - started);
  }
  return { millis, last };
}

// ---- 1. storm onset -> webhook ----

interface StormRun {
  service: string;
  waitedMillis: number;
  crashToOnsetMillis: number;
  /** Onset to the evaluation that fired (the cycle's clock, `alert.fired_at`). */
  onsetToFiredMillis: number;
  /** Onset to the receiver having the page. */
  onsetToPageMillis: number;
  value: number | null;
  threshold: number | null;
}

function isStormPage(body: unknown, service: string): body is AlertNotificationBody {
  const b = body as AlertNotificationBody | null;
  return b?.status === 'firing' && b.alert?.rule_id === STORM_RULE && b.alert.labels.service === service;
}

async function waitForPage(receiver: WebhookReceiver, service: string, deadline: number): Promise<{ at: number; body: AlertNotificationBody } | undefined> {
  while (Date.now() < deadline) {
    const hit = receiver.received.find((r) => isStormPage(r.body, service));
    if (hit) return { at: hit.at, body: hit.body as AlertNotificationBody };
    await sleep(10);
  }
  return undefined;
}

async function measureStorms(options: Options, tempRoot: string): Promise<StormRun[]> {
  const receiver = await startWebhookReceiver();
  // Default settings: only what a bench must set (port, store, quiet log) and the webhook.
  const config = loadCollectorConfig({}, [], {
    port: 0,
    grpcPort: 'off',
    host: '127.0.0.1',
    dataDir: path.join(tempRoot, 'storm-store'),
    clickhouseUrl: undefined,
    logLevel: 'silent',
    alertWebhookUrl: receiver.url,
  });
  const collector = await startCollector(config);
  progress(`storm collector at ${collector.url}, evaluation every ${config.alertEvaluationIntervalMillis} ms, webhook ${receiver.url}`);
  const runs: StormRun[] = [];
  try {
    for (let i = 0; i < options.storms; i++) {
      const waitedMillis = Math.random() * MAX_WAIT_BEFORE_STORM_MILLIS;
      progress(`storm ${i + 1}/${options.storms}: waiting ${fmtS(waitedMillis)} s`);
      await sleep(waitedMillis);
      const fleet = { service: `storm-bench-${i + 1}-${randomBytes(3).toString('hex')}`, environment: 'production', server: `gw-${i + 1}.example.com:443` };
      const storm = startLiveReconnectStorm({
        collectorUrl: collector.url,
        fleet,
        clients: options.clients,
        jitterMillis: STORM_JITTER_MILLIS,
        minDelayMillis: STORM_MIN_DELAY_MILLIS,
        random: Math.random,
      });
      const onset = await storm.onset;
      const page = await waitForPage(receiver, fleet.service, onset + PAGE_TIMEOUT_MILLIS);
      await storm.reconnected;
      await storm.shutdown();
      if (!page) {
        problems.push(`storm ${i + 1} (${fleet.service}): no firing ${STORM_RULE} page within ${PAGE_TIMEOUT_MILLIS / 1000} s of onset`);
        continue;
      }
      const run: StormRun = {
        service: fleet.service,
        waitedMillis,
        crashToOnsetMillis: onset - storm.crashedAt,
        onsetToFiredMillis: Date.parse(page.body.alert.fired_at ?? page.body.alert.active_at) - onset,
        onsetToPageMillis: page.at - onset,
        value: page.body.alert.value,
        threshold: page.body.alert.threshold,
      };
      runs.push(run);
      progress(`storm ${i + 1}/${options.storms}: page after ${fmtS(run.onsetToPageMillis)} s (${run.value}/min against ${run.threshold}/min)`);
    }
    const others = receiver.received.filter((r) => !runs.some((run) => isStormPage(r.body, run.service)));
    const stats = collector.alerting.notifier?.stats();
    printStorms(runs, options, config.alertEvaluationIntervalMillis, config.batchMinIntervalMillis, others.map((r) => describeNotification(r.body)), stats);
  } finally {
    await collector.stop();
    await receiver.close();
  }
  return runs;
}

function describeNotification(body: unknown): string {
  const b = body as AlertNotificationBody | null;
  return b?.alert ? `${b.alert.rule_id} ${b.status} (${b.alert.labels.service ?? ''})` : 'unparsed body';
}

function printStorms(
  runs: readonly StormRun[],
  options: Options,
  intervalMillis: number,
  batchIntervalMillis: number,
  others: readonly string[],
  webhookStats: unknown,
): void {
  const rows = runs.map((r, i) => [
    String(i + 1),
    r.service,
    fmtS(r.waitedMillis),
    fmtMs(r.crashToOnsetMillis),
    fmtS(r.onsetToFiredMillis),
    fmtS(r.onsetToPageMillis - r.onsetToFiredMillis),
    fmtS(r.onsetToPageMillis),
    r.value === null ? '-' : String(r.value),
    r.threshold === null ? '-' : String(r.threshold),
  ]);
  const total = runs.map((r) => r.onsetToPageMillis);
  printTable(
    `1. Storm onset -> webhook received, default settings (evaluation every ${intervalMillis / 1000} s, built-in rules, collector inserts at most every ${batchIntervalMillis} ms); ` +
      `${options.clients} clients per storm, each its own OTel SDK (BatchLogRecordProcessor, 1 s delay) reconnecting over ${STORM_MIN_DELAY_MILLIS}–${STORM_MIN_DELAY_MILLIS + STORM_JITTER_MILLIS} ms`,
    ['run', 'service', 'waited s', 'crash->onset ms', 'onset->evaluated s', 'evaluated->received s', 'onset->received s', 'value /min', 'threshold /min'],
    rows,
    2,
  );
  if (total.length > 0) {
    const worst = Math.max(...total);
    const goal = ONSET_TO_PAGE_GOAL_MILLIS / 1000;
    console.log(
      `   onset->received: median ${fmtS(median(total))} s, worst ${fmtS(worst)} s, best ${fmtS(Math.min(...total))} s over ${total.length} storms; goal < ${goal} s: ${worst < ONSET_TO_PAGE_GOAL_MILLIS ? 'met' : 'MISSED'}` +
        ` (expected: up to 1 s SDK batch + one collector insert (${batchIntervalMillis} ms apart at least) + 0–${intervalMillis / 1000} s to the next evaluation + cycle and delivery)`,
    );
  }
  console.log(`   other notifications received meanwhile: ${others.length === 0 ? 'none' : others.join(', ')}; webhook ${JSON.stringify(webhookStats ?? null)}`);
  console.log('');
}

// ---- 2. evaluator cost at scale ----

interface CycleSample {
  scenario: string;
  rules: number;
  groups: number;
  active: number;
  millis: number[];
}

interface RuleSample {
  rule: AlertRule;
  groups: number;
  holding: number;
  millis: number[];
}

/** What the rollup-vs-raw comparison measured for one question. */
interface QueryComparison {
  /** Which data: the synthetic week, or the week plus a busy last minute. */
  data: string;
  question: string;
  window: string;
  rollupRows: number;
  rawRows: number;
  rollupMillis: number[];
  rawMillis: number[];
  sameAnswer: boolean;
}

async function measureEvaluatorAtScale(options: Options, tempRoot: string): Promise<void> {
  const rulesFile = path.join(tempRoot, 'alert-rules.json');
  await writeFile(rulesFile, JSON.stringify({ rules: FILE_RULES }, null, 2));
  // The evaluator's own timer is set far out so only the timed cycles run.
  const config = loadCollectorConfig({}, [], {
    port: 0,
    grpcPort: 'off',
    host: '127.0.0.1',
    dataDir: path.join(tempRoot, 'scale-store'),
    clickhouseUrl: undefined,
    logLevel: 'silent',
    alertEvaluationIntervalMillis: 600_000,
    alertRulesFile: rulesFile,
  });
  const collector = await startCollector(config);
  try {
    const client = collector.store.client;
    const nowMs = Date.now();
    progress(`scale collector at ${collector.url}; loading ${fmtInt(options.events)} events in chunks of ${fmtInt(options.chunkRows)}`);
    const load = await insertSyntheticEvents(client, {
      database: DATABASE,
      events: options.events,
      chunkRows: options.chunkRows,
      nowMs,
      onChunk: (inserted, total, millis) => progress(`inserted ${fmtInt(inserted)} / ${fmtInt(total)} events (chunk ${fmtS(millis)} s)`),
    });
    await postSyntheticDeploys(collector.url, nowMs);
    const stored = await queryNumber(client, `SELECT count() AS value FROM ${DATABASE}.logs`);
    if (stored !== options.events) problems.push(`expected ${options.events} rows in logs, found ${stored}`);
    const mergeWaitMillis = await settleMerges(client);
    const lastHour = await queryNumber(client, `SELECT count() AS value FROM ${DATABASE}.logs WHERE Timestamp >= fromUnixTimestamp64Milli(toInt64(${nowMs - 3_600_000}))`);
    const lastMinute = await queryNumber(client, `SELECT count() AS value FROM ${DATABASE}.logs WHERE Timestamp >= fromUnixTimestamp64Milli(toInt64(${nowMs - 60_000}))`);
    console.log(
      `2. Evaluator cost with ${fmtInt(options.events)} events stored: loaded in ${fmtS(load.millis)} s (${fmtInt(options.events / (load.millis / 1000))} rows/s, ` +
        `${fmtInt(options.chunkRows)} rows per INSERT … SELECT, rollup views on insert); waited ${fmtS(mergeWaitMillis)} s for merges; ` +
        `${fmtInt(lastHour)} events in the last hour, ${fmtInt(lastMinute)} in the last minute of the ${SYNTHETIC_SPAN_MILLIS / 86_400_000}-day week`,
    );
    console.log('');
    await printSizes(client);

    const at = nowMs;
    const evaluator = collector.alerting.evaluator;
    const fileIds: string[] = FILE_RULES.map((r) => r.id);

    progress('timing cycles: built-in rules only (file rules switched off through the API)');
    for (const id of fileIds) await putRule(collector, id, { enabled: false });
    const builtinOnly = await timeCycles(collector, 'built-in rules only, quiet', at, options.cycles);
    for (const id of fileIds) await deleteRule(collector, id);

    progress('timing cycles: built-in + file rules');
    const quiet = await timeCycles(collector, 'built-in + 4 file rules, quiet', at, options.cycles);
    const quietRules = await timeRules(collector, at, options.cycles);

    progress(`injecting a storm into the last minute: chat-web production, ${INJECTED_STORM_CLIENTS_PER_SERVER} clients on each of ${SYNTHETIC_SERVERS.length} servers`);
    await injectStorm(client, at);
    const storm = await timeCycles(collector, `built-in + 4 file rules, storm on ${SYNTHETIC_SERVERS.length} groups`, at, options.cycles);
    const stormRules = await timeRules(collector, at, options.cycles);

    const base = median(builtinOnly.millis);
    printTable(
      `Evaluation cycle (runCycle) at ${fmtInt(options.events)} events: ${options.cycles} cycles after one warm-up, evaluated at the end of the synthetic week`,
      ['scenario', 'rules', 'groups', 'active alerts', 'median ms', 'p95 ms', 'vs built-ins'],
      [builtinOnly, quiet, storm].map((c) => [
        c.scenario,
        String(c.rules),
        fmtInt(c.groups),
        String(c.active),
        fmtMs(median(c.millis)),
        fmtMs(percentile(c.millis, 0.95)),
        `${(median(c.millis) / base).toFixed(2)}x`,
      ]),
    );
    printRules(quietRules, stormRules, options.cycles);
    if (evaluator.status().ruleErrors.size > 0) {
      for (const [id, message] of evaluator.status().ruleErrors) problems.push(`rule ${id} could not be evaluated: ${message}`);
    }

    progress('timing recent-window queries: 10 s rollups vs raw logs');
    const comparisons = await compareRollupsWithRaw(collector, at, options.cycles, 'the week');
    progress(`copying ${fmtInt(BUSY_MINUTE_EVENTS)} events of the week into the last minute`);
    const busyMillis = await injectBusyMinute(client, at);
    comparisons.push(...(await compareRollupsWithRaw(collector, at, options.cycles, `+${fmtInt(BUSY_MINUTE_EVENTS / 1e6)}M in last minute`)));
    printComparisons(comparisons, options, busyMillis);
  } finally {
    await collector.stop();
  }
}

/** Waits (up to a minute) for background merges of the load, so they do not bill the cycles. */
async function settleMerges(client: ClickHouseClient): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < MERGE_SETTLE_LIMIT_MILLIS) {
    const merges = await queryNumber(client, `SELECT count() AS value FROM system.merges WHERE database = '${DATABASE}'`);
    if (merges === 0) break;
    await sleep(500);
  }
  return performance.now() - started;
}

async function printSizes(client: ClickHouseClient): Promise<void> {
  const tables = ['logs', 'events_10s', 'latency_10s', 'events_1m', 'latency_1m'];
  const parts = await queryRows<{ table: string; parts: string; rows: string; bytes: string; uncompressed: string }>(
    client,
    `SELECT table, count() AS parts, sum(rows) AS rows, sum(bytes_on_disk) AS bytes, sum(data_uncompressed_bytes) AS uncompressed
     FROM system.parts WHERE database = {db:String} AND active AND table IN {tables:Array(String)} GROUP BY table`,
    { db: DATABASE, tables },
  );
  const byTable = new Map(parts.map((p) => [p.table, p]));
  const logsBytes = Number(byTable.get('logs')?.bytes ?? 0);
  printTable(
    'On disk (system.parts, active parts): the 10 s rollups against the raw table',
    ['table', 'parts', 'rows', 'on disk', 'uncompressed', 'bytes/row', 'vs logs'],
    tables.map((table) => {
      const p = byTable.get(table);
      const rows = Number(p?.rows ?? 0);
      const bytes = Number(p?.bytes ?? 0);
      return [
        table,
        fmtInt(Number(p?.parts ?? 0)),
        fmtInt(rows),
        fmtBytes(bytes),
        fmtBytes(Number(p?.uncompressed ?? 0)),
        rows === 0 ? '-' : (bytes / rows).toFixed(1),
        logsBytes === 0 ? '-' : `${((100 * bytes) / logsBytes).toFixed(1)} %`,
      ];
    }),
  );
}

async function putRule(collector: RunningCollector, id: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${collector.url}/api/v1/alerts/rules/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`PUT /api/v1/alerts/rules/${id} answered ${response.status}: ${await response.text()}`);
}

async function deleteRule(collector: RunningCollector, id: string): Promise<void> {
  const response = await fetch(`${collector.url}/api/v1/alerts/rules/${id}`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`DELETE /api/v1/alerts/rules/${id} answered ${response.status}: ${await response.text()}`);
}

async function enabledRules(collector: RunningCollector): Promise<AlertRule[]> {
  return (await collector.alerting.catalog.rules()).filter((r) => r.enabled);
}

async function timeCycles(collector: RunningCollector, scenario: string, at: number, runs: number): Promise<CycleSample> {
  const evaluator = collector.alerting.evaluator;
  const reports: CycleReport[] = [];
  await evaluator.runCycle(at);
  for (let i = 0; i < runs; i++) reports.push(await evaluator.runCycle(at));
  const last = reports[reports.length - 1]!;
  if (!last.leader) problems.push(`${scenario}: the evaluator was not the leader`);
  for (const [id, message] of Object.entries(last.ruleErrors)) problems.push(`${scenario}: rule ${id}: ${message}`);
  const sample = { scenario, rules: last.rules, groups: last.groups, active: last.active, millis: reports.map((r) => r.millis) };
  progress(`${scenario}: median ${fmtMs(median(sample.millis))} ms over ${runs} cycles (${sample.rules} rules, ${sample.groups} groups)`);
  return sample;
}

/** Each enabled rule observed on its own, the way a cycle reads it (first-seen times cached across runs, as the evaluator does). */
async function timeRules(collector: RunningCollector, at: number, runs: number): Promise<RuleSample[]> {
  const ctx = { client: collector.store.client, database: DATABASE, firstSeen: new FirstSeenCache() };
  const samples: RuleSample[] = [];
  for (const rule of await enabledRules(collector)) {
    const { millis, last } = await timed<Observation[]>(runs, () => observeRule(ctx, rule, at, []));
    samples.push({ rule, groups: last.length, holding: last.filter((o) => o.holds).length, millis });
  }
  return samples;
}

function ruleWindows(rule: AlertRule): string {
  if (rule.kind === 'burn_rate') return (rule.windows ?? []).map((w) => `${w.long}/${w.short}`).join(' ');
  return rule.window ?? '';
}

function printRules(quiet: readonly RuleSample[], storm: readonly RuleSample[], runs: number): void {
  const stormById = new Map(storm.map((s) => [s.rule.id, s]));
  printTable(
    `Per rule (observeRule alone, median of ${runs} after one warm-up): quiet, then with the storm under way`,
    ['rule', 'kind', 'from', 'windows', 'groups', 'quiet ms', 'storm: groups', 'holding', 'storm ms'],
    quiet.map((q) => {
      const s = stormById.get(q.rule.id);
      return [
        q.rule.id,
        q.rule.kind,
        q.rule.source,
        ruleWindows(q.rule),
        fmtInt(q.groups),
        fmtMs(median(q.millis)),
        s ? fmtInt(s.groups) : '-',
        s ? String(s.holding) : '-',
        s ? fmtMs(median(s.millis)) : '-',
      ];
    }),
    4,
  );
}

/**
 * A reconnect storm in the last minute before `at`: chat-web production
 * clients on every server drop with 1006 and reconnect over 30 s, so the
 * anomaly rules have candidates and read their baselines.
 */
async function injectStorm(client: ClickHouseClient, at: number): Promise<void> {
  const windowStart = Math.floor(at / 10_000) * 10_000 - 50_000;
  const crash = windowStart + 2_000;
  const clients = INJECTED_STORM_CLIENTS_PER_SERVER * SYNTHETIC_SERVERS.length;
  const servers = `[${SYNTHETIC_SERVERS.map((s) => `'${s}'`).join(', ')}]`;
  await client.command({
    query: `
INSERT INTO ${DATABASE}.logs (Timestamp, ObservedTimestamp, SeverityText, SeverityNumber, ServiceName, Body, ResourceAttributes, ScopeName, ScopeVersion,
  LogAttributes, EventName, ServiceVersion, Environment, ServerAddress, Role, SessionId, ConnectionId, CloseCode, CloseClean, Attempt, DurationMs, DowntimeMs)
SELECT
  fromUnixTimestamp64Milli(ts_ms) AS Timestamp,
  fromUnixTimestamp64Milli(ts_ms + 300) AS ObservedTimestamp,
  if(is_open, 'INFO', 'WARN'), toUInt8(if(is_open, 9, 13)), 'chat-web', event,
  map('service.name', 'chat-web', 'service.version', '2.15.1', 'deployment.environment.name', 'production'),
  '@tunnelvision/sdk', '0.1.0',
  map('session.id', session, 'server.address', server), event, '2.15.1', 'production', server, 'client', session,
  concat('storm-conn-', toString(number)),
  toUInt16(if(is_open, 0, 1006)), if(is_open, NULL, toNullable(false)), toUInt32(is_open),
  if(is_open, NULL, toNullable(600000.0)), if(is_open, toNullable(toFloat64(ts_ms - ${crash})), NULL)
FROM
(
  SELECT number, intDiv(number, 2) AS c, number % 2 = 1 AS is_open, if(is_open, 'conn.open', 'conn.close') AS event,
         ${servers}[1 + c % ${SYNTHETIC_SERVERS.length}] AS server, concat('storm-session-', toString(c)) AS session,
         toInt64(${crash}) + if(is_open, 200 + cityHash64(c) % 30000, 0) AS ts_ms
  FROM numbers(${2 * clients})
)`,
  });
}

/**
 * A busy deployment's last minute: BUSY_MINUTE_EVENTS rows of the week
 * copied into the current 1-minute window (their mix of events, services
 * and servers kept, times spread over the window), through the rollup views
 * like any insert. The synthetic week alone has ~600 events a minute, too
 * few for the raw table's cost to show. Returns how long the copy took.
 */
async function injectBusyMinute(client: ClickHouseClient, at: number): Promise<number> {
  const start = Math.floor(at / 10_000) * 10_000 - 50_000;
  const inWindow = `SELECT count() AS value FROM ${DATABASE}.logs WHERE Timestamp >= fromUnixTimestamp64Milli(toInt64(${start}))`;
  const before = await queryNumber(client, inWindow);
  const started = performance.now();
  // The shift is computed in the subquery: an alias named Timestamp in the
  // outer SELECT would also be what a WHERE there compares.
  await client.command({
    query: `
INSERT INTO ${DATABASE}.logs
SELECT * EXCEPT (shift) REPLACE (
  fromUnixTimestamp64Milli(toInt64(${start}) + shift) AS Timestamp,
  fromUnixTimestamp64Milli(toInt64(${start}) + shift + 300) AS ObservedTimestamp)
FROM
(
  SELECT *, toInt64(cityHash64(SessionId, MessageId, ConnectionId, Body, Timestamp) % ${at - start}) AS shift
  FROM ${DATABASE}.logs WHERE Timestamp < fromUnixTimestamp64Milli(toInt64(${start}))
  LIMIT ${BUSY_MINUTE_EVENTS}
)
SETTINGS parallel_view_processing = 1`,
  });
  const millis = performance.now() - started;
  const added = (await queryNumber(client, inWindow)) - before;
  if (added !== BUSY_MINUTE_EVENTS) problems.push(`busy minute: the last minute gained ${added} events, expected ${BUSY_MINUTE_EVENTS}`);
  return millis;
}

/** The recent-window questions of the built-in rules, from the 10 s rollups (the evaluator's own code) and from raw logs. */
async function compareRollupsWithRaw(collector: RunningCollector, at: number, runs: number, data: string): Promise<QueryComparison[]> {
  const client = collector.store.client;
  const rules = await enabledRules(collector);
  const stormRule = rules.find((r) => r.id === STORM_RULE)!;
  const lossRule = rules.find((r) => r.id === 'message-loss-slo')!;
  const nowSeconds = Math.floor(at / 1000);
  const out: QueryComparison[] = [];

  // Reconnects per service, environment and server in the 1-minute window (reconnect-storm's recent read).
  {
    const scope = { groupBy: stormRule.group_by, filters: stormRule.filters };
    const start = Math.floor(at / 10_000) * 10 - 60 + 10;
    const end = Math.floor(at / 10_000) * 10 + 10;
    const { where, params } = filterSql(stormRule.filters);
    const raw = () =>
      queryRows<{ service: string; environment: string; server: string; n: string }>(
        client,
        `SELECT ServiceName AS service, Environment AS environment, ServerAddress AS server, count() AS n FROM ${DATABASE}.logs
         WHERE Timestamp >= toDateTime({start:UInt32}) AND Timestamp < toDateTime({end:UInt32}) AND EventName = 'conn.open' AND DowntimeMs IS NOT NULL AND ${where}
         GROUP BY service, environment, server`,
        { ...params, start, end },
      ).then((rows) => rows.map((r) => ({ labels: { service: r.service, environment: r.environment, server: r.server }, count: Number(r.n) })));
    const rollup = () => readRecentCounts(client, DATABASE, 'reconnects', { start, end }, scope);
    out.push(await compare(data, 'reconnects per service/environment/server', '1m (60 s)', start, runs, client, rollup, raw));
  }

  // Message loss bad/total per group over burn-rate windows.
  const lossWindows = async (question: string, windowsSeconds: readonly number[]) => {
    const scope = { groupBy: lossRule.group_by, filters: lossRule.filters };
    const { where, params } = filterSql(lossRule.filters);
    // The rollup counts whole 10 s buckets from `now - window`; the raw table counts from the same bucket edge.
    // Every event counts towards a group, as in the rollup: a group with events but no messages is 0 of 0.
    const edges = windowsSeconds.map((w) => Math.ceil((nowSeconds - w) / 10) * 10);
    const columns = edges
      .map((_, i) => `countIf(EventName = 'msg.dropped' AND Timestamp >= toDateTime({e${i}:UInt32})) AS bad${i}, countIf(EventName = 'msg.sent' AND Timestamp >= toDateTime({e${i}:UInt32})) AS total${i}`)
      .join(', ');
    const edgeParams = Object.fromEntries(edges.map((e, i) => [`e${i}`, e]));
    const raw = () =>
      queryRows<Record<string, string>>(
        client,
        `SELECT ServiceName AS service, Environment AS environment, ServerAddress AS server, ${columns} FROM ${DATABASE}.logs
         WHERE Timestamp >= toDateTime({from:UInt32}) AND ${where}
         GROUP BY service, environment, server`,
        { ...params, ...edgeParams, from: Math.min(...edges) },
      ).then((rows) =>
        rows.map((r) => ({
          labels: { service: r.service!, environment: r.environment!, server: r.server! },
          bad: edges.map((_, i) => Number(r[`bad${i}`])),
          total: edges.map((_, i) => Number(r[`total${i}`])),
        })),
      );
    const rollup = () => readObjectiveWindows(client, DATABASE, 'message_loss', undefined, nowSeconds, windowsSeconds, scope);
    const label = windowsSeconds.map((w) => (w >= 3600 ? `${w / 3600}h` : `${w / 60}m`)).join(' + ');
    out.push(await compare(data, question, label, Math.min(...edges), runs, client, rollup, raw));
  };
  await lossWindows('message loss bad/total (burn-rate page pair)', [3_600, 300]);
  await lossWindows('message loss bad/total (message-loss-slo, all windows)', [3_600, 300, 21_600, 1_800]);
  return out;
}

async function compare<T extends { labels: Record<string, string> }>(
  data: string,
  question: string,
  window: string,
  fromSeconds: number,
  runs: number,
  client: ClickHouseClient,
  rollup: () => Promise<T[]>,
  raw: () => Promise<T[]>,
): Promise<QueryComparison> {
  const r = await timed(runs, rollup);
  const w = await timed(runs, raw);
  const sameAnswer = canonicalRows(r.last) === canonicalRows(w.last);
  if (!sameAnswer) problems.push(`${question} (${data}): the 10 s rollups and raw logs disagree (${r.last.length} vs ${w.last.length} groups)`);
  if (r.last.length === 0) problems.push(`${question} (${data}): no groups in the window; the comparison measured empty answers`);
  const rollupRows = await queryNumber(client, `SELECT count() AS value FROM ${DATABASE}.events_10s WHERE Bucket >= toDateTime(${fromSeconds})`);
  const rawRows = await queryNumber(client, `SELECT count() AS value FROM ${DATABASE}.logs WHERE Timestamp >= toDateTime(${fromSeconds})`);
  return { data, question, window, rollupRows, rawRows, rollupMillis: r.millis, rawMillis: w.millis, sameAnswer };
}

/** Rows as one string that ignores row and key order, so two answers compare equal when they hold the same groups and numbers. */
function canonicalRows(rows: readonly Record<string, unknown>[]): string {
  const sortedEntries = (o: object) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const row = (x: Record<string, unknown>) =>
    JSON.stringify(sortedEntries(x).map(([k, v]) => [k, v !== null && typeof v === 'object' && !Array.isArray(v) ? sortedEntries(v) : v]));
  return JSON.stringify(rows.map(row).sort());
}

function printComparisons(comparisons: readonly QueryComparison[], options: Options, busyMillis: number): void {
  printTable(
    `Recent windows at ${fmtInt(options.events)} events: 10 s rollups (baseline: the same question from raw logs), ${options.cycles} runs after one warm-up; ` +
      `then with ${fmtInt(BUSY_MINUTE_EVENTS)} events of the week copied into the last minute (copied in ${fmtS(busyMillis)} s)`,
    ['data', 'question', 'window', 'rows: events_10s', 'rows: logs', 'rollup median ms', 'rollup p95 ms', 'raw median ms', 'raw p95 ms', 'raw / rollup', 'same answer'],
    comparisons.map((c) => [
      c.data,
      c.question,
      c.window,
      fmtInt(c.rollupRows),
      fmtInt(c.rawRows),
      fmtMs(median(c.rollupMillis)),
      fmtMs(percentile(c.rollupMillis, 0.95)),
      fmtMs(median(c.rawMillis)),
      fmtMs(percentile(c.rawMillis, 0.95)),
      `${(median(c.rawMillis) / median(c.rollupMillis)).toFixed(2)}x`,
      c.sameAnswer ? 'yes' : 'NO',
    ]),
    3,
  );
}

// ---- main ----

function printSettings(options: Options): void {
  const cpus = os.cpus();
  console.log('TunnelVision alert benchmark');
  console.log(`  storms                ${options.storms} x ${options.clients} clients, random 0–${MAX_WAIT_BEFORE_STORM_MILLIS / 1000} s apart`);
  console.log(`  events for cost       ${fmtInt(options.events)} in chunks of ${fmtInt(options.chunkRows)}; ${options.cycles} timed cycles per scenario`);
  console.log(`  store                 embedded chDB, database ${DATABASE}, a fresh temporary directory per collector`);
  console.log(`  node                  ${process.version} on ${os.platform()}/${os.arch()}`);
  console.log(`  CPUs                  ${os.availableParallelism()} x ${cpus[0]?.model.trim() ?? 'unknown'}; load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('');
}

async function main(options: Options): Promise<readonly string[]> {

  const started = performance.now();
  const tempRoot = await mkdtemp(path.join(os.tmpdir(), 'tunnelvision-alert-bench-'));
  let removed: Promise<void> | undefined;
  const removeTemp = () => (removed ??= rm(tempRoot, { recursive: true, force: true }));
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: removing ${tempRoot}`);
    void removeTemp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    printSettings(options);
    await measureStorms(options, tempRoot);
    await measureEvaluatorAtScale(options, tempRoot);
    progress('anomaly week study');
    console.log(`3. ${formatStudyTable(runAnomalyWeekStudy())}`);
    console.log('');
  } finally {
    await removeTemp();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  console.log(`Whole bench: ${fmtS(performance.now() - started)} s; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  return problems;
}

runBench({ parse: parseOptions, help: HELP, main });
