import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * The protobuf JSON mapping lets a producer write any 64-bit integer as a
 * decimal string or as a JSON number, and real producers send both. As
 * numbers, nanosecond timestamps are far above 2^53: they are taken at the
 * precision a double carries (about 0.25 µs today), everywhere a 64-bit
 * field appears.
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

const timeMs = Math.floor(Date.now() / 1000) * 1000 - 60_000;
/** Nanoseconds as a JSON number: a double, exact here (a whole second is a multiple of 2^9 ns, finer than the 256 ns doubles step by). */
const nanosNumber = timeMs * 1_000_000;
/** Offsets that keep it exact: multiples of 2^9 ns. */
const TWO_MS = 2 ** 21;
const EIGHT_MS = 2 ** 23;

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${collector.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function rows<T>(query: string): Promise<T[]> {
  const result = await collector.store.client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'numbers' } }] };

describe('64-bit fields sent as JSON numbers', () => {
  it('accepts log records whose times and int attributes are numbers', async () => {
    const { status, body } = await post('/v1/logs', {
      resourceLogs: [
        {
          resource,
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: nanosNumber,
                  observedTimeUnixNano: nanosNumber + TWO_MS,
                  eventName: 'msg.sent',
                  attributes: [
                    { key: 'session.id', value: { stringValue: 'json-numbers' } },
                    { key: 'tv.message.id', value: { stringValue: 'n-1' } },
                    { key: 'tv.message.seq', value: { intValue: 12 } },
                    { key: 'big', value: { intValue: 2 ** 60 } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(status).toBe(200);
    expect(body.partialSuccess ?? {}).toEqual({});
    const [row] = await rows<{ t: string; observed: string; seq: number; big: string }>(
      `SELECT toString(toUnixTimestamp64Milli(Timestamp)) AS t, toString(toUnixTimestamp64Milli(ObservedTimestamp)) AS observed, MessageSeq AS seq, LogAttributes['big'] AS big
       FROM ${collector.store.database}.logs WHERE SessionId = 'json-numbers'`,
    );
    expect(row).toEqual({ t: String(timeMs), observed: String(timeMs + 2), seq: '12', big: String(2 ** 60) });
  });

  it('accepts metric points whose times, integer values and counts are numbers', async () => {
    const point = { startTimeUnixNano: nanosNumber - 60_000_000_000, timeUnixNano: nanosNumber };
    const { status, body } = await post('/v1/metrics', {
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            {
              metrics: [
                { name: 'n.sum', sum: { aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ ...point, asInt: 2 ** 55 }] } },
                {
                  name: 'n.hist',
                  histogram: { aggregationTemporality: 2, dataPoints: [{ ...point, count: 3, sum: 30, bucketCounts: [1, 2], explicitBounds: [10] }] },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(status).toBe(200);
    expect(body.partialSuccess ?? {}).toEqual({});
    const sums = await rows<{ v: number; t: string }>(
      `SELECT Value AS v, toString(toUnixTimestamp64Milli(TimeUnix)) AS t FROM ${collector.store.database}.metrics_sum WHERE MetricName = 'n.sum'`,
    );
    expect(sums).toEqual([{ v: 2 ** 55, t: String(timeMs) }]);
    const hists = await rows<{ count: string; buckets: string[] }>(
      `SELECT toString(Count) AS count, arrayMap(x -> toString(x), BucketCounts) AS buckets FROM ${collector.store.database}.metrics_histogram WHERE MetricName = 'n.hist'`,
    );
    expect(hists).toEqual([{ count: '3', buckets: ['1', '2'] }]);
  });

  it('accepts spans whose start and end are numbers', async () => {
    const { status } = await post('/v1/traces', {
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  name: 'json-numbers',
                  kind: 1,
                  startTimeUnixNano: nanosNumber,
                  endTimeUnixNano: nanosNumber + EIGHT_MS,
                },
              ],
            },
          ],
        },
      ],
    });
    expect(status).toBe(200);
    const spans = await rows<{ duration: string }>(`SELECT toString(Duration) AS duration FROM ${collector.store.database}.traces WHERE SpanName = 'json-numbers'`);
    expect(spans).toEqual([{ duration: String(EIGHT_MS) }]);
  });

  it('still refuses a fraction, a negative time and a number beyond 64 bits, naming the field', async () => {
    const record = (timeUnixNano: number) => ({ timeUnixNano, eventName: 'conn.open', attributes: [{ key: 'session.id', value: { stringValue: 'bad-numbers' } }] });
    const { status, body } = await post('/v1/logs', {
      resourceLogs: [{ resource, scopeLogs: [{ logRecords: [record(1.5), record(-1), record(2 ** 70), record(nanosNumber)] }] }],
    });
    expect(status).toBe(200);
    const partial = body.partialSuccess as { rejectedLogRecords: string; errorMessage: string };
    expect(Number(partial.rejectedLogRecords)).toBe(3);
    expect(partial.errorMessage).toMatch(/timeUnixNano/);
  });
});

describe('times of any size', () => {
  it('a 1972 time and a time of 12 ns no longer fail the batch they join', async () => {
    // ClickHouse read bare nanosecond digits by their count, so these failed the whole insert (503 for every request in it).
    const record = (session: string, timeUnixNano: string) => ({ timeUnixNano, eventName: 'conn.open', attributes: [{ key: 'session.id', value: { stringValue: session } }] });
    const { status } = await post('/v1/logs', {
      resourceLogs: [{ resource, scopeLogs: [{ logRecords: [record('t-1972', '66149256958729536'), record('t-12ns', '12'), record('t-now', String(nanosNumber))] }] }],
    });
    expect(status).toBe(200);
    const stored = await rows<{ s: string; t: string }>(
      `SELECT SessionId AS s, toString(toUnixTimestamp64Nano(Timestamp)) AS t FROM ${collector.store.database}.logs WHERE SessionId LIKE 't-%' ORDER BY s`,
    );
    // The old ones are past the retention (COLLECTOR_RETENTION_DAYS), which drops them when it runs; whatever is there has the time sent.
    const sent: Record<string, string> = { 't-1972': '66149256958729536', 't-12ns': '12', 't-now': String(nanosNumber) };
    for (const row of stored) expect(row.t, row.s).toBe(sent[row.s]);
    expect(stored.map((r) => r.s)).toContain('t-now');
    const points = await post('/v1/metrics', {
      resourceMetrics: [{ resource, scopeMetrics: [{ metrics: [{ name: 'n.old', gauge: { dataPoints: [{ timeUnixNano: String(nanosNumber), startTimeUnixNano: '1', asDouble: 1 }] } }] }] }],
    });
    expect(points.status).toBe(200);
    const old = await rows<{ t: string; start: string }>(
      `SELECT toString(toUnixTimestamp64Nano(TimeUnix)) AS t, toString(toUnixTimestamp64Nano(StartTimeUnix)) AS start FROM ${collector.store.database}.metrics_gauge WHERE MetricName = 'n.old'`,
    );
    expect(old).toEqual([{ t: String(nanosNumber), start: '1' }]);
  });
});
