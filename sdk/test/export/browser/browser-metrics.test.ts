import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValueType } from '@opentelemetry/api';
import { setupBrowserTelemetry } from '../../../src/export/browser/setup-browser-telemetry.js';
import type { BrowserTelemetry, BrowserTelemetryOptions } from '../../../src/export/browser/browser-telemetry-types.js';
import { DEFAULT_HISTOGRAM_BOUNDARIES, MAX_SERIES_PER_INSTRUMENT } from '../../../src/export/browser/metric-storage.js';
import { createFakeFetch, jsonResponse, type RecordedRequest } from './fake-fetch.js';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const SCHEMA_URL = 'https://tunnelvision.dev/schemas/1.1.0';
const nanos = (millis: number) => `${millis}000000`;

let telemetry: BrowserTelemetry | undefined;

function setup(options: Partial<BrowserTelemetryOptions> = {}) {
  const fake = createFakeFetch();
  telemetry = setupBrowserTelemetry({
    endpoint: 'https://collector.test',
    serviceName: 'chat-web',
    registerGlobal: false,
    fetch: fake.fetch,
    ...options,
  });
  const meter = telemetry.meterProvider.getMeter('@tunnelvision/sdk', '0.1.0', { schemaUrl: SCHEMA_URL });
  return { telemetry, meter, requests: fake.requests };
}

/** The metrics of the last metrics request, by name. */
function lastMetrics(requests: readonly RecordedRequest[]): Record<string, any> {
  const request = requests.filter((r) => r.url.endsWith('/v1/metrics')).at(-1)!;
  const out: Record<string, any> = {};
  for (const scope of request.json.resourceMetrics[0].scopeMetrics) for (const metric of scope.metrics) out[metric.name] = metric;
  return out;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});

afterEach(async () => {
  const stopped = telemetry?.shutdown();
  await vi.runAllTimersAsync();
  await stopped;
  telemetry = undefined;
  vi.useRealTimers();
});

describe('metric aggregation and OTLP/JSON', () => {
  it('produces exactly this ExportMetricsServiceRequest', async () => {
    const { telemetry, meter, requests } = setup({ serviceVersion: '2.14.0', environment: 'test' });
    const active = meter.createUpDownCounter('tv.connection.active', { unit: '{connection}', description: 'Connections currently open.' });
    const reconnects = meter.createCounter('tv.connection.reconnects', { unit: '{reconnect}' });
    const latency = meter.createHistogram('tv.message.delivery.latency', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } });
    const depth = meter.createGauge('tv.queue.depth', { unit: '{message}' });

    active.add(1, { 'server.address': 'ws-a', 'tv.role': 'client' });
    vi.setSystemTime(T0 + 1_000);
    active.add(1, { 'tv.role': 'client', 'server.address': 'ws-a' }); // same set, other key order
    active.add(-1, { 'server.address': 'ws-a', 'tv.role': 'client' });
    active.add(2, { 'server.address': 'ws-b', 'tv.role': 'client' });
    reconnects.add(1, { 'tv.close.code': 1006 });
    reconnects.add(2, { 'tv.close.code': 1006 });
    reconnects.add(-5, { 'tv.close.code': 1006 }); // a counter only goes up: ignored
    reconnects.add(1, { 'tv.close.code': 1001 });
    for (const ms of [5, 10, 50, 500.5]) latency.record(ms);
    latency.record(-1); // negative: ignored
    latency.record(Number.NaN); // not a number: ignored
    depth.record(7);
    depth.record(4);
    vi.setSystemTime(T0 + 2_000);
    await telemetry.flush();

    const request = requests.find((r) => r.url === 'https://collector.test/v1/metrics')!;
    expect(request.keepalive).toBe(true);
    const point = (start: number) => ({ startTimeUnixNano: nanos(start), timeUnixNano: nanos(T0 + 2_000) });
    expect(request.json).toEqual({
      resourceMetrics: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'chat-web' } },
              { key: 'service.version', value: { stringValue: '2.14.0' } },
              { key: 'deployment.environment.name', value: { stringValue: 'test' } },
              { key: 'telemetry.sdk.name', value: { stringValue: '@tunnelvision/sdk' } },
              { key: 'telemetry.sdk.language', value: { stringValue: 'webjs' } },
            ],
          },
          scopeMetrics: [
            {
              scope: { name: '@tunnelvision/sdk', version: '0.1.0' },
              schemaUrl: SCHEMA_URL,
              metrics: [
                {
                  name: 'tv.connection.active',
                  description: 'Connections currently open.',
                  unit: '{connection}',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: false,
                    dataPoints: [
                      {
                        attributes: [
                          { key: 'server.address', value: { stringValue: 'ws-a' } },
                          { key: 'tv.role', value: { stringValue: 'client' } },
                        ],
                        ...point(T0),
                        asDouble: 1,
                      },
                      {
                        attributes: [
                          { key: 'server.address', value: { stringValue: 'ws-b' } },
                          { key: 'tv.role', value: { stringValue: 'client' } },
                        ],
                        ...point(T0 + 1_000),
                        asDouble: 2,
                      },
                    ],
                  },
                },
                {
                  name: 'tv.connection.reconnects',
                  unit: '{reconnect}',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [
                      { attributes: [{ key: 'tv.close.code', value: { intValue: '1006' } }], ...point(T0 + 1_000), asDouble: 3 },
                      { attributes: [{ key: 'tv.close.code', value: { intValue: '1001' } }], ...point(T0 + 1_000), asDouble: 1 },
                    ],
                  },
                },
                {
                  name: 'tv.message.delivery.latency',
                  unit: 'ms',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: [
                      {
                        attributes: [],
                        ...point(T0 + 1_000),
                        count: '4',
                        sum: 565.5,
                        // Upper bounds are inclusive: (-inf, 10] holds 5 and 10.
                        bucketCounts: ['2', '1', '1'],
                        explicitBounds: [10, 100],
                        min: 5,
                        max: 500.5,
                      },
                    ],
                  },
                },
                {
                  name: 'tv.queue.depth',
                  unit: '{message}',
                  gauge: { dataPoints: [{ attributes: [], ...point(T0 + 1_000), asDouble: 4 }] },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(telemetry.stats()).toMatchObject({ exportedMetricRequests: 1, failedMetricRequests: 0 });
  });

  it('exports cumulative values every interval, from the same start time', async () => {
    const { meter, requests } = setup({ metricExportIntervalMillis: 10_000 });
    const counter = meter.createCounter('c');
    const histogram = meter.createHistogram('h');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(requests).toHaveLength(0); // nothing recorded, nothing sent

    counter.add(2);
    histogram.record(7);
    await vi.advanceTimersByTimeAsync(10_000);
    counter.add(3);
    histogram.record(30_000);
    await vi.advanceTimersByTimeAsync(10_000);
    await vi.advanceTimersByTimeAsync(10_000); // nothing new: the same totals again

    expect(requests).toHaveLength(3);
    const sums = requests.map((r) => r.json.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0]);
    expect(sums.map((p: any) => p.asDouble)).toEqual([2, 5, 5]);
    expect(new Set(sums.map((p: any) => p.startTimeUnixNano))).toEqual(new Set([nanos(T0 + 10_000)]));
    expect(sums.map((p: any) => p.timeUnixNano)).toEqual([nanos(T0 + 20_000), nanos(T0 + 30_000), nanos(T0 + 40_000)]);

    const histogramPoint = lastMetrics(requests).h.histogram.dataPoints[0];
    expect(histogramPoint.explicitBounds).toEqual(DEFAULT_HISTOGRAM_BOUNDARIES);
    expect(histogramPoint).toMatchObject({ count: '2', sum: 30_007, min: 7, max: 30_000 });
    // 7 falls in (5, 10], 30000 above the last bound (10000).
    const expected = new Array(DEFAULT_HISTOGRAM_BOUNDARIES.length + 1).fill('0');
    expected[2] = '1';
    expected[DEFAULT_HISTOGRAM_BOUNDARIES.length] = '1';
    expect(histogramPoint.bucketCounts).toEqual(expected);
  });

  it('sends integers as asInt strings for ValueType.INT instruments', async () => {
    const { telemetry, meter, requests } = setup();
    const counter = meter.createCounter('bytes', { valueType: ValueType.INT });
    counter.add(2.9);
    counter.add(1);
    await telemetry.flush();
    expect(lastMetrics(requests).bytes.sum.dataPoints[0]).toMatchObject({ asInt: '3' });
  });

  it('keeps the up-down counter net and the gauge last value per attribute set', async () => {
    const { telemetry, meter, requests } = setup();
    const upDown = meter.createUpDownCounter('u');
    const gauge = meter.createGauge('g');
    upDown.add(5, { k: 'a' });
    upDown.add(-7, { k: 'a' });
    upDown.add(1, { k: 'b' });
    gauge.record(1, { k: 'a' });
    gauge.record(9, { k: 'b' });
    gauge.record(3, { k: 'a' });
    await telemetry.flush();
    const metrics = lastMetrics(requests);
    expect(metrics.u.sum.dataPoints.map((p: any) => [p.attributes[0].value.stringValue, p.asDouble])).toEqual([
      ['a', -2],
      ['b', 1],
    ]);
    expect(metrics.g.gauge.dataPoints.map((p: any) => [p.attributes[0].value.stringValue, p.asDouble])).toEqual([
      ['a', 3],
      ['b', 9],
    ]);
  });

  it('shares an instrument created twice, and ignores the advice when the buckets are not increasing', async () => {
    const { telemetry, meter, requests } = setup();
    meter.createCounter('c').add(1);
    meter.createCounter('c').add(1);
    meter.createHistogram('h', { advice: { explicitBucketBoundaries: [10, 5] } }).record(1);
    await telemetry.flush();
    const metrics = lastMetrics(requests);
    expect(metrics.c.sum.dataPoints[0].asDouble).toBe(2);
    expect(metrics.h.histogram.dataPoints[0].explicitBounds).toEqual(DEFAULT_HISTOGRAM_BOUNDARIES);
  });

  it('gives observable instruments the API no-ops and exports nothing for them', async () => {
    const { telemetry, meter, requests } = setup();
    const observable = meter.createObservableGauge('o');
    observable.addCallback((result) => result.observe(1));
    meter.addBatchObservableCallback(() => undefined, [observable]);
    meter.createCounter('c').add(1);
    await telemetry.flush();
    expect(Object.keys(lastMetrics(requests))).toEqual(['c']);
  });

  it('folds attribute sets beyond the cardinality limit into one overflow series', async () => {
    const { telemetry, meter, requests } = setup();
    const counter = meter.createCounter('c');
    for (let i = 0; i < MAX_SERIES_PER_INSTRUMENT + 10; i++) counter.add(1, { id: i });
    await telemetry.flush();
    const points = requests.filter((r) => r.url.endsWith('/v1/metrics')).flatMap((r) => r.json.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints);
    expect(points).toHaveLength(MAX_SERIES_PER_INSTRUMENT + 1);
    expect(points.at(-1)).toMatchObject({ attributes: [{ key: 'otel.metric.overflow', value: { boolValue: true } }], asDouble: 10 });
    // 2001 series do not fit one 64 KiB body: split, each one under the limit.
    expect(requests.length).toBeGreaterThan(1);
    for (const r of requests) expect(new TextEncoder().encode(r.body).length).toBeLessThanOrEqual(64 * 1024);
  });

  it('counts a failed metric export and carries its values in the next one', async () => {
    const fake = createFakeFetch((_, i) => (i === 0 ? jsonResponse(400, {}) : jsonResponse(200)));
    telemetry = setupBrowserTelemetry({ endpoint: 'https://c.test', serviceName: 's', registerGlobal: false, fetch: fake.fetch });
    const counter = telemetry.meterProvider.getMeter('m').createCounter('c');
    counter.add(1);
    await telemetry.flush();
    counter.add(1);
    await telemetry.flush();
    expect(telemetry.stats()).toMatchObject({ failedMetricRequests: 1, exportedMetricRequests: 1 });
    expect(fake.requests[1]!.json.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].asDouble).toBe(2);
  });

  it('ignores measurements after shutdown', async () => {
    const { telemetry, meter, requests } = setup();
    const counter = meter.createCounter('c');
    await telemetry.shutdown();
    counter.add(1);
    await telemetry.flush();
    expect(requests).toHaveLength(0);
  });
});
