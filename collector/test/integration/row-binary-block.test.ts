import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import { encodeBlock, encodeRows } from '../../src/ingest/encoded-block.js';
import { mapLogsRequest } from '../../src/ingest/log-rows.js';
import { ClickHouseStore } from '../../src/store/clickhouse-store.js';
import { LOGS_COLUMNS } from '../../src/store/logs-columns.js';

/**
 * `logs` blocks go to the embedded engine as RowBinaryWithNamesAndTypes:
 * the rows must be stored exactly as the JSONEachRow insert of the same
 * rows stores them, and the encoder must know every column of the table.
 */

const dir = mkdtempSync(join(tmpdir(), 'tv-row-binary-'));
let store: ClickHouseStore;

beforeAll(async () => {
  // 57 years of retention, so a 1970 timestamp is kept (and the TTL of today's rows stays before 2106, where DateTime ends).
  ({ store } = await ClickHouseStore.open({ dataDir: dir, database: 'rb', retentionDays: 21_000, rollupRetentionDays: 21_000 }));
  for (const table of ['as_json', 'as_row_binary']) await store.client.command({ query: `CREATE TABLE rb.${table} AS rb.logs` });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const selectAll = async (table: string) => {
  const result = await store.client.query({ query: `SELECT * FROM rb.${table} ORDER BY Timestamp, SessionId`, format: 'JSONEachRow' });
  return result.json<Record<string, unknown>>();
};

describe('RowBinary blocks of logs', () => {
  it('name every column of logs with its type', async () => {
    const result = await store.client.query({ query: "SELECT name, type FROM system.columns WHERE database = 'rb' AND table = 'logs' ORDER BY position", format: 'JSONEachRow' });
    expect(await result.json()).toEqual(LOGS_COLUMNS.map(([name, type]) => ({ name, type })));
  });

  it('store the rows as JSONEachRow stores them', async () => {
    // More pairs than a one-byte count holds: 140 and more, under a limit raised to 200.
    const MANY = Object.fromEntries(Array.from({ length: 140 }, (_, i) => [`extra.${i}`, `v${i}`]));
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const request = logsRequest({ 'service.name': 'rb-svc', 'service.version': '1.2.3', 'deployment.environment.name': 'prod', 'feature_flag.dark': 'on' }, [
      eventRecord('msg.acked', { 'session.id': 's-1', 'tv.message.id': 'm-1', 'tv.message.latency_ms': 0, 'tv.message.seq': -9_007_199_254_740_991, 'http.route': '/chat' }, at),
      eventRecord('conn.close', { 'session.id': 's-2', 'tv.close.code': 1006, 'tv.close.clean': false, 'tv.close.reason': 'gône ✓ 𝄞', 'tv.reconnect.jitter_ms': -3.25 }, at + 1),
      eventRecord('conn.open', { 'session.id': 's-3', 'tv.close.clean': true, 'tv.reconnect.attempt': 4_294_967_295, 'tv.queue.depth': 7, 'long.value': 'x'.repeat(300), ...MANY }, at + 2),
      { timeUnixNano: '1000000001', severityNumber: 17, severityText: 'ERROR', body: { stringValue: 'line\none\ttab "quoted" \\ back' }, traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', flags: 257 },
      { observedTimeUnixNano: '2208988800123456789', body: { kvlistValue: { values: [{ key: 'k', value: { arrayValue: { values: [{ intValue: '1' }] } } }] } } },
    ]);
    const { batches, rejected } = mapLogsRequest(request, { maxAttributes: 200, maxValueLength: 8_192 });
    expect(rejected).toBe(0);
    const rows = batches[0]!.rows;
    const binary = encodeBlock('logs', rows);
    expect(binary.format).toBe('RowBinaryWithNamesAndTypes');
    await store.insert({ database: 'rb', table: 'as_row_binary' as 'logs' }, binary, 'rb-1');
    await store.insert({ database: 'rb', table: 'as_json' as 'logs' }, encodeRows(rows), 'json-1');
    const stored = await selectAll('as_row_binary');
    expect(Object.keys(stored[3]!.LogAttributes as object).length).toBeGreaterThan(140);
    expect(stored).toHaveLength(rows.length);
    expect(stored).toEqual(await selectAll('as_json'));
    // The staged file is gone once the engine has read it.
    expect(readdirSync(join(dir, 'insert-staging'))).toEqual([]);
  });

  it('are skipped when inserted again with the same deduplication token, in the table and its rollups', async () => {
    const rows = mapLogsRequest(logsRequest({ 'service.name': 'rb-dedup' }, [eventRecord('conn.open', { 'session.id': 'd-1' })])).batches[0]!.rows;
    const block = encodeBlock('logs', rows);
    for (let i = 0; i < 2; i++) await store.insert({ database: 'rb', table: 'logs' }, block, 'same-token');
    const counts = await store.client.query({
      query: "SELECT (SELECT count() FROM rb.logs WHERE ServiceName = 'rb-dedup') AS logs, (SELECT sum(Events) FROM rb.events_1m WHERE ServiceName = 'rb-dedup') AS rollup",
      format: 'JSONEachRow',
    });
    expect(await counts.json()).toEqual([{ logs: '1', rollup: '1' }]);
  });

  it('fail as the engine words it when the store cannot take them', async () => {
    const rows = mapLogsRequest(logsRequest({ 'service.name': 'rb-missing' }, [eventRecord('conn.open')])).batches[0]!.rows;
    await expect(store.insert({ database: 'rb_missing', table: 'logs' }, encodeBlock('logs', rows), 't')).rejects.toThrow(/rb_missing/);
  });
});
