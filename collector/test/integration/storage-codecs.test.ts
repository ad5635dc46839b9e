import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { double, eventRecord, logsRequest } from '@tunnelvision/test-support';
import type { RunningCollector } from '../../src/collector.js';
import { appliedMigrations, forgetMigration } from '../support/migration-ledger.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * Migration 0011 changes the codecs of `logs` and nothing else: on a store
 * that already holds events it starts no mutation (no rewrite of what is
 * stored), and every answer about those events stays the same.
 */

const data = freshDataDir();
let collector: RunningCollector;
const CODECS = 11;

async function sql<T>(query: string): Promise<T[]> {
  const result = await collector.store.client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

async function postSession(sessionId: string, at: number): Promise<void> {
  const ids = { 'session.id': sessionId, 'tv.connection.id': `${sessionId}-c1`, 'server.address': 'ws-1', 'user.id': `user-of-${sessionId}` };
  const records = [
    eventRecord('conn.open', { ...ids, 'tv.connection.attempt': 1 }, at),
    eventRecord('msg.sent', { ...ids, 'tv.message.id': `${sessionId}-m1`, 'tv.message.seq': 7, 'tv.message.channel': 'room-1', 'tv.message.attempt': 1 }, at + 100),
    eventRecord('msg.acked', { ...ids, 'tv.message.id': `${sessionId}-m1`, 'tv.message.latency_ms': double(42.5), 'tv.message.attempt': 1 }, at + 142),
    eventRecord('conn.close', { ...ids, 'tv.close.code': 1006, 'tv.close.reason': 'gone', 'tv.connection.duration_ms': double(5_000) }, at + 5_000),
  ];
  const response = await fetch(`${collector.url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(logsRequest({ 'service.name': 'web', 'deployment.environment.name': 'production' }, records)),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

/** The session's timeline, without the window it was read over (it ends at the time of asking). */
async function timeline(sessionId: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${collector.url}/api/v1/timeline?session_id=${sessionId}`);
  expect(response.status).toBe(200);
  const { from: _from, to: _to, ...answer } = (await response.json()) as Record<string, unknown>;
  return answer;
}

const codecs = async () =>
  Object.fromEntries(
    (await sql<{ name: string; compression_codec: string }>(
      `SELECT name, compression_codec FROM system.columns WHERE database = '${collector.store.database}' AND table = 'logs'`,
    )).map((c) => [c.name, c.compression_codec]),
  );

let before: unknown;
let mutationsBefore: unknown[];
const mutations = () => sql<{ command: string }>(`SELECT command FROM system.mutations WHERE database = '${collector.store.database}' AND table = 'logs' ORDER BY create_time`);
const now = Date.now() - 60_000;

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  // The store as it was before 0011: the columns' first codecs, and 0011 not in the ledger.
  const db = collector.store.database;
  await collector.store.client.command({
    query: `ALTER TABLE ${db}.logs MODIFY COLUMN ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
            MODIFY COLUMN UserId String CODEC(ZSTD(1)), MODIFY COLUMN MessageSeq Nullable(Int64), MODIFY COLUMN LatencyMs Nullable(Float64)`,
  });
  await forgetMigration(collector, CODECS);
  await postSession('before-upgrade', now);
  before = await timeline('before-upgrade');
  mutationsBefore = await mutations();
  await collector.stop();
  collector = await startTestCollector(data.dir);
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('migration 0011 (storage codecs)', () => {
  it('gives the attribute maps and ids ZSTD(3), the numbers ZSTD, with T64 for small integers', async () => {
    expect(await appliedMigrations(collector)).toContain(CODECS);
    const byColumn = await codecs();
    for (const column of ['ResourceAttributes', 'LogAttributes', 'UserId', 'SessionId', 'ConnectionId', 'MessageId', 'Channel']) {
      expect(byColumn[column], column).toBe('CODEC(ZSTD(3))');
    }
    expect(byColumn.MessageSeq).toBe('CODEC(T64, ZSTD(1))');
    expect(byColumn.LatencyMs).toBe('CODEC(ZSTD(1))');
    // Untouched: the timestamps keep Delta.
    expect(byColumn.Timestamp).toBe('CODEC(Delta(8), ZSTD(1))');
  });

  it('rewrites nothing already stored, which reads the same, and events after it are stored as before', async () => {
    // The only mutations are the earlier migrations' (0009 drops an index).
    expect(await mutations()).toEqual(mutationsBefore);
    expect(await timeline('before-upgrade')).toEqual(before);

    await postSession('after-upgrade', now + 10_000);
    const after = (await timeline('after-upgrade')) as { events: { event: string; attributes?: Record<string, unknown> }[] };
    expect(after.events.map((e) => e.event)).toEqual(['conn.open', 'msg.sent', 'msg.acked', 'conn.close']);
    expect(JSON.stringify(after)).toContain('42.5');
  });
});
