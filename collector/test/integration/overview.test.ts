import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConnectionsRequest, double, eventRecord, logsRequest, seededRandom, type AttrValue } from '@tunnelvision/test-support';
import type { OverviewResponse } from '../../src/api-types.js';
import type { RunningCollector } from '../../src/collector.js';
import { OVERVIEW_SERIES } from '../../src/query/overview-query.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';

/**
 * GET /api/v1/overview answers in one request what the overview page used
 * to make twelve calls for (series, close-codes, deploys, labels): each part
 * must equal what its own route returns for the same window and filters,
 * over the same stored telemetry. Bad parameters are refused with the same
 * 400s as the series routes.
 */

const data = freshDataDir();
let collector: RunningCollector;
const MINUTE = 60_000;
const start = Math.floor(Date.now() / MINUTE) * MINUTE - 45 * MINUTE;
const end = start + 30 * MINUTE;
const window = `from=${start - 5 * MINUTE}&to=${end + 5 * MINUTE}`;
/** What was seeded, so the checks can tell real data from two empty answers. */
const expected = { reconnects: 0 };

const SOURCES = [
  { service: 'web', environment: 'production', version: '2.0.0', role: 'client' },
  { service: 'web', environment: 'staging', version: '2.1.0-rc.1', role: 'client' },
  { service: 'gateway', environment: 'production', version: '5.0.0', role: 'server' },
] as const;
const SERVERS = ['ws-1', 'ws-2'] as const;
const CLOSE_CODES = [1000, 1001, 1006, 1011] as const;

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
}

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  const random = seededRandom(13);
  for (const source of SOURCES) {
    const records: Record<string, unknown>[] = [];
    for (let m = 0; m < 30; m++) {
      for (let i = 0; i < 8; i++) {
        const t = start + m * MINUTE + Math.floor(random() * MINUTE);
        const ids: Record<string, AttrValue> = { 'session.id': `s-${m}-${i}`, 'server.address': SERVERS[i % 2]!, 'tv.role': source.role };
        const pick = random();
        if (pick < 0.45) {
          records.push(eventRecord('msg.acked', { ...ids, 'tv.message.id': `m-${m}-${i}`, 'tv.message.latency_ms': double(Math.round(10 + random() * 400)) }, t));
        } else if (pick < 0.6) {
          const reconnect = random() < 0.6;
          records.push(eventRecord('conn.open', reconnect ? { ...ids, 'tv.connection.downtime_ms': double(500) } : ids, t));
          if (reconnect && source.role === 'client') expected.reconnects++;
        } else if (pick < 0.8) {
          const code = CLOSE_CODES[Math.floor(random() * CLOSE_CODES.length)]!;
          // One close in five is an attempt that never opened (no duration).
          const opened: Record<string, AttrValue> = random() < 0.8 ? { 'tv.connection.duration_ms': double(60_000) } : {};
          records.push(eventRecord('conn.close', { ...ids, 'tv.close.code': code, ...opened }, t));
        } else if (pick < 0.9) {
          records.push(eventRecord('msg.dropped', { ...ids, 'tv.message.id': `d-${m}-${i}`, 'tv.message.drop_reason': 'queue_full' }, t));
        } else {
          records.push(eventRecord('conn.reconnect.scheduled', { ...ids, 'tv.reconnect.attempt': 1 }, t));
        }
      }
    }
    const resource = { 'service.name': source.service, 'service.version': source.version, 'deployment.environment.name': source.environment };
    await post('/v1/logs', logsRequest(resource, records));
    for (const server of SERVERS) {
      const points = Array.from({ length: 30 }, (_, m) => ({ timeMs: start + m * MINUTE + 30_000, value: 100 + m, attributes: { 'server.address': server } }));
      await post('/v1/metrics', activeConnectionsRequest({ ...resource, 'service.instance.id': `${source.service}-${server}`, 'tv.role': source.role }, points, start - MINUTE));
    }
    await post('/api/v1/deploys', { service: source.service, environment: source.environment, version: source.version, time: start + 10 * MINUTE });
  }
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

/** The overview for `params`, and what the separate routes answer for the same window and filters. */
async function bothWays(params: string) {
  const overview = await getJson<OverviewResponse>(collector.url, `/api/v1/overview?${params}`);
  expect(overview.status, JSON.stringify(overview.body)).toBe(200);
  const search = new URLSearchParams(params);
  const series = Object.fromEntries(
    await Promise.all(
      OVERVIEW_SERIES.map(async (metric) => {
        const one = await getJson(collector.url, `/api/v1/series?metric=${metric}&${params}`);
        expect(one.status).toBe(200);
        return [metric, one.body] as const;
      }),
    ),
  );
  const deployFilter = new URLSearchParams({ from: search.get('from')!, to: search.get('to')!, limit: '200' });
  for (const key of ['service', 'environment']) if (search.has(key)) deployFilter.set(key, search.get(key)!);
  const [closeCodes, deploys, labels] = await Promise.all([
    getJson(collector.url, `/api/v1/close-codes?${params}`),
    getJson(collector.url, `/api/v1/deploys?${deployFilter}`),
    getJson(collector.url, `/api/v1/labels?from=${search.get('from')}&to=${search.get('to')}`),
  ]);
  return { overview: overview.body, separate: { series, close_codes: closeCodes.body, deploys: deploys.body, labels: labels.body } };
}

describe('GET /api/v1/overview', () => {
  it('answers in one request what the series, close-codes, deploys and labels routes answer', async () => {
    const { overview, separate } = await bothWays(`${window}&step=60s`);
    expect(overview.series).toEqual(separate.series);
    expect(overview.close_codes).toEqual(separate.close_codes);
    expect(overview.deploys).toEqual(separate.deploys);
    expect(overview.labels).toEqual(separate.labels);
    expect(overview.step_seconds).toBe(60);
    expect(overview.series.reconnects.points).toHaveLength(40);
    // The data really is there: the comparison is not between two empty answers.
    expect(overview.series.reconnects.points.reduce((n, p) => n + (p.v ?? 0), 0)).toBe(expected.reconnects);
    expect(overview.series.latency_p99.points.some((p) => p.v !== null)).toBe(true);
    expect(overview.series.active_connections.points.some((p) => p.v !== null)).toBe(true);
    expect(overview.close_codes.total).toBeGreaterThan(0);
    expect(overview.deploys.deploys).toHaveLength(3);
    expect(overview.labels.services).toEqual(['gateway', 'web']);
  });

  it.each([
    ['a service', 'service=web'],
    ['a service and an environment', 'service=web&environment=staging'],
    ['a server', 'server=ws-2'],
    ['a version', 'version=2.0.0'],
    ["the servers' side", 'role=server'],
    ['a coarser step', 'step=5m'],
    ['the default step', ''],
  ])('equals the separate routes filtered by %s', async (_, filter) => {
    const { overview, separate } = await bothWays(`${window}${filter ? `&${filter}` : ''}`);
    expect(overview).toMatchObject(separate);
    expect(overview.series.closes.points.reduce((n, p) => n + (p.v ?? 0), 0)).toBeGreaterThan(0);
  });

  it('shows nothing for a service with no data, as the separate routes do', async () => {
    const { overview, separate } = await bothWays(`${window}&service=nobody`);
    expect(overview).toMatchObject(separate);
    expect(overview.series.reconnects.points.every((p) => p.v === 0)).toBe(true);
    expect(overview.series.latency_p50.points.every((p) => p.v === null)).toBe(true);
    expect(overview.close_codes.codes).toEqual([]);
    expect(overview.deploys.deploys).toEqual([]);
  });

  it.each([
    ['a step that is not whole minutes', 'step=90s', /step: must be a whole number of minutes \(at least 60s\), got 90s/],
    ['a step too fine for the range', `from=${start - 30 * 86_400_000}&to=${end}&step=60s`, /step: 60s gives more than 2000 points over this range; use at least/],
    ['a step that is not a duration', 'step=often', /step: "often" is not a duration/],
    ['a time that is not a time', 'from=yesterday', /from: "yesterday" is not a time/],
    ['from after to', `from=${end}&to=${start}`, /must be before to/],
    ['an empty service', 'service=', /service: must not be empty/],
    ['an unknown role', 'role=admin', /role: /],
  ])('refuses %s with 400 and says what is wrong, as /series does', async (_, params, message) => {
    const overview = await getJson<{ error: { status: number; message: string } }>(collector.url, `/api/v1/overview?${params}`);
    expect(overview.status).toBe(400);
    expect(overview.body.error.message).toMatch(message);
    const series = await getJson<{ error: { message: string } }>(collector.url, `/api/v1/series?metric=reconnects&${params}`);
    expect(series.status).toBe(400);
    expect(overview.body.error.message).toBe(series.body.error.message);
  });
});
