import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { double, eventRecord, logsRequest } from '@tunnelvision/test-support';
import { encodeBlock, encodeRows } from '../../src/ingest/encoded-block.js';
import { mapLogsRequest } from '../../src/ingest/log-rows.js';
import { ClickHouseStore } from '../../src/store/clickhouse-store.js';

/**
 * The store inserts into `logs` with its views running side by side
 * (parallel_view_processing): every table a view fills must hold exactly
 * what the views running one after another store for the same rows.
 */

const dir = mkdtempSync(join(tmpdir(), 'tv-parallel-views-'));
let store: ClickHouseStore;
const SERIAL = 'pv_serial';

beforeAll(async () => {
  ({ store } = await ClickHouseStore.open({ dataDir: dir, database: 'pv', retentionDays: 30, rollupRetentionDays: 30 }));
  await store.migrateTenantDatabase(SERIAL);
  // Each insert's parts compared as written: a merge in one database and not yet in the other would regroup rows.
  await store.client.command({ query: 'SYSTEM STOP MERGES' });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Three hours of connections and messages from a few services, servers and sessions. */
function rows(): Record<string, unknown>[] {
  const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
  const records = Array.from({ length: 6_000 }, (_, i) => {
    const at = start + i * 1_800 + (i % 7);
    const ids = { 'session.id': `s-${i % 97}`, 'server.address': `ws-${i % 3}`, 'tv.role': i % 5 ? 'client' : 'server' };
    switch (i % 6) {
      case 0:
        return eventRecord('conn.open', { ...ids, 'tv.connection.attempt': 1 + (i % 3), ...(i % 4 ? {} : { 'tv.connection.downtime_ms': double(800) }) }, at);
      case 1:
        return eventRecord('conn.close', { ...ids, 'tv.close.code': [1000, 1006, 1008][i % 3]!, ...(i % 5 ? { 'tv.connection.duration_ms': double(5_000) } : {}) }, at);
      case 2:
        return eventRecord('msg.sent', { ...ids, 'tv.message.id': `m-${i}`, 'tv.queue.depth': i % 40 }, at);
      case 3:
        return eventRecord('msg.acked', { ...ids, 'tv.message.id': `m-${i - 1}`, 'tv.message.latency_ms': double(5 + (i % 900) * 3.7) }, at);
      case 4:
        return eventRecord('msg.dropped', { ...ids, 'tv.message.id': `m-${i}`, 'tv.message.drop_reason': 'queue_full' }, at);
      default:
        return eventRecord('conn.reconnect.scheduled', { ...ids, 'tv.reconnect.attempt': 1 + (i % 4), 'tv.reconnect.delay_ms': double(250) }, at);
    }
  });
  const services: Record<string, string>[] = [
    { 'service.name': 'web', 'deployment.environment.name': 'production', 'service.version': '1.4.0', 'feature_flag.dark': 'on' },
    { 'service.name': 'api', 'deployment.environment.name': 'staging', 'service.version': '2.0.1' },
  ];
  return services.flatMap((resource, s) => mapLogsRequest(logsRequest(resource, records.filter((_, i) => i % 2 === s))).batches.flatMap((b) => b.rows));
}

/** Every row of every table a view fills, in a fixed order (aggregate states as their bytes). */
async function viewTables(database: string): Promise<Record<string, string[]>> {
  const views = await (
    await store.client.query({ query: `SELECT name FROM system.tables WHERE database = '${database}' AND engine = 'MaterializedView' ORDER BY name`, format: 'JSONEachRow' })
  ).json<{ name: string }>();
  const tables: Record<string, string[]> = {};
  for (const { name } of views) {
    const table = name.replace(/_mv$/, '');
    const result = await store.client.query({ query: `SELECT * FROM ${database}.${table}`, format: 'JSONEachRow' });
    tables[table] = (await result.json<Record<string, unknown>>()).map((row) => JSON.stringify(row)).sort();
  }
  return tables;
}

describe('views running side by side on an insert into logs', () => {
  it('fill every table exactly as views running one after another do', async () => {
    const all = rows();
    for (let i = 0; i < all.length; i += 2_500) {
      const part = all.slice(i, i + 2_500);
      await store.insert({ database: 'pv', table: 'logs' }, encodeBlock('logs', part), `pv-${i}`);
      await store.client.insert({
        table: `${SERIAL}.logs`,
        values: encodeRows(part).body.toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>),
        format: 'JSONEachRow',
        clickhouse_settings: { parallel_view_processing: 0 },
      });
    }
    const [parallel, serial] = await Promise.all([viewTables('pv'), viewTables(SERIAL)]);
    expect(Object.keys(parallel)).toEqual(expect.arrayContaining(['events_1m', 'events_1h', 'latency_1m', 'latency_1h', 'events_10s', 'latency_10s', 'reliability_1m', 'reliability_1h']));
    for (const table of ['events_1m', 'latency_10s', 'reliability_1h']) expect(parallel[table]!.length).toBeGreaterThan(10);
    expect(parallel).toEqual(serial);
  });
});
