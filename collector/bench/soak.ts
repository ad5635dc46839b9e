/**
 * Soak (`npm run soak`): minutes of steady OTLP load on a collector process
 * while faults come round in turn, then the only figures that matter for
 * telemetry about lost messages: accepted, stored, duplicated, lost, and the
 * collector's peak memory (embedded ClickHouse included).
 *
 * Each cycle: a store outage (every insert fails, as a stopped server's
 * would), a SIGKILL and restart of the collector, and a flood (64 senders of
 * 2,000-record batches at once, beside the steady senders). Steady senders
 * behave like OpenTelemetry exporters: a request that gets no 200 (429, 503,
 * a dropped connection) is sent again, the same body, after a pause.
 * A request stored whose answer a SIGKILL cut off is sent again, so the
 * run shows whether the collector recognises such retries (its request
 * receipts and in-flight blocks); duplicates are reported, never hidden.
 *
 * Usage: npx tsx --conditions=@tunnelvision/source collector/bench/soak.ts [--minutes N] [--senders N]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCollectorProcess, startTestCollector, type CollectorProcess } from '../src/testing/index.js';
import { positiveInt, progressTo, runBench } from './bench-cli.js';

interface Options {
  minutes: number;
  senders: number;
}

const HELP = `Soak: steady OTLP load with a store outage, a SIGKILL and a flood in each cycle;
prints accepted, stored, duplicated, lost and the collector's peak RSS.

Usage: npx tsx --conditions=@tunnelvision/source collector/bench/soak.ts [options]

Options:
  --minutes N   how long the load runs (default 10)
  --senders N   steady senders, each one request of 100 records at a time (default 8)
  --help        show this help`;

const CYCLE_MILLIS = 120_000;
const OUTAGE_MILLIS = 30_000;
const FLOOD_SENDERS = 64;
const FLOOD_RECORDS = 2_000;
const RECORDS = 100;
const progress = progressTo('soak');

function parse(argv: string[]): Options | 'help' {
  const { values } = parseArgs({ args: argv, options: { minutes: { type: 'string' }, senders: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return 'help';
  return { minutes: positiveInt('--minutes', values.minutes, 10), senders: positiveInt('--senders', values.senders, 8) };
}

/** A logs request of `count` events, each with a message id unique in the run. */
function body(prefix: string, count: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const logRecords = Array.from({ length: count }, (_, i) => ({
    timeUnixNano: String(now + BigInt(i)),
    eventName: 'msg.sent',
    attributes: [
      { key: 'session.id', value: { stringValue: prefix } },
      { key: 'tv.message.id', value: { stringValue: `${prefix}-${i}` } },
    ],
  }));
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'soak' } }] }, scopeLogs: [{ logRecords }] }] });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(options: Options): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tv-soak-'));
  const faultFile = join(dir, 'store-down');
  let collector: CollectorProcess = await startCollectorProcess(dir, faultFile);
  const tally = { accepted: 0, retried: 0, refused: new Map<string, number>(), kills: 0, outages: 0, floods: 0, floodAccepted: 0 };
  let peakRss = 0;
  let restarting: Promise<void> | undefined;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, collector.rssBytes())), 250);
  const endAt = Date.now() + options.minutes * 60_000;
  progress(`collector ${collector.url}, ${options.senders} steady senders for ${options.minutes} min, a fault cycle every ${CYCLE_MILLIS / 1000} s`);

  /** Sends until a 200, as an exporter would; counts the records once accepted. */
  async function deliver(prefix: string, count: number): Promise<void> {
    const payload = body(prefix, count);
    for (let attempt = 0; ; attempt++) {
      if (restarting) await restarting;
      let status: string;
      try {
        const response = await fetch(`${collector.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload, signal: AbortSignal.timeout(30_000) });
        await response.arrayBuffer();
        if (response.status === 200) {
          tally.accepted += count;
          if (attempt > 0) tally.retried += 1;
          return;
        }
        status = String(response.status);
      } catch {
        status = 'connection';
      }
      tally.refused.set(status, (tally.refused.get(status) ?? 0) + 1);
      await sleep(200 + Math.min(attempt, 10) * 300);
    }
  }

  const steady = Array.from({ length: options.senders }, async (_, s) => {
    for (let seq = 0; Date.now() < endAt; seq++) {
      await deliver(`steady-${s}-${seq}`, RECORDS);
      await sleep(20);
    }
  });

  const faults = (async () => {
    for (let cycle = 0; Date.now() + CYCLE_MILLIS / 2 < endAt; cycle++) {
      await sleep(10_000);
      progress(`cycle ${cycle + 1}: store outage for ${OUTAGE_MILLIS / 1000} s`);
      writeFileSync(faultFile, '');
      tally.outages += 1;
      await sleep(OUTAGE_MILLIS);
      rmSync(faultFile, { force: true });
      await sleep(15_000);
      progress(`cycle ${cycle + 1}: SIGKILL and restart`);
      let release!: () => void;
      restarting = new Promise((r) => (release = r));
      await collector.stop('SIGKILL');
      tally.kills += 1;
      collector = await startCollectorProcess(dir, faultFile);
      restarting = undefined;
      release();
      await sleep(15_000);
      progress(`cycle ${cycle + 1}: flood, ${FLOOD_SENDERS} senders of ${FLOOD_RECORDS} records`);
      tally.floods += 1;
      const before = tally.accepted;
      await Promise.all(Array.from({ length: FLOOD_SENDERS }, (_, f) => deliver(`flood-${cycle}-${f}`, FLOOD_RECORDS)));
      tally.floodAccepted += tally.accepted - before;
      await sleep(Math.max(0, CYCLE_MILLIS - 70_000));
    }
  })();

  await Promise.all([...steady, faults]);
  clearInterval(sampler);
  progress('load over; stopping the collector with SIGTERM (it writes what it holds)');
  const exitCode = await collector.stop('SIGTERM');
  const store = await startTestCollector(dir);
  try {
    const deadline = Date.now() + 120_000;
    while (store.writer.stats().spooledBlocks > 0 && Date.now() < deadline) await sleep(500);
    const result = await store.store.client.query({
      query: `SELECT count() AS stored, uniqExact(MessageId) AS unique FROM ${store.store.database}.logs WHERE ServiceName = 'soak'`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ stored: string; unique: string }>();
    const stored = Number(row!.stored);
    const unique = Number(row!.unique);
    const lost = tally.accepted - unique;
    console.log(`\nSoak: ${options.minutes} min, ${options.senders} steady senders of ${RECORDS} records; ${tally.outages} store outages of ${OUTAGE_MILLIS / 1000} s, ${tally.kills} SIGKILLs, ${tally.floods} floods of ${FLOOD_SENDERS} × ${FLOOD_RECORDS} records`);
    console.log(`accepted    ${tally.accepted.toLocaleString('en-US')} records (requests answered again after a refusal: ${tally.retried})`);
    console.log(`stored      ${stored.toLocaleString('en-US')} records (${unique.toLocaleString('en-US')} distinct message ids)`);
    console.log(`duplicated  ${(stored - unique).toLocaleString('en-US')}`);
    console.log(`lost        ${lost.toLocaleString('en-US')}`);
    console.log(`refused     ${[...tally.refused].map(([status, n]) => `${status}: ${n}`).join(', ') || 'none'} (requests, each sent again until accepted)`);
    console.log(`flood       ${tally.floodAccepted.toLocaleString('en-US')} records accepted`);
    console.log(`peak RSS    ${(peakRss / 1024 ** 3).toFixed(2)} GiB (collector process, embedded ClickHouse included)`);
    console.log(`SIGTERM     exit code ${exitCode}`);
    const problems: string[] = [];
    if (lost !== 0) problems.push(`${lost} accepted records were not stored`);
    if (exitCode !== 0) problems.push(`SIGTERM exit code ${exitCode}`);
    return problems;
  } finally {
    await store.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

runBench({ parse, help: HELP, main });
