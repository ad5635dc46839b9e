import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { encodeRows } from '../../src/ingest/encoded-block.js';
import { isBadDataFailure } from '../../src/ingest/insert-failure.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * How the real store's insert failures are told apart: rows the engine can
 * never take (set aside, never spooled) from a store that is unavailable
 * (spooled and replayed). The embedded engine's errors carry ClickHouse's
 * codes as the client's do.
 */

const data = freshDataDir();
let collector: RunningCollector;
beforeAll(async () => {
  collector = await startTestCollector(data.dir);
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('an insert the real store refuses', () => {
  it('for its rows is a bad-data failure, with the ClickHouse code and message', async () => {
    const bad = encodeRows([{ Timestamp: 'not a time', EventName: 'conn.open' }]);
    const error = await collector.store.insert({ database: collector.store.database, table: 'logs' }, bad, 'bad-rows').then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toMatch(/^\d+$/);
    expect((error as Error).message).toMatch(/Timestamp/);
    expect(isBadDataFailure(error)).toBe(true);
  });

  it('because the store is gone is not', async () => {
    await collector.store.close();
    const error = await collector.store.insert({ database: collector.store.database, table: 'logs' }, encodeRows([{ EventName: 'conn.open' }]), 'store-gone').then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    expect(isBadDataFailure(error)).toBe(false);
  });
});
