import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCollectorProcess } from '../../src/testing/collector-process.js';
import { postLogs, sentMessages, storedCounts } from '../support/counted-messages.js';
import { freshDataDir, startTestCollector, until } from '../support/test-collector.js';

/**
 * COLLECTOR_ACK=spooled: a request is answered once its rows are durably in
 * the spool, before their insert, and what was answered is stored exactly
 * once, even when the process dies while an insert hangs and answered
 * requests wait behind it.
 */

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

describe('acknowledging once spooled', () => {
  it('answers while the insert hangs, and after a SIGKILL stores every answered event once', async () => {
    const data = freshDataDir();
    stops.push(() => data.remove());
    // Each insert stores its rows and then never returns: the writer never learns they are stored.
    const stallFile = join(data.dir, 'stall');
    writeFileSync(stallFile, '');
    const child = await startCollectorProcess(data.dir, join(data.dir, 'no-fault'), { acknowledge: 'spooled' }, stallFile);
    stops.push(async () => void (await child.stop('SIGKILL')));
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await postLogs(child.url, sentMessages('spooled', `answered-${i}`, 50))).status);
    expect(statuses).toEqual(Array(10).fill(200));
    await child.stop('SIGKILL');

    rmSync(stallFile);
    const collector = await startTestCollector(data.dir);
    stops.push(() => collector.stop());
    await until(async () => collector.writer.stats().spooledBlocks === 0, 10_000);
    // The first request's rows went into the hung insert, with its token; the nine behind it waited on disk.
    expect(await storedCounts(collector, 'spooled')).toEqual({ stored: 500, unique: 500, rolledUp: 500 });
  }, 60_000);
});
