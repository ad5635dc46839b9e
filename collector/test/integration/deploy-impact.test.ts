import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

/**
 * A deploy restarts the server: 20 clients drop with 1001 right after it and
 * 19 come back, all within the same second (a thundering herd); before it,
 * two clients reconnected after 1006 drops. The impact endpoint must say so.
 */

const data = freshDataDir();
let collector: RunningCollector;
const deployAt = Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000 + 30_000; // mid-minute, 20 min ago
let deployId = '';

const resource = { 'service.name': 'chat', 'deployment.environment.name': 'production', 'service.version': '1.0.0' };

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  const records: Record<string, unknown>[] = [];
  // Before: two abnormal drops and reconnects, and fast deliveries.
  for (const i of [0, 1]) {
    const t = deployAt - 5 * 60_000 + i * 60_000;
    records.push(eventRecord('conn.close', { 'session.id': `old-${i}`, 'tv.close.code': 1006, 'tv.connection.duration_ms': 60_000 }, t));
    records.push(eventRecord('conn.open', { 'session.id': `old-${i}`, 'tv.connection.downtime_ms': 900 }, t + 900));
  }
  for (let i = 0; i < 50; i++) records.push(eventRecord('msg.acked', { 'session.id': 'old-0', 'tv.message.latency_ms': 20 + (i % 10) }, deployAt - 120_000 + i));
  // After: 20 clients dropped by the deploy (1001); 19 back within the same second.
  for (let i = 0; i < 20; i++) {
    records.push(eventRecord('conn.close', { 'session.id': `c-${i}`, 'tv.close.code': 1001, 'tv.connection.duration_ms': 90_000 }, deployAt + 1_000));
    if (i < 19) records.push(eventRecord('conn.open', { 'session.id': `c-${i}`, 'tv.connection.downtime_ms': 300 + i }, deployAt + 1_300 + i));
  }
  records.push(eventRecord('conn.close', { 'session.id': 'c-x', 'tv.close.code': 1006, 'tv.connection.duration_ms': 5_000 }, deployAt + 2_000));
  // Refused reconnect attempts (never opened, so no duration) are not closes of a connection.
  for (let i = 0; i < 5; i++) records.push(eventRecord('conn.close', { 'session.id': `c-${i}`, 'tv.close.code': 1006 }, deployAt + 1_100 + i));
  for (let i = 0; i < 50; i++) records.push(eventRecord('msg.acked', { 'session.id': 'c-0', 'tv.message.latency_ms': 200 + i }, deployAt + 60_000 + i));
  // Another service's storm must not count.
  const other = logsRequest({ ...resource, 'service.name': 'billing' }, [eventRecord('conn.open', { 'session.id': 'b', 'tv.connection.downtime_ms': 1 }, deployAt + 1_500)]);
  for (const body of [logsRequest(resource, records), other]) {
    const response = await fetch(`${collector.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
  }
  const posted = await fetch(`${collector.url}/api/v1/deploys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'chat', version: '1.1.0', environment: 'production', commit: 'f00d', time: deployAt }),
  });
  deployId = ((await posted.json()) as { deploy: { id: string } }).deploy.id;
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('GET /api/v1/deploys/:id/impact', () => {
  it('compares the window after the deploy with the one before', async () => {
    const { status, body } = await getJson(collector.url, `/api/v1/deploys/${deployId}/impact?window=10m`);
    expect(status).toBe(200);
    expect(body.deploy).toMatchObject({ id: deployId, version: '1.1.0', commit: 'f00d' });
    expect(body.window_seconds).toBe(600);
    expect(body.before).toMatchObject({ reconnects: 2, closes: 2, abnormal_closes: 2, abnormal_close_share: 1, peak_reconnects_per_minute: 1 });
    expect(body.after).toMatchObject({ reconnects: 19, closes: 21, abnormal_closes: 1, peak_reconnects_per_minute: 19 });
    expect(body.after.abnormal_close_share).toBeCloseTo(1 / 21, 3);
    expect(body.before.latency_p99_ms).toBeLessThan(30);
    expect(body.after.latency_p99_ms).toBeGreaterThan(240);
  });

  it('says how long until 95% of dropped clients were back, and spots the herd', async () => {
    const { body } = await getJson(collector.url, `/api/v1/deploys/${deployId}/impact?window=10m`);
    // 21 dropped (20 by the deploy, 1 by 1006); 19 back; 95% of 21 needs 20 back.
    expect(body.recovery).toEqual({ clients_dropped: 21, clients_back: 19, seconds_to_95_percent_back: null });
    expect(body.herd).toEqual({ peak_second_share: 1, spread_seconds: 0, thundering_herd: true });
  });

  it('answers 404 for an unknown deploy and 400 for a malformed id', async () => {
    const missing = await getJson(collector.url, '/api/v1/deploys/00000000-0000-4000-8000-000000000000/impact');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/No deploy with id/);
    const malformed = await getJson(collector.url, "/api/v1/deploys/1'%20OR%201=1/impact");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/is not a deploy id/);
  });
});

describe('GET /api/v1/series?metric=failed_attempts', () => {
  it('counts attempts that never opened apart from closes', async () => {
    const q = `service=chat&from=${deployAt - 10 * 60_000}&to=${deployAt + 10 * 60_000}&step=20m`;
    const total = async (metric: string) =>
      ((await getJson(collector.url, `/api/v1/series?metric=${metric}&${q}`)).body.points as { v: number }[]).reduce((n, p) => n + p.v, 0);
    expect(await total('failed_attempts')).toBe(5);
    expect(await total('abnormal_closes')).toBe(3);
    expect(await total('closes')).toBe(23);
  });
});

describe('GET /api/v1/labels', () => {
  it('lists the values the filters can take', async () => {
    const { status, body } = await getJson(collector.url, `/api/v1/labels?from=${deployAt - 10 * 60_000}&to=${deployAt + 10 * 60_000}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ services: ['billing', 'chat'], environments: ['production'], versions: ['1.0.0'], servers: [] });
    expect((await getJson(collector.url, '/api/v1/labels?from=soon')).status).toBe(400);
  });
});

describe('GET /api/v1/close-codes', () => {
  it('counts closes by code with their meaning, most frequent first', async () => {
    const { status, body } = await getJson(
      collector.url,
      `/api/v1/close-codes?service=chat&from=${deployAt - 10 * 60_000}&to=${deployAt + 10 * 60_000}`,
    );
    expect(status).toBe(200);
    expect(body.total).toBe(23);
    expect(body.codes).toEqual([
      { code: 1001, meaning: '1001: going away (server shutting down or page navigating away)', abnormal: false, count: 20, share: 20 / 23 },
      { code: 1006, meaning: '1006: connection lost without a close frame', abnormal: true, count: 3, share: 3 / 23 },
    ]);
  });
});
