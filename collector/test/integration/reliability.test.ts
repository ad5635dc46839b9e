import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CohortComparisonResponse, ObjectivesResponse, ReliabilityResponse, SeriesResponse } from '../../src/api-types.js';
import { readObjectiveWindows } from '../../src/alerts/signals/signal-reader.js';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';
import { double, eventRecord, logsRequest, upDownCounterRequest, type MetricPoint } from '@tunnelvision/test-support';

/**
 * Known telemetry two days ago, every figure computed by hand below. Two
 * cohorts of one service, split by feature_flag.resilience, over two hours
 * starting at T0 (on the hour):
 *
 * Connection states (tv.connection.state samples):
 *  - on, hour 1: 3 open at 6 samples (18); hour 2: 2 open and 1 reconnecting at 6 samples (12 + 6).
 *  - off, hour 1: 1 open, 1 reconnecting at 10 samples, 2 offline at 5 (10 + 10 + 10).
 *  - a sample of 100 open a minute before T0, outside every window but the objectives'.
 * Events of the on cohort, hour 1:
 *  - attempts: 4 opened, 1 refused with HTTP 401 -> connect success 4/5, auth failures 2/5 with the 1008 close;
 *  - closes of opened connections: 3, one after 2 missed heartbeats (a zombie), one with 1008;
 *  - 10 messages sent: 7 acked in 200 ms (one sent in the last 100 ms of the hour, acked in the next),
 *    1 acked in 1500 ms, 1 dropped, 1 never acked; 1 of them replayed -> delivery 7/10 within 1 s, 8/10 within 2 s;
 *  - offline queue depths 1..20 on msg.queued.
 * The off cohort: 10 attempts, all opened. And 3 messages sent 20 s ago, still in flight.
 */

const HOUR = 3_600_000;
const MINUTE = 60_000;
const data = freshDataDir();
let collector: RunningCollector;
const T0 = Math.floor((Date.now() - 2 * 86_400_000) / HOUR) * HOUR;
const resource = { 'service.name': 'chat', 'deployment.environment.name': 'production', 'service.version': '2.0.0', 'telemetry.sdk.version': '0.1.0' };
const on = { 'feature_flag.resilience': 'on' };
const off = { 'feature_flag.resilience': 'off' };
const STATE_METRIC = { name: 'tv.connection.state', unit: '{connection}' };

const samples = (flags: Record<string, string>, state: string, value: number, times: number[]): MetricPoint[] =>
  times.map((timeMs) => ({ timeMs, value, attributes: { ...flags, 'tv.state': state } }));
const minutesAfter = (start: number, minutes: number[]) => minutes.map((m) => start + m * MINUTE);

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, await response.text()).toBe(200);
}

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  const hour1 = minutesAfter(T0, [10, 20, 30, 40, 50, 55]);
  const hour2 = minutesAfter(T0 + HOUR, [10, 20, 30, 40, 50, 55]);
  const points = [
    ...samples(on, 'open', 3, hour1),
    ...samples(on, 'open', 2, hour2),
    ...samples(on, 'reconnecting', 1, hour2),
    ...samples(off, 'open', 1, minutesAfter(T0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])),
    ...samples(off, 'reconnecting', 1, minutesAfter(T0, [11, 12, 13, 14, 15, 16, 17, 18, 19, 20])),
    ...samples(off, 'offline', 2, minutesAfter(T0, [21, 22, 23, 24, 25])),
    ...samples(on, 'open', 100, [T0 - MINUTE]),
  ];
  await post('/v1/metrics', upDownCounterRequest(STATE_METRIC, resource, points, T0 - HOUR));

  const t = T0 + 10 * MINUTE;
  const s = { 'session.id': 's-on', ...on };
  const records = [
    ...[0, 1, 2, 3].map((i) => eventRecord('conn.open', { ...s, 'tv.connection.id': `c${i}` }, t + i * 1000)),
    eventRecord('conn.close', { ...s, 'tv.close.code': 1006, 'tv.connection.failure': 'rejected', 'error.type': '401' }, t + 5_000),
    eventRecord('conn.close', { ...s, 'tv.close.code': 4000, 'tv.connection.duration_ms': double(60_000), 'tv.heartbeat.missed': 2, 'tv.close.initiator': 'client' }, t + 6_000),
    eventRecord('conn.close', { ...s, 'tv.close.code': 1008, 'tv.connection.duration_ms': double(1_000) }, t + 7_000),
    eventRecord('conn.close', { ...s, 'tv.close.code': 1000, 'tv.connection.duration_ms': double(9_000) }, t + 8_000),
  ];
  for (let i = 0; i < 10; i++) {
    // Message 0 goes out in the hour's last 100 ms; its ack lands in the next hour but counts with its send.
    const sentAt = i === 0 ? T0 + HOUR - 100 : t + 10_000 + i * 100;
    const m = { ...s, 'tv.message.id': `m${i}` };
    records.push(eventRecord('msg.sent', m, sentAt));
    if (i < 7) records.push(eventRecord('msg.acked', { ...m, 'tv.message.latency_ms': double(200) }, sentAt + 200));
    if (i === 7) records.push(eventRecord('msg.acked', { ...m, 'tv.message.latency_ms': double(1_500) }, sentAt + 1_500));
    if (i === 8) records.push(eventRecord('msg.dropped', { ...m, 'tv.message.drop_reason': 'connection_lost' }, sentAt + 30_000));
  }
  records.push(eventRecord('msg.replayed', { ...s, 'tv.message.id': 'm3' }, t + 10_150));
  for (let depth = 1; depth <= 20; depth++) records.push(eventRecord('msg.queued', { ...s, 'tv.message.id': `q${depth}`, 'tv.queue.depth': depth }, t + 20_000 + depth));
  for (let i = 0; i < 10; i++) records.push(eventRecord('conn.open', { 'session.id': `s-off-${i}`, ...off }, t + i * 1000));
  for (let i = 0; i < 3; i++) records.push(eventRecord('msg.sent', { ...s, 'tv.message.id': `flying-${i}` }, Date.now() - 20_000));
  await post('/v1/logs', logsRequest(resource, records));
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

const window2h = `from=${T0}&to=${T0 + 2 * HOUR}`;

describe('GET /api/v1/reliability', () => {
  it('computes every measure of one cohort from the definitions', async () => {
    const { status, body } = await getJson<ReliabilityResponse>(collector.url, `/api/v1/reliability?${window2h}&cohort=feature_flag.resilience:on`);
    expect(status).toBe(200);
    expect(body.cohort_label).toBe('feature_flag.resilience=on');
    const m = body.measures;
    expect(m.connection_reliability).toEqual({ value: 30 / 36, good: 30, total: 36 });
    expect(m.connect_success_ratio).toEqual({ value: 4 / 5, good: 4, total: 5 });
    expect(m.auth_failures).toEqual({ value: 2 / 5, good: 2, total: 5 });
    expect(m.zombie_connections).toEqual({ value: 1 / 3, good: 1, total: 3 });
    expect(m.delivery_success).toEqual({ value: 7 / 10, good: 7, total: 10 });
    expect(m.replays).toEqual({ value: 1 / 10, good: 1, total: 10 });
    expect(body.queue_depth.max).toBe(20);
    expect(body.queue_depth.samples).toBe(20);
    expect(body.queue_depth.p95).toBeGreaterThanOrEqual(18);
    expect(body.queue_depth.p95).toBeLessThanOrEqual(20);
  });

  it('measures delivery against the latency objective asked for', async () => {
    const { body } = await getJson<ReliabilityResponse>(collector.url, `/api/v1/reliability?${window2h}&cohort=feature_flag.resilience:on&latency_threshold_ms=2000`);
    expect(body.measures.delivery_success).toEqual({ value: 8 / 10, good: 8, total: 10 });
    expect(body.latency_threshold_ms).toBe(2000);
  });

  it('counts an ack with the minute its message was sent, and nothing outside the window', async () => {
    const { body } = await getJson<ReliabilityResponse>(collector.url, `/api/v1/reliability?from=${T0}&to=${T0 + HOUR}&cohort=feature_flag.resilience:on`);
    expect(body.measures.delivery_success).toEqual({ value: 7 / 10, good: 7, total: 10 });
    expect(body.measures.connection_reliability).toEqual({ value: 1, good: 18, total: 18 });
  });

  it('clips sessions at the window edges, reading hours and minutes together', async () => {
    // [T0+30m, T0+2h30m): hour 1's samples at 30, 40, 50 and 55 minutes, and all of hour 2.
    const { body } = await getJson<ReliabilityResponse>(collector.url, `/api/v1/reliability?from=${T0 + 30 * MINUTE}&to=${T0 + 150 * MINUTE}&cohort=feature_flag.resilience:on`);
    expect(body.measures.connection_reliability).toEqual({ value: 24 / 30, good: 24, total: 30 });
  });

  it('counts clients that never connected as wanted, not connected', async () => {
    const { body } = await getJson<ReliabilityResponse>(collector.url, `/api/v1/reliability?from=${T0 + 11 * MINUTE}&to=${T0 + 26 * MINUTE}&cohort=feature_flag.resilience:off`);
    expect(body.measures.connection_reliability).toEqual({ value: 0, good: 0, total: 20 });
  });

  it('leaves messages still in flight out of delivery success', async () => {
    const { body } = await getJson<ReliabilityResponse>(collector.url, `/api/v1/reliability?from=${T0}&to=${Date.now() + 2 * MINUTE}&cohort=feature_flag.resilience:on`);
    expect(body.measures.delivery_success.total).toBe(10);
    expect(body.measures.replays.total).toBe(13);
  });

  it('combines filters and cohorts, and says when nothing matched', async () => {
    const { body } = await getJson<ReliabilityResponse>(collector.url, `/api/v1/reliability?${window2h}&service=chat&environment=production&cohort=service.version:2.0.0`);
    expect(body.measures.connect_success_ratio).toEqual({ value: 14 / 15, good: 14, total: 15 });
    const none = await getJson<ReliabilityResponse>(collector.url, `/api/v1/reliability?${window2h}&cohort=feature_flag.resilience:maybe`);
    expect(none.body.measures.connection_reliability).toEqual({ value: null, good: 0, total: 0 });
  });

  it('refuses what it cannot answer, naming the parameter', async () => {
    const cases: [string, string][] = [
      ['cohort=user.id:alice', '"user.id" cannot split the reliability measures; use one of service.name, service.version'],
      ['cohort=resilience', '"resilience" is not a cohort: use <attribute>:<value>'],
      ['latency_threshold_ms=700', 'latency_threshold_ms: must be one of 100, 250, 500, 1000, 2000, 5000, 10000, 30000'],
      [`from=${T0 - 401 * 86_400_000}&to=${T0}`, 'the time range may span at most 400 days'],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await getJson<{ error: { message: string } }>(collector.url, `/api/v1/reliability?${query}`);
      expect(status, query).toBe(400);
      expect(body.error.message, query).toContain(message);
    }
  });
});

describe('GET /api/v1/series for reliability measures', () => {
  it('gives each hour its own ratio for a cohort', async () => {
    const { status, body } = await getJson<SeriesResponse>(collector.url, `/api/v1/series?metric=connection_reliability&${window2h}&step=1h&cohort=feature_flag.resilience:on`);
    expect(status).toBe(200);
    expect(body.points.map((p) => p.v)).toEqual([1, 12 / 18]);
  });

  it('counts zombies per bucket', async () => {
    const { body } = await getJson<SeriesResponse>(collector.url, `/api/v1/series?metric=zombie_connections&${window2h}&step=1h`);
    expect(body.points.map((p) => p.v)).toEqual([1, 0]);
  });

  it('refuses a cohort on a metric the rollups without attributes serve', async () => {
    const { status, body } = await getJson(collector.url, `/api/v1/series?metric=reconnects&${window2h}&cohort=feature_flag.resilience:on`);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('cohort: applies only to the reliability metrics');
  });
});

describe('GET /api/v1/reliability/compare', () => {
  it('puts two cohorts side by side and says which differences are more than noise', async () => {
    const { status, body } = await getJson<CohortComparisonResponse>(
      collector.url,
      `/api/v1/reliability/compare?${window2h}&a=feature_flag.resilience:on&b=feature_flag.resilience:off`,
    );
    expect(status).toBe(200);
    const reliability = body.measures.find((m) => m.measure === 'connection_reliability')!;
    expect(reliability.a).toEqual({ value: 30 / 36, good: 30, total: 36 });
    expect(reliability.b).toEqual({ value: 10 / 30, good: 10, total: 30 });
    expect(reliability.difference).toBeCloseTo(30 / 36 - 1 / 3, 12);
    // Pooled p = 40/66; se = sqrt(p (1 - p) (1/36 + 1/30)); z = 0.5 / se.
    const pooled = 40 / 66;
    expect(reliability.z).toBeCloseTo(0.5 / Math.sqrt(pooled * (1 - pooled) * (1 / 36 + 1 / 30)), 9);
    expect(reliability.p_value).toBeLessThan(0.001);
    expect(reliability.better).toBe('a');
    expect(reliability.statement).toBe(
      'Connection reliability: 83.3% for feature_flag.resilience=on against 33.3% for feature_flag.resilience=off, 50.00 points higher for feature_flag.resilience=on; more than noise (p < 0.001): feature_flag.resilience=on is better.',
    );
    expect(reliability.caveat).toContain('without heartbeats, a half-open connection counts as open');
    const connect = body.measures.find((m) => m.measure === 'connect_success_ratio')!;
    expect(connect.better).toBeNull();
    expect(connect.statement).toBe('Connect success: 80.0% for feature_flag.resilience=on against 100.00% for feature_flag.resilience=off; too few counted to tell a difference from noise.');
    const delivery = body.measures.find((m) => m.measure === 'delivery_success')!;
    expect(delivery.statement).toBe('Delivery success: nothing counted for feature_flag.resilience=off in this window, so no comparison.');
  });

  it('counts a client in both cohorts when it belongs to both', async () => {
    const { body } = await getJson<CohortComparisonResponse>(collector.url, `/api/v1/reliability/compare?${window2h}&a=service.version:2.0.0&b=feature_flag.resilience:on`);
    const connect = body.measures.find((m) => m.measure === 'connect_success_ratio')!;
    expect([connect.a, connect.b]).toEqual([
      { value: 14 / 15, good: 14, total: 15 },
      { value: 4 / 5, good: 4, total: 5 },
    ]);
    expect(body.queue_depth.b.max).toBe(20);
  });

  it('needs both cohorts', async () => {
    const { status, body } = await getJson(collector.url, `/api/v1/reliability/compare?a=feature_flag.resilience:on`);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain('b: name cohort B');
  });
});

describe('GET /api/v1/objectives', () => {
  it('reports attainment, error budget and burn against the target, and the hours that burned it', async () => {
    const { status, body } = await getJson<ObjectivesResponse>(collector.url, '/api/v1/objectives');
    expect(status).toBe(200);
    const reliability = body.objectives.find((o) => o.id === 'connection-reliability')!;
    expect(reliability).toMatchObject({ measure: 'connection_reliability', target: 0.999, window: '90d' });
    // Everything ever sampled: 100 + 30 + 10 open of 100 + 36 + 30.
    expect(reliability.good).toBe(140);
    expect(reliability.total).toBe(166);
    const burn = (1 - 140 / 166) / 0.001;
    expect(reliability.burn_rate.window).toBeCloseTo(burn, 9);
    expect(reliability.error_budget_remaining).toBeCloseTo(1 - burn, 9);
    expect(reliability.burn_rate['1h']).toBe(0);
    // Hour 1: the off cohort's 20 bad samples; hour 2: the on cohort's 6.
    expect(reliability.worst_hours.map((h) => [h.from, h.bad])).toEqual([
      [new Date(T0).toISOString(), 20],
      [new Date(T0 + HOUR).toISOString(), 6],
    ]);
    expect(reliability.worst_hours[0]!.budget_share).toBeCloseTo(20 / (166 * 0.001), 9);
    const delivery = body.objectives.find((o) => o.id === 'delivery-success')!;
    expect(delivery).toMatchObject({ good: 7, total: 10, attainment: 0.7, latency_threshold_ms: 1000 });
  });
});

describe('the burn-rate alert rules', () => {
  it('read connection reliability through the same definition, per group and window', async () => {
    const nowSeconds = (T0 + 2 * HOUR) / 1000;
    const groups = await readObjectiveWindows(collector.store.client, collector.store.database, 'connection_reliability', undefined, nowSeconds, [3_600, 7_200], {
      groupBy: ['service'],
      filters: { role: 'client' },
    });
    // Last hour: 6 of 18 samples bad (the on cohort reconnecting); both hours: 6 + 20 of 36 + 30.
    expect(groups).toEqual([{ labels: { service: 'chat' }, bad: [6, 26], total: [18, 66] }]);
  });

  it('read delivery success with its latency objective', async () => {
    const nowSeconds = (T0 + 2 * HOUR) / 1000;
    const [group] = await readObjectiveWindows(collector.store.client, collector.store.database, 'delivery_success', 2000, nowSeconds, [7_200], { groupBy: [], filters: { role: 'client' } });
    expect(group).toEqual({ labels: {}, bad: [2], total: [10] });
  });
});
