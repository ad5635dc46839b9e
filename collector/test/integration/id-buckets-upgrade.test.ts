import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import type { RunningCollector } from '../../src/collector.js';
import type { LookupKind, TimelineResponse } from '../../src/api-types.js';
import { readMigrations } from '../../src/store/schema/migration-files.js';
import { renderMigration } from '../../src/store/schema/render-migration.js';
import { appliedMigrations, forgetMigration } from '../support/migration-ledger.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';

/**
 * Upgrading to migration 0012 records where the ids of the rows already
 * stored occur, so a lookup on an upgraded store finds the events from
 * before the upgrade; every lookup (user, session, connection, message)
 * answers exactly the rows of `logs` that carry the id, before the upgrade
 * and after; applying it again changes no answer.
 */

const data = freshDataDir();
let collector: RunningCollector;
const MINUTE = 60_000;
const ID_BUCKETS = 12;
const start = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * 60 * MINUTE;
const range = { from: start - 60 * MINUTE, to: start + 5 * 60 * MINUTE };
const COLUMN: Record<LookupKind, string> = { user_id: 'UserId', session_id: 'SessionId', connection_id: 'ConnectionId', message_id: 'MessageId' };

/** UserId -> user_id, as 0001 named the indexes. */
const snake = (column: string) => column.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();

async function sql<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await collector.store.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Sessions of two services that live for hours, a message in every other event, ids reused across services. */
async function postEvents(from: number, count: number, tag: string): Promise<void> {
  for (const service of ['web', 'gateway']) {
    const records: Record<string, unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const t = from + i * 4 * MINUTE + (i % 7) * 1_000;
      const ids = { 'session.id': `${tag}-s${i % 5}`, 'tv.connection.id': `${tag}-c${Math.floor(i / 10)}`, 'user.id': `${tag}-u${i % 3}` };
      records.push(eventRecord('conn.open', ids, t));
      if (i % 2 === 0) records.push(eventRecord('msg.sent', { ...ids, 'tv.message.id': `${tag}-m${i % 17}` }, t + 300));
    }
    const response = await fetch(`${collector.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(logsRequest({ 'service.name': service }, records)),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  }
}

/** Each event the lookup answered, against the rows of `logs` that carry the id (for a message: its own events). */
async function lookupBothWays(kind: LookupKind, id: string): Promise<{ answered: string[]; stored: string[] }> {
  const response = await getJson<TimelineResponse>(collector.url, `/api/v1/timeline?${kind}=${encodeURIComponent(id)}&from=${range.from}&to=${range.to}&limit=10000`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const own = kind === 'message_id' ? response.body.events.filter((e) => e.message_id === id) : response.body.events;
  const rows = await sql<{ key: string }>(
    `SELECT concat(toString(toUnixTimestamp64Nano(Timestamp)), ' ', ServiceName, ' ', EventName) AS key FROM ${collector.store.database}.logs
     WHERE ${COLUMN[kind]} = {id:String} ORDER BY key`,
    { id },
  );
  return { answered: own.map((e) => `${e.time_unix_nano} ${e.service} ${e.event}`).sort(), stored: rows.map((r) => r.key) };
}

async function expectEveryLookupComplete(tags: string[]): Promise<void> {
  for (const tag of tags) {
    const ids: [LookupKind, string][] = [
      ...[0, 1, 4].map((i): [LookupKind, string] => ['session_id', `${tag}-s${i}`]),
      ...[0, 2].map((i): [LookupKind, string] => ['connection_id', `${tag}-c${i}`]),
      ['user_id', `${tag}-u1`],
      ...[0, 5, 16].map((i): [LookupKind, string] => ['message_id', `${tag}-m${i}`]),
    ];
    for (const [kind, id] of ids) {
      const { answered, stored } = await lookupBothWays(kind, id);
      expect(stored.length, `${kind}=${id}`).toBeGreaterThan(1);
      expect(answered, `${kind}=${id}`).toEqual(stored);
    }
  }
}

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  // The store as it was before 0012: the ids' bloom filters, no id_buckets, and 0012 not in the ledger.
  const db = collector.store.database;
  for (const name of ['id_buckets_mv', 'id_buckets']) await collector.store.client.command({ query: `DROP TABLE ${db}.${name}` });
  const blooms = Object.values(COLUMN).map((column) => `ADD INDEX idx_${snake(column)} ${column} TYPE bloom_filter(0.001) GRANULARITY 1`);
  await collector.store.client.command({ query: `ALTER TABLE ${db}.logs ${blooms.join(', ')}` });
  await forgetMigration(collector, ID_BUCKETS);
  await postEvents(start, 60, 'before');
  await collector.stop();
  collector = await startTestCollector(data.dir);
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('migration 0012 on a store with events', () => {
  it('applies, and every lookup finds the events stored before it', async () => {
    expect(await appliedMigrations(collector)).toContain(ID_BUCKETS);
    await expectEveryLookupComplete(['before']);
    // No lookup reads the ids' bloom filters any more, so they are gone.
    const indexes = await sql<{ name: string }>(`SELECT name FROM system.data_skipping_indices WHERE database = {db:String} AND table = 'logs' ORDER BY name`, {
      db: collector.store.database,
    });
    expect(indexes.map((i) => i.name).filter((n) => /^idx_(user|session|connection|message)_id$/.test(n))).toEqual([]);
  });

  it('keeps recording after the upgrade, and applying it again changes no answer', async () => {
    await postEvents(start + 2 * MINUTE, 50, 'after');
    // The same ids again, later: their lookups span rows from before and after the upgrade.
    await postEvents(start + 3 * 60 * MINUTE, 20, 'before');
    const migration = readMigrations().find((m) => m.version === ID_BUCKETS)!;
    const statements = renderMigration(migration.sql, { database: collector.store.database, retentionDays: 30, rollupRetentionDays: 400 });
    expect(statements.filter((s) => /^INSERT /m.test(s))).toHaveLength(1);
    for (const statement of statements) await collector.store.client.command({ query: statement });
    await expectEveryLookupComplete(['before', 'after']);
  });
});
