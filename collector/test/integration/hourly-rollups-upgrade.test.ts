import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { double, eventRecord, logsRequest } from '@tunnelvision/test-support';
import type { RunningCollector } from '../../src/collector.js';
import { readMigrations } from '../../src/store/schema/migration-files.js';
import { renderMigration } from '../../src/store/schema/render-migration.js';
import { appliedMigrations, forgetMigration } from '../support/migration-ledger.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * Upgrading to migration 0010 backfills the hourly rollups from the minute
 * rollups already stored, so long-range charts of an upgraded install
 * include the weeks before the upgrade; applying it again adds nothing.
 */

const data = freshDataDir();
let collector: RunningCollector;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const HOURLY = 10;
const start = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR - 17 * MINUTE;

async function sql<T>(query: string): Promise<T[]> {
  const result = await collector.store.client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

async function postEvents(from: number, count: number, tag: string): Promise<void> {
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const t = from + i * 7 * MINUTE + (i % 50) * 1_000;
    const ids = { 'session.id': `${tag}-${i % 13}`, 'server.address': 'ws-1' };
    records.push(eventRecord('conn.close', { ...ids, 'tv.close.code': i % 3 ? 1000 : 1006, 'tv.connection.duration_ms': double(5_000) }, t));
    records.push(eventRecord('msg.acked', { ...ids, 'tv.message.id': `${tag}-${i}`, 'tv.message.latency_ms': double(10 + (i % 40) * 5) }, t + 500));
  }
  const response = await fetch(`${collector.url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(logsRequest({ 'service.name': 'web', 'deployment.environment.name': 'production' }, records)),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

/** events_1h and latency_1h per hour, next to the minute rollups summed per hour. */
async function hoursBothWays(): Promise<{ hourly: unknown[]; fromMinutes: unknown[] }> {
  const db = collector.store.database;
  const events = (table: string, hour: string) =>
    `SELECT ${hour} AS hour, EventName, CloseCode, sum(Events) AS events, uniqMerge(Sessions) AS sessions
     FROM ${db}.${table} GROUP BY hour, EventName, CloseCode ORDER BY hour, EventName, CloseCode`;
  const latency = (table: string, hour: string) =>
    `SELECT ${hour} AS hour, sum(Count) AS acks, sum(SumMs) AS total_ms, max(MaxMs) AS max_ms FROM ${db}.${table} GROUP BY hour ORDER BY hour`;
  const [hourlyEvents, minuteEvents, hourlyLatency, minuteLatency] = await Promise.all([
    sql(events('events_1h', 'Minute')),
    sql(events('events_1m', 'toStartOfHour(Minute)')),
    sql(latency('latency_1h', 'Minute')),
    sql(latency('latency_1m', 'toStartOfHour(Minute)')),
  ]);
  return { hourly: [hourlyEvents, hourlyLatency], fromMinutes: [minuteEvents, minuteLatency] };
}

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  // The store as it was before 0010: no hourly rollups, and 0010 not in the ledger.
  const db = collector.store.database;
  for (const name of ['events_1h_mv', 'latency_1h_mv', 'events_1h', 'latency_1h']) await collector.store.client.command({ query: `DROP TABLE ${db}.${name}` });
  await forgetMigration(collector, HOURLY);
  await postEvents(start, 45, 'before');
  await collector.stop();
  collector = await startTestCollector(data.dir);
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('migration 0010 on a store with minute rollups', () => {
  it('applies, and the hourly rollups hold every hour the minute rollups held before it', async () => {
    expect(await appliedMigrations(collector)).toContain(HOURLY);
    const { hourly, fromMinutes } = await hoursBothWays();
    expect(hourly).toEqual(fromMinutes);
    expect((fromMinutes[0] as unknown[]).length).toBeGreaterThan(6);
  });

  it('keeps the hourly rollups filled after the upgrade, and applying it again adds nothing', async () => {
    await postEvents(start + 3 * MINUTE, 40, 'after');
    const migration = readMigrations().find((m) => m.version === HOURLY)!;
    const statements = renderMigration(migration.sql, { database: collector.store.database, retentionDays: 30, rollupRetentionDays: 400 });
    expect(statements.filter((s) => /^INSERT /m.test(s))).toHaveLength(2);
    for (const statement of statements) await collector.store.client.command({ query: statement });
    const { hourly, fromMinutes } = await hoursBothWays();
    expect(hourly).toEqual(fromMinutes);
    const [total] = await sql<{ events: number }>(`SELECT sum(Events) AS events FROM ${collector.store.database}.events_1h`);
    expect(Number(total!.events)).toBe(2 * (45 + 40));
  });
});
