import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InsertRows } from '../../src/ingest/batch-writer.js';
import type { RunningCollector } from '../../src/collector.js';
import { startCollectorProcess } from '../../src/testing/collector-process.js';
import { postLogs, sentMessages, storedCounts } from '../support/counted-messages.js';
import { freshDataDir, getJson, startTestCollector, until } from '../support/test-collector.js';

/**
 * When ClickHouse goes away, what the collector acknowledges is never lost
 * nor stored twice: blocks the store refuses go to the outage spool on disk
 * before their requests are acknowledged, and are replayed, with the same
 * deduplication token, once the store is back; across a restart and a
 * SIGKILL too. Without a spool (or with it full) requests get 503 with
 * Retry-After, as before.
 */

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function collectorOn(dir: string, overrides: Parameters<typeof startTestCollector>[1] = {}, wrapInsert?: (insert: InsertRows) => InsertRows): Promise<RunningCollector> {
  const collector = await startTestCollector(dir, overrides, wrapInsert ? { wrapInsert } : {});
  stops.push(() => collector.stop());
  return collector;
}

function fresh(): string {
  const data = freshDataDir();
  stops.push(() => data.remove());
  return data.dir;
}

describe('a store outage', () => {
  it('is absorbed by the spool: acknowledged while the store is gone, stored once it is back', async () => {
    const dir = fresh();
    let collector = await collectorOn(dir);
    expect((await postLogs(collector.url, sentMessages('outage', 'before'))).status).toBe(200);

    // The store disappears under the running collector.
    await collector.store.close();
    const during = await postLogs(collector.url, sentMessages('outage', 'during', 3));
    expect(during.status).toBe(200);
    expect(collector.writer.stats()).toMatchObject({ bufferedRows: 0, insertsFailed: 1, rowsSpooled: 3, spooledBlocks: 1 });
    // Reads still say the store is gone.
    expect((await getJson(collector.url, '/readyz')).status).toBe(503);
    const query = await fetch(`${collector.url}/api/v1/timeline?session_id=before`);
    expect(query.status).toBe(503);
    expect(query.headers.get('retry-after')).toBe('5');

    // The store comes back: a new collector on the same data directory replays the spool.
    await collector.stop();
    collector = await collectorOn(dir);
    await until(async () => collector.writer.stats().spooledBlocks === 0, 10_000);
    expect(await storedCounts(collector, 'outage')).toEqual({ stored: 4, unique: 4, rolledUp: 4 });
  });

  it('without a spool, or with the spool full, answers 503 with Retry-After and stores nothing', async () => {
    for (const spoolMaxBytes of [0, 100]) {
      const collector = await collectorOn(fresh(), { spoolMaxBytes });
      await collector.store.close();
      const response = await postLogs(collector.url, sentMessages('outage', `refused-${spoolMaxBytes}`, 5));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(((await response.json()) as { message: string }).message).toMatch(/Storage unavailable, nothing was stored; retry later/);
    }
  });

  it('lasting 60 s under steady load loses nothing and doubles nothing, even blocks the store took but reported as failed', async () => {
    let down = false;
    let acceptedThenFailed = 0;
    // Every third insert during the outage reaches the store and only then fails: its replay must be skipped.
    const faulty = (insert: InsertRows): InsertRows => async (target, rows, token) => {
      if (!down) return insert(target, rows, token);
      if (++acceptedThenFailed % 3 === 0) await insert(target, rows, token);
      throw new Error('store unavailable (fault injected)');
    };
    const collector = await collectorOn(fresh(), {}, faulty);
    let accepted = 0;
    let refused = 0;
    let sent = 0;
    const started = Date.now();
    const outage = setTimeout(() => (down = true), 3_000);
    const back = setTimeout(() => (down = false), 63_000);
    while (Date.now() - started < 66_000) {
      const response = await postLogs(collector.url, sentMessages('outage', `steady-${sent++}`, 20));
      if (response.status === 200) accepted += 20;
      else refused += 20;
      await new Promise((r) => setTimeout(r, 50));
    }
    clearTimeout(outage);
    clearTimeout(back);
    // The spool replays one block per insert; with another test file running beside this one that can take over a minute.
    await until(async () => collector.writer.stats().spooledBlocks === 0, 150_000);
    const counts = await storedCounts(collector, 'outage');
    console.log(`60 s outage: ${sent} requests, accepted ${accepted}, refused ${refused}, stored ${counts.stored}, duplicated ${counts.stored - counts.unique}, spooled ${collector.writer.stats().rowsSpooled} rows`);
    expect(refused).toBe(0);
    expect(collector.writer.stats().rowsSpooled).toBeGreaterThan(1_000);
    expect(acceptedThenFailed).toBeGreaterThan(3);
    expect(counts).toEqual({ stored: accepted, unique: accepted, rolledUp: accepted });
  }, 270_000);

  it('survives a SIGKILL while blocks wait in the spool: the next start replays them', async () => {
    const dir = fresh();
    const faultFile = join(dir, 'store-down');
    writeFileSync(faultFile, '');
    const child = await startCollectorProcess(dir, faultFile);
    stops.push(async () => void (await child.stop('SIGKILL')));
    const url = child.url;
    let accepted = 0;
    for (let i = 0; i < 10; i++) if ((await postLogs(url, sentMessages('outage', `killed-${i}`, 50))).status === 200) accepted += 50;
    expect(accepted).toBe(500);
    await child.stop('SIGKILL');

    rmSync(faultFile);
    const collector = await collectorOn(dir);
    await until(async () => collector.writer.stats().spooledBlocks === 0, 10_000);
    expect(await storedCounts(collector, 'outage')).toEqual({ stored: 500, unique: 500, rolledUp: 500 });
  }, 60_000);
});
