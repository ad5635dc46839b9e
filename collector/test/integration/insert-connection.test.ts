import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import { encodeBlock, type EncodedBlock } from '../../src/ingest/encoded-block.js';
import { mapLogsRequest } from '../../src/ingest/log-rows.js';
import { ClickHouseStore } from '../../src/store/clickhouse-store.js';

/**
 * The embedded engine runs one statement at a time per connection, so the
 * store inserts over a connection of its own: a read (a support lookup, an
 * alert rule) does not wait for the insert in flight, and what an insert
 * stored is there for the next read.
 */

const dir = mkdtempSync(join(tmpdir(), 'tv-insert-connection-'));
let store: ClickHouseStore;
let block: EncodedBlock;

beforeAll(async () => {
  ({ store } = await ClickHouseStore.open({ dataDir: dir, database: 'ic', retentionDays: 30, rollupRetentionDays: 30 }));
  // Large enough that its insert, rollup views included, takes far longer than a read.
  const at = Date.now() - 60_000;
  const records = Array.from({ length: 60_000 }, (_, i) =>
    eventRecord(i % 2 ? 'msg.acked' : 'msg.sent', { 'session.id': `s-${i % 500}`, 'tv.message.id': `m-${i}`, 'tv.message.latency_ms': i % 700 }, at + i),
  );
  const { batches } = mapLogsRequest(logsRequest({ 'service.name': 'insert-connection' }, records));
  block = encodeBlock('logs', batches[0]!.rows);
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async () => {
  const result = await store.client.query({ query: 'SELECT count() AS n FROM ic.logs', format: 'JSONEachRow' });
  return Number((await result.json<{ n: string }>())[0]!.n);
};

describe('the embedded store', () => {
  it('answers a read while an insert is in flight, and the read after it sees every row', async () => {
    const inserted = store.insert({ database: 'ic', table: 'logs' }, block, 'ic-1').then(() => performance.now());
    // The block is staged just before the engine takes it.
    while (readdirSync(join(dir, 'insert-staging')).length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const read = store.client.query({ query: 'SELECT 1', format: 'JSONEachRow' }).then(() => performance.now());
    const [insertDone, readDone] = await Promise.all([inserted, read]);
    expect(readDone).toBeLessThan(insertDone);
    expect(await count()).toBe(60_000);
  });
});
