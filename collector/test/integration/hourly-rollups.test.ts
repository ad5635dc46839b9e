import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { double, eventRecord, logsRequest, seededRandom, type AttrValue } from '@tunnelvision/test-support';
import type { OverviewResponse, SeriesResponse } from '../../src/api-types.js';
import type { RunningCollector } from '../../src/collector.js';
import { EVENT_CONDITIONS } from '../../src/query/event-conditions.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';

/**
 * Over windows of whole-hour steps the overview and the series read the
 * hourly rollups (events_1h, latency_1h, migration 0010) for the hours
 * inside the window and the minute rollups for its partial edges: each
 * bucket must be what the minute rollups alone give, counts exactly and
 * quantiles within t-digest tolerance.
 */

const data = freshDataDir();
let collector: RunningCollector;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const now = Date.now();
/** 30 h of events, starting and ending part-way through an hour. */
const start = Math.floor(now / HOUR) * HOUR - 30 * HOUR - 23 * MINUTE;
const end = now - 2 * MINUTE;
const window = `from=${start}&to=${end}`;
const COUNTED = ['reconnects', 'abnormal_closes', 'closes', 'failed_attempts', 'messages_lost'] as const;
const QUANTILES = { latency_p50: 1, latency_p95: 3, latency_p99: 4 } as const;
/** Merging per-hour t-digests differs from merging the per-minute ones only within the digest's own error. */
const QUANTILE_TOLERANCE = { latency_p50: 0.05, latency_p95: 0.05, latency_p99: 0.1 } as const;
const MIN_ACKS_FOR_QUANTILES = 50;

async function post(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
}

/** Events every few minutes from `from` to `to`, of every kind the overview counts. */
async function postEvents(from: number, to: number, seed: number): Promise<number> {
  const random = seededRandom(seed);
  let posted = 0;
  for (const service of ['web', 'api']) {
    const records: Record<string, unknown>[] = [];
    for (let t = from; t < to; t += 3 * MINUTE + Math.floor(random() * MINUTE)) {
      const ids: Record<string, AttrValue> = { 'session.id': `s-${seed}-${t % 97}`, 'server.address': t % 2 ? 'ws-1' : 'ws-2' };
      records.push(eventRecord('msg.acked', { ...ids, 'tv.message.id': `m-${t}`, 'tv.message.latency_ms': double(Math.round(5 + random() ** 2 * 800)) }, t));
      records.push(eventRecord('msg.acked', { ...ids, 'tv.message.id': `n-${t}`, 'tv.message.latency_ms': double(Math.round(5 + random() * 300)) }, t + 7_000));
      const pick = random();
      if (pick < 0.3) records.push(eventRecord('conn.open', { ...ids, 'tv.connection.downtime_ms': double(500) }, t + 1_000));
      else if (pick < 0.7) {
        const opened: Record<string, AttrValue> = random() < 0.8 ? { 'tv.connection.duration_ms': double(60_000) } : {};
        records.push(eventRecord('conn.close', { ...ids, 'tv.close.code': [1000, 1001, 1006, 1011][Math.floor(random() * 4)]!, ...opened }, t + 2_000));
      } else records.push(eventRecord('msg.dropped', { ...ids, 'tv.message.id': `d-${t}`, 'tv.message.drop_reason': 'queue_full' }, t + 3_000));
    }
    for (let i = 0; i < records.length; i += 500) {
      await post('/v1/logs', logsRequest({ 'service.name': service, 'deployment.environment.name': 'production' }, records.slice(i, i + 500)));
    }
    posted += records.length;
  }
  return posted;
}

async function sql<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await collector.store.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

/** The client side's buckets from the minute rollups alone, as series-query.ts buckets them. */
async function fromMinutes(stepSeconds: number): Promise<Map<number, Record<string, number | null>>> {
  const db = collector.store.database;
  const first = Math.floor(start / 1000 / stepSeconds) * stepSeconds;
  const range = `Minute >= toDateTime({first:UInt32}) AND Minute < toDateTime({to:UInt32}) AND Role != 'server'`;
  const bucket = `intDiv(toUnixTimestamp(Minute), {step:UInt32}) * {step:UInt32}`;
  const params = { first, to: Math.floor(end / 1000), step: stepSeconds };
  const counts = await sql<Record<string, number>>(
    `SELECT ${bucket} AS bucket, ${COUNTED.map((m) => `toFloat64(sumIf(Events, ${EVENT_CONDITIONS[m]})) AS ${m}`).join(', ')}
     FROM ${db}.events_1m WHERE ${range} GROUP BY bucket`,
    params,
  );
  const latency = await sql<{ bucket: number; q: number[]; acks: number }>(
    `SELECT ${bucket} AS bucket, quantilesTDigestMerge(0.5, 0.9, 0.95, 0.99)(Latency) AS q, sum(Count) AS acks
     FROM ${db}.latency_1m WHERE ${range} GROUP BY bucket`,
    params,
  );
  const buckets = new Map<number, Record<string, number | null>>();
  for (const row of counts) buckets.set(Number(row.bucket), Object.fromEntries(COUNTED.map((m) => [m, Number(row[m])])));
  for (const row of latency) {
    const into = buckets.get(Number(row.bucket)) ?? {};
    for (const [metric, index] of Object.entries(QUANTILES)) into[metric] = Number(row.q[index - 1]);
    into.acks = Number(row.acks);
    buckets.set(Number(row.bucket), into);
  }
  return buckets;
}

/** Each series of `series` against the minute rollups' buckets. */
function expectMinuteAnswer(series: Record<string, SeriesResponse>, minutes: Map<number, Record<string, number | null>>): void {
  for (const metric of COUNTED) {
    const points = series[metric]!.points;
    expect(points.map((p) => p.v), metric).toEqual(points.map((p) => minutes.get(Date.parse(p.t) / 1000)?.[metric] ?? 0));
  }
  let compared = 0;
  for (const [metric, tolerance] of Object.entries(QUANTILE_TOLERANCE)) {
    for (const point of series[metric]!.points) {
      const expected = minutes.get(Date.parse(point.t) / 1000);
      if (!expected || (expected.acks ?? 0) < MIN_ACKS_FOR_QUANTILES) continue;
      expect(point.v, `${metric} at ${point.t}`).not.toBeNull();
      expect(Math.abs(point.v! - expected[metric]!) / expected[metric]!, `${metric} at ${point.t}`).toBeLessThanOrEqual(tolerance);
      compared++;
    }
  }
  expect(compared).toBeGreaterThan(0);
}

let posted = 0;

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  posted = await postEvents(start, end, 7);
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('series over whole-hour steps', () => {
  it('fills the hourly rollups from the minute ones', async () => {
    const db = collector.store.database;
    const [minutes] = await sql<{ events: number; acks: number }>(
      `SELECT (SELECT sum(Events) FROM ${db}.events_1m) AS events, (SELECT sum(Count) FROM ${db}.latency_1m) AS acks`,
    );
    const [hours] = await sql<{ events: number; acks: number; rows: number }>(
      `SELECT (SELECT sum(Events) FROM ${db}.events_1h) AS events, (SELECT sum(Count) FROM ${db}.latency_1h) AS acks,
              (SELECT count() FROM ${db}.events_1h WHERE toMinute(Minute) != 0) AS rows`,
    );
    expect(Number(minutes!.events)).toBe(posted);
    expect(Number(hours!.events)).toBe(posted);
    expect(Number(hours!.acks)).toBe(Number(minutes!.acks));
    // Every hourly row starts on the hour.
    expect(Number(hours!.rows)).toBe(0);
  });

  it.each([
    ['1h', 3_600],
    ['2h', 7_200],
  ])('overview with step %s equals the minute rollups bucket by bucket', async (step, seconds) => {
    const overview = await getJson<OverviewResponse>(collector.url, `/api/v1/overview?${window}&step=${step}`);
    expect(overview.status, JSON.stringify(overview.body)).toBe(200);
    expect(overview.body.step_seconds).toBe(seconds);
    const minutes = await fromMinutes(seconds);
    expectMinuteAnswer(overview.body.series, minutes);
    expect(overview.body.series.closes.points.reduce((n, p) => n + (p.v ?? 0), 0)).toBeGreaterThan(0);
  });

  it('series with step 1h equals the same series at 30 min (minute rows only), summed per hour', async () => {
    for (const metric of COUNTED) {
      const hourly = await getJson<SeriesResponse>(collector.url, `/api/v1/series?metric=${metric}&${window}&step=1h`);
      const halves = await getJson<SeriesResponse>(collector.url, `/api/v1/series?metric=${metric}&${window}&step=30m`);
      expect(hourly.status).toBe(200);
      const summed = new Map<number, number>();
      for (const p of halves.body.points) {
        const hour = Math.floor(Date.parse(p.t) / HOUR) * HOUR;
        summed.set(hour, (summed.get(hour) ?? 0) + (p.v ?? 0));
      }
      expect(hourly.body.points.map((p) => p.v), metric).toEqual(hourly.body.points.map((p) => summed.get(Date.parse(p.t)) ?? 0));
    }
  });

  it('counts close codes and labels over the window as the minute rollups do', async () => {
    const overview = await getJson<OverviewResponse>(collector.url, `/api/v1/overview?${window}&step=1h`);
    const db = collector.store.database;
    const codes = await sql<{ code: number; count: number }>(
      `SELECT CloseCode AS code, sum(Events) AS count FROM ${db}.events_1m
       WHERE EventName = 'conn.close' AND FailedAttempt = 0 AND Role != 'server'
         AND Minute >= toStartOfMinute(toDateTime({from:UInt32})) AND Minute < toDateTime({to:UInt32})
       GROUP BY code ORDER BY count DESC, code`,
      { from: Math.floor(start / 1000), to: Math.floor(end / 1000) },
    );
    expect(overview.body.close_codes.codes.map((c) => [c.code, c.count])).toEqual(codes.map((r) => [Number(r.code), Number(r.count)]));
    expect(overview.body.close_codes.total).toBeGreaterThan(0);
    expect(overview.body.labels.services).toEqual(['api', 'web']);
    expect(overview.body.labels.servers).toEqual(['ws-1', 'ws-2']);
  });
});

describe('the hourly rollups and insert de-duplication', () => {
  it('count a block written again with its deduplication token once, as the minute rollups do', async () => {
    const db = collector.store.database;
    const at = new Date(start - 2 * HOUR).toISOString().replace('T', ' ').replace('Z', '');
    for (let attempt = 0; attempt < 2; attempt++) {
      await collector.store.client.command({
        query: `INSERT INTO ${db}.logs (Timestamp, EventName, ServiceName, SessionId) VALUES ('${at}', 'msg.dropped', 'dedup', 's-1'), ('${at}', 'msg.dropped', 'dedup', 's-2')`,
        clickhouse_settings: { insert_deduplication_token: 'hourly-dedup-1', deduplicate_blocks_in_dependent_materialized_views: 1 },
      });
    }
    const [row] = await sql<{ minutes: number; hours: number }>(
      `SELECT (SELECT sum(Events) FROM ${db}.events_1m WHERE ServiceName = 'dedup') AS minutes,
              (SELECT sum(Events) FROM ${db}.events_1h WHERE ServiceName = 'dedup') AS hours`,
    );
    expect({ minutes: Number(row!.minutes), hours: Number(row!.hours) }).toEqual({ minutes: 2, hours: 2 });
  });
});
