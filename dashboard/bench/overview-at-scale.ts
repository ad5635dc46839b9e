/**
 * Overview at scale (issue 5): page load and API latency of the overview with
 * millions of TunnelVision events in the store.
 *
 * 1. Starts a collector in-process on a fresh embedded store (temp dir,
 *    port 0). chDB binds one data directory per process, so the load runs in
 *    this process through `collector.store.client`.
 * 2. Loads N synthetic events spread over the last 7 days with
 *    `INSERT INTO logs SELECT … FROM numbers(…)`, generated inside ClickHouse
 *    in chunks, no rows built in JS (collector/bench/synthetic-events.ts,
 *    shared with the alert bench). The rollup materialized views fill
 *    events_1m / latency_1m on insert, exactly as for OTLP ingest. A per-minute
 *    `tv.connection.active` counter per server goes into metrics_sum (a few
 *    thousand rows, not counted in N) so the active-connections chart has data,
 *    and a handful of deploy markers are posted through POST /api/v1/deploys.
 * 3. Measures the overview's API request straight against the collector for
 *    the 1h, 24h and 7d presets: the one GET /api/v1/overview the page makes
 *    for its charts, stat cards, close-code table, deploy markers and filter
 *    values (its alert periods come from the alert API, not measured here).
 *    One cold request (after dropping ClickHouse's mark, uncompressed and query
 *    caches; the OS page cache stays warm) and 5 warm requests.
 *    Then the support lookups (GET /api/v1/timeline over the week) of
 *    LOOKUPS distinct session ids and as many message ids, each asked once,
 *    so every lookup reads parts of `logs` the previous one did not.
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
import type { Browser } from 'playwright-core';
import { loadCollectorConfig, startCollector, type RunningCollector } from '@tunnelvision/collector';
import {
  insertActiveConnections,
  insertSyntheticEvents,
  postSyntheticDeploys,
  SYNTHETIC_DEPLOYS,
} from '@tunnelvision/collector/bench/synthetic-events';
import { launchChromium } from '@tunnelvision/test-support';
import { RANGE_PRESETS, type RangePresetId } from '../src/shared/time-range.js';
import { ensureBuild, startDashboard, type RunningDashboard } from '../test/support/next-app.js';

const DEFAULT_EVENTS = 10_000_000;
const DEFAULT_CHUNK_ROWS = 1_000_000;
const DB = 'tunnelvision';
const RANGES: readonly RangePresetId[] = ['1h', '24h', '7d'];
const API_WARM_RUNS = 5;
/** Distinct ids looked up per kind (session, message). */
const LOOKUPS = 20;
const PAGE_RUNS = 3;
/** How long to wait for the load's background merges to settle before measuring. */
const MERGE_WAIT_LIMIT_MS = 30 * 60_000;
/** Charts on the overview (data-chart ids); each must draw all of its lines. */
const OVERVIEW_CHARTS = ['reconnects', 'active-connections', 'latency', 'closes', 'lost-messages'] as const;

const HELP = `Overview at scale: loads N synthetic events into a fresh in-process collector,
then measures the overview's API latency and its page load in headless Chromium.

Usage: npx tsx dashboard/bench/overview-at-scale.ts [options]

Options:
  --events N       events to load into logs, spread over the last 7 days (default ${DEFAULT_EVENTS})
  --chunk-rows N   rows per INSERT … SELECT statement (default ${DEFAULT_CHUNK_ROWS})
  --keep-data      leave the loaded store in place and print where, to study it afterwards
                   (start a collector with DATA_DIR set to it)
  --help           show this help

Needs /usr/bin/chromium. Builds the dashboard (next build) when .next is older than its sources.`;

interface Options {
  events: number;
  chunkRows: number;
  keepData: boolean;
}

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string' }, 'chunk-rows': { type: 'string' }, 'keep-data': { type: 'boolean' }, help: { type: 'boolean' } },
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
  return {
    events: int(values.events, DEFAULT_EVENTS, 'events', 1_000),
    chunkRows: int(values['chunk-rows'], DEFAULT_CHUNK_ROWS, 'chunk-rows', 10_000),
    keepData: values['keep-data'] ?? false,
  };
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
  /** Merges still running when the wait gave up (0 when they settled). */
  mergesRunning: number;
  parts: { table: string; parts: number; rows: number; bytes: number; uncompressed: number }[];
}

async function loadData(collector: RunningCollector, options: Options, nowMs: number): Promise<LoadReport> {
  const client = collector.store.client;
  const { millis } = await insertSyntheticEvents(client, {
    database: DB,
    events: options.events,
    chunkRows: options.chunkRows,
    nowMs,
    onChunk: (inserted, total, chunkMillis) => log(`inserted ${fmtInt(inserted)} / ${fmtInt(total)} events (chunk ${fmtMs(chunkMillis)})`),
  });
  await insertActiveConnections(client, DB, nowMs);

  // Deploy markers through the public API, as CI would post them.
  await postSyntheticDeploys(collector.url, nowMs);

  const count = await queryNumber(collector, `SELECT count() AS value FROM ${DB}.logs`);
  if (count !== options.events) throw new Error(`expected ${options.events} rows in logs, found ${count}`);
  const metricRows = await queryNumber(collector, `SELECT count() AS value FROM ${DB}.metrics_sum`);

  // Let background merges of the fresh parts settle so they do not compete with the measurements: at 100M events
  // they run for many minutes after the load on 2 cores, and a measurement beside them reads the merges' cost.
  const mergeStarted = performance.now();
  let mergesRunning = 0;
  do {
    mergesRunning = await queryNumber(collector, `SELECT count() AS value FROM system.merges WHERE database = '${DB}'`);
    if (mergesRunning > 0) await new Promise((resolve) => setTimeout(resolve, 1_000));
  } while (mergesRunning > 0 && performance.now() - mergeStarted < MERGE_WAIT_LIMIT_MS);
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
    mergesRunning,
    parts: parts.map((p) => ({ table: p.table, parts: Number(p.parts), rows: Number(p.rows), bytes: Number(p.bytes), uncompressed: Number(p.uncompressed) })),
  };
}

// ---------------------------------------------------------------------------
// API latency

/** The overview request loadOverview() makes for a preset with no filters (use-overview-data.ts). */
function overviewPath(preset: RangePresetId, now: number): string {
  const p = RANGE_PRESETS.find((r) => r.id === preset)!;
  const to = Math.floor(now / 1000) * 1000;
  return `/api/v1/overview?from=${to - p.millis}&to=${to}&step=${p.stepSeconds}s`;
}

/** One request: how long until its whole body arrived, and the body's size. */
async function timedFetch(base: string, path: string): Promise<{ millis: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, { headers: { accept: 'application/json' } });
  const body = await response.text();
  const millis = performance.now() - started;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${body.slice(0, 300)}`);
  return { millis, bytes: Buffer.byteLength(body) };
}

interface ApiRangeResult {
  range: RangePresetId;
  cold: number;
  warm: number[];
  bytes: number;
}

async function measureApi(collector: RunningCollector, range: RangePresetId): Promise<ApiRangeResult> {
  const client = collector.store.client;
  for (const cache of ['MARK CACHE', 'UNCOMPRESSED CACHE', 'QUERY CACHE']) {
    await client.command({ query: `SYSTEM DROP ${cache}` }).catch((err: Error) => log(`SYSTEM DROP ${cache} failed: ${err.message}`));
  }
  const cold = await timedFetch(collector.url, overviewPath(range, Date.now()));
  const warm: number[] = [];
  for (let i = 0; i < API_WARM_RUNS; i++) warm.push((await timedFetch(collector.url, overviewPath(range, Date.now()))).millis);
  return { range, cold: cold.millis, warm, bytes: cold.bytes };
}

interface LookupResult {
  kind: 'session_id' | 'message_id';
  millis: number[];
  events: number[];
}

/** One timeline lookup per id over the loaded week; ids spread by hash over every day and service. */
async function measureLookups(collector: RunningCollector, nowMs: number): Promise<LookupResult[]> {
  const results: LookupResult[] = [];
  const to = Math.floor(nowMs / 1000) * 1000;
  const week = `from=${to - 7 * 86_400_000}&to=${to}`;
  for (const [kind, column] of [['session_id', 'SessionId'], ['message_id', 'MessageId']] as const) {
    const ids = await queryRows<{ id: string }>(
      collector,
      `SELECT DISTINCT ${column} AS id FROM ${DB}.logs WHERE ${column} != '' ORDER BY cityHash64(id) LIMIT ${LOOKUPS}`,
    );
    const result: LookupResult = { kind, millis: [], events: [] };
    for (const { id } of ids) {
      const started = performance.now();
      const response = await fetch(`${collector.url}/api/v1/timeline?${kind}=${encodeURIComponent(id)}&${week}`);
      const body = (await response.json()) as { events?: unknown[] };
      result.millis.push(performance.now() - started);
      if (!response.ok || !body.events?.length) throw new Error(`lookup ${kind}=${id}: ${response.status}, ${body.events?.length ?? 0} events`);
      result.events.push(body.events.length);
    }
    results.push(result);
  }
  return results;
}

/** The value at quantile q (0..1) of the samples, nearest rank. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
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
      if (options.keepData) log(`store kept in ${dataDir}`);
      else rmSync(dataDir, { recursive: true, force: true });
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
    collector = await startCollector(loadCollectorConfig({}, [], { port: 0, grpcPort: 'off', dataDir, logLevel: 'silent' }));
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
          ['deploy markers (POST /api/v1/deploys)', String(SYNTHETIC_DEPLOYS.length)],
          ['waited for background merges', fmtMs(load.mergeWaitMillis)],
          ['merges still running when measured', String(load.mergesRunning)],
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

    const apiRows: string[][] = [];
    for (const range of RANGES) {
      const result = await measureApi(collector, range);
      apiRows.push([range, fmtMs(result.cold), fmtMs(median(result.warm)), fmtMs(Math.max(...result.warm)), `${(result.bytes / 1024).toFixed(1)} kB`]);
    }
    print(
      table(
        `API latency: GET /api/v1/overview, the one request behind the overview's charts, cards and close-code table (cold = first request after dropping ClickHouse caches, warm = ${API_WARM_RUNS} requests)`,
        ['range', 'cold', 'warm p50', 'warm max', 'response'],
        apiRows,
      ),
    );

    const lookups = await measureLookups(collector, nowMs);
    print(
      table(
        `Support lookups: GET /api/v1/timeline over the 7 days, ${LOOKUPS} distinct ids of each kind, each asked once`,
        ['lookup', 'p50', 'p95', 'max', 'events per answer (median)'],
        lookups.map((l) => [l.kind, fmtMs(quantile(l.millis, 0.5)), fmtMs(quantile(l.millis, 0.95)), fmtMs(Math.max(...l.millis)), String(median(l.events))]),
      ),
    );

    const build = await buildPromise;
    log(build.reused ? 'dashboard build reused' : `dashboard built in ${fmtMs(build.millis)}`);
    [dashboard, browser] = await Promise.all([
      startDashboard(collector.url, 60_000),
      launchChromium(),
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
