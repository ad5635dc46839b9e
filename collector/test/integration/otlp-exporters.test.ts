import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { TracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';

/**
 * The collector fed by the official OpenTelemetry JS exporters (OTLP/HTTP
 * JSON and protobuf), read back through the query API, and surviving a
 * restart on the same embedded store.
 */

const data = freshDataDir();
let collector: RunningCollector;
const started = Date.now() - 60_000;

const resource = (format: string) =>
  resourceFromAttributes({
    'service.name': `chat-${format}`,
    'service.version': '2.4.0',
    'deployment.environment.name': 'test',
    'user.id': `user-${format}`,
  });

/** Emits one client's story: connect, a delivered message, a drop, a reconnect, a dropped message. */
async function emitClientStory(format: 'json' | 'proto', exporter: LogRecordExporter): Promise<void> {
  const provider = new LoggerProvider({ resource: resource(format), processors: [new BatchLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('tunnelvision-test', '1.0.0');
  const session = `session-${format}`;
  const base = Date.now() - 30_000;
  const emit = (offsetMs: number, eventName: string, attributes: Record<string, string | number | boolean>) =>
    logger.emit({ timestamp: base + offsetMs, eventName, attributes: { 'session.id': session, ...attributes } });
  emit(0, 'conn.open', { 'tv.connection.id': `${format}-c1`, 'tv.connection.attempt': 1 });
  emit(100, 'msg.sent', { 'tv.connection.id': `${format}-c1`, 'tv.message.id': `${format}-m1`, 'tv.message.seq': 1 });
  emit(142, 'msg.acked', { 'tv.connection.id': `${format}-c1`, 'tv.message.id': `${format}-m1`, 'tv.message.latency_ms': 42.5 });
  emit(1_000, 'conn.close', {
    'tv.connection.id': `${format}-c1`,
    'tv.close.code': 1006,
    'tv.close.clean': false,
    'tv.connection.duration_ms': 1_000,
  });
  emit(1_001, 'conn.reconnect.scheduled', { 'tv.reconnect.attempt': 1, 'tv.reconnect.delay_ms': 250.5, 'tv.reconnect.jitter_ms': 40 });
  emit(1_300, 'conn.open', { 'tv.connection.id': `${format}-c2`, 'tv.connection.attempt': 2, 'tv.connection.downtime_ms': 300 });
  emit(1_400, 'msg.dropped', { 'tv.connection.id': `${format}-c2`, 'tv.message.id': `${format}-m2`, 'tv.message.drop_reason': 'queue_full' });
  // A record from some other producer, without our conventions, is kept too.
  logger.emit({ timestamp: base + 1_500, body: 'plain application log', severityText: 'WARN', attributes: { 'http.route': '/chat' } });
  await provider.forceFlush();
  await provider.shutdown();
}

async function emitMetrics(format: 'json' | 'proto', exporter: PushMetricExporter): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ resource: resource(format), readers: [reader] });
  const meter = provider.getMeter('tunnelvision-test');
  const active = meter.createUpDownCounter('tv.connection.active');
  active.add(3, { 'server.address': 'ws-a' });
  active.add(2, { 'server.address': 'ws-b' });
  active.add(-1, { 'server.address': 'ws-b' });
  const latency = meter.createHistogram('tv.message.delivery.latency', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100, 1000] } });
  for (const v of [5, 50, 50, 500]) latency.record(v);
  meter.createObservableGauge('tv.queue.depth').addCallback((r) => r.observe(7));
  await provider.forceFlush();
  await provider.shutdown();
}

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  await emitClientStory('json', new JsonLogExporter({ url: `${collector.url}/v1/logs` }));
  await emitClientStory('proto', new ProtoLogExporter({ url: `${collector.url}/v1/logs` }));
  await emitMetrics('json', new JsonMetricExporter({ url: `${collector.url}/v1/metrics` }));
  await emitMetrics('proto', new ProtoMetricExporter({ url: `${collector.url}/v1/metrics` }));
  const tracer = new TracerProvider({
    resource: resource('json'),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${collector.url}/v1/traces` }) })],
  });
  tracer.getTracer('t').startSpan('ws.connect').end();
  await tracer.forceFlush();
  await tracer.shutdown();
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe.each(['json', 'proto'] as const)('logs sent by the official %s exporter', (format) => {
  it('come back as that session’s timeline, in order, with typed fields', async () => {
    const { status, body } = await getJson(collector.url, `/api/v1/timeline?session_id=session-${format}`);
    expect(status).toBe(200);
    expect(body.events.map((e: { event: string }) => e.event)).toEqual([
      'conn.open',
      'msg.sent',
      'msg.acked',
      'conn.close',
      'conn.reconnect.scheduled',
      'conn.open',
      'msg.dropped',
    ]);
    const [open, , acked, close, scheduled, reopen, dropped] = body.events;
    expect(open).toMatchObject({ service: `chat-${format}`, service_version: '2.4.0', environment: 'test', user_id: `user-${format}`, attempt: 1 });
    expect(acked).toMatchObject({ message_id: `${format}-m1`, latency_ms: 42.5 });
    expect(close).toMatchObject({ close_code: 1006, close_clean: false, duration_ms: 1000 });
    expect(scheduled).toMatchObject({ attempt: 1, delay_ms: 250.5, jitter_ms: 40 });
    expect(reopen).toMatchObject({ connection_id: `${format}-c2`, downtime_ms: 300 });
    expect(dropped).toMatchObject({ drop_reason: 'queue_full', message_id: `${format}-m2` });
    expect(dropped.attributes['tv.message.drop_reason']).toBe('queue_full');
    expect(body.messages).toEqual([
      expect.objectContaining({ message_id: `${format}-m1`, verdict: 'delivered', summary: 'Delivered in 43 ms.' }),
      expect.objectContaining({ message_id: `${format}-m2`, verdict: 'dropped', summary: 'Dropped, never delivered: the offline queue was full.' }),
    ]);
  });

  it('can be found by user, connection and message id', async () => {
    // The user id is on the resource, so the user's plain log line belongs to their timeline too.
    const byUser = await getJson(collector.url, `/api/v1/timeline?user_id=user-${format}`);
    expect(byUser.body.events).toHaveLength(8);
    expect(byUser.body.events[7]).toMatchObject({ body: 'plain application log', severity: 'WARN' });
    const byConnection = await getJson(collector.url, `/api/v1/timeline?connection_id=${format}-c1`);
    expect(byConnection.body.events.map((e: { event: string }) => e.event)).toEqual(['conn.open', 'msg.sent', 'msg.acked', 'conn.close']);
    // A message lookup shows the message plus its session's connection events around it.
    const byMessage = await getJson(collector.url, `/api/v1/timeline?message_id=${format}-m2`);
    expect(byMessage.body.events.map((e: { event: string }) => e.event)).toEqual([
      'conn.open',
      'conn.close',
      'conn.reconnect.scheduled',
      'conn.open',
      'msg.dropped',
    ]);
  });

  it('fill the per-minute rollups behind the series endpoint', async () => {
    const q = `service=chat-${format}&from=${started}&to=${Date.now() + 60_000}&step=10m`;
    const total = async (metric: string) =>
      (await getJson(collector.url, `/api/v1/series?metric=${metric}&${q}`)).body.points.reduce((n: number, p: { v: number }) => n + p.v, 0);
    expect(await total('reconnects')).toBe(1);
    expect(await total('reconnect_attempts')).toBe(1);
    expect(await total('abnormal_closes')).toBe(1);
    expect(await total('messages_lost')).toBe(1);
    const p99 = await getJson(collector.url, `/api/v1/series?metric=latency_p99&${q}`);
    expect(p99.body.unit).toBe('ms');
    expect(p99.body.points.filter((p: { v: number | null }) => p.v !== null).map((p: { v: number }) => p.v)).toEqual([42.5]);
  });

  it('keep the records of other producers with their attributes', async () => {
    const result = await collector.store.client.query({
      query: `SELECT Body, SeverityText, LogAttributes['http.route'] AS route, EventName FROM ${collector.store.database}.logs WHERE ServiceName = {s:String} AND Body != ''`,
      query_params: { s: `chat-${format}` },
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([{ Body: 'plain application log', SeverityText: 'WARN', route: '/chat', EventName: '' }]);
  });
});

describe.each(['json', 'proto'] as const)('metrics sent by the official %s exporter', (format) => {
  it('give active connections summed across series, filterable by server', async () => {
    const q = `metric=active_connections&service=chat-${format}&from=${started}&to=${Date.now() + 60_000}&step=10m`;
    const values = (points: { v: number | null }[]) => points.filter((p) => p.v !== null).map((p) => p.v);
    expect(values((await getJson(collector.url, `/api/v1/series?${q}`)).body.points)).toEqual([4]);
    expect(values((await getJson(collector.url, `/api/v1/series?${q}&server=ws-b`)).body.points)).toEqual([1]);
  });

  // Cumulative points are exported at flush and again at shutdown, hence DISTINCT.
  it('store histograms and gauges as they were recorded', async () => {
    const histogram = await collector.store.client.query({
      query: `SELECT DISTINCT Count, Sum, BucketCounts, ExplicitBounds, Min, Max, MetricUnit FROM ${collector.store.database}.metrics_histogram WHERE ServiceName = {s:String}`,
      query_params: { s: `chat-${format}` },
      format: 'JSONEachRow',
    });
    expect(await histogram.json()).toEqual([
      { Count: '4', Sum: 605, BucketCounts: ['1', '2', '1', '0'], ExplicitBounds: [10, 100, 1000], Min: 5, Max: 500, MetricUnit: 'ms' },
    ]);
    const gauge = await collector.store.client.query({
      query: `SELECT DISTINCT Value FROM ${collector.store.database}.metrics_gauge WHERE ServiceName = {s:String} AND MetricName = 'tv.queue.depth'`,
      query_params: { s: `chat-${format}` },
      format: 'JSONEachRow',
    });
    expect(await gauge.json()).toEqual([{ Value: 7 }]);
  });
});

describe('traces', () => {
  it('are accepted and stored minimally', async () => {
    const result = await collector.store.client.query({
      query: `SELECT SpanName, ServiceName, toUInt8(length(TraceId)) AS idLength FROM ${collector.store.database}.traces`,
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual([{ SpanName: 'ws.connect', ServiceName: 'chat-json', idLength: 32 }]);
  });
});

describe('a restart', () => {
  it('keeps the data and does not re-apply migrations', async () => {
    await collector.stop();
    collector = await startTestCollector(data.dir);
    expect(collector.migrationsApplied).toEqual([]);
    const { body } = await getJson(collector.url, '/api/v1/timeline?session_id=session-proto');
    expect(body.events).toHaveLength(7);
    expect((await getJson(collector.url, '/readyz')).status).toBe(200);
  });
});
