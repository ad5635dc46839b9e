import { Metadata, status } from '@grpc/grpc-js';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { encodeExportRequest, exportRaw, statusDetails } from '../support/otlp-grpc-client.js';
import { scrape } from '../support/prometheus-text.js';
import { collectorsPerTest, freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';

/**
 * OTLP over gRPC: the official OpenTelemetry exporters (plain and gzip)
 * against a real collector, read back through the query API; and the
 * spec's status codes for what the OTLP/HTTP path answers with 400, 401,
 * 403, 429 and 503, with RetryInfo on the retryable ones.
 */

type Compression = NonNullable<NonNullable<ConstructorParameters<typeof OTLPLogExporter>[0]>['compression']>;
const GZIP = 'gzip' as Compression;
const RETRY_AFTER_SECONDS = 7;

const grpcUrl = (collector: RunningCollector) => `http://${collector.grpcAddress!}`;

/** Key metadata as an exporter sends it. */
function withKey(key: string | undefined): Metadata {
  const metadata = new Metadata();
  if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
  return metadata;
}

/** Emits a client's connect, send and ack through a gRPC log exporter, in one export call. */
async function emitLogs(url: string, session: string, options: { compression?: Compression; key?: string; service?: string } = {}): Promise<void> {
  const exporter = new OTLPLogExporter({ url, metadata: withKey(options.key), ...(options.compression ? { compression: options.compression } : {}) });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service ?? 'chat-grpc', 'service.version': '3.0.0' }),
    processors: [new BatchLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('grpc-test');
  const base = Date.now() - 10_000;
  logger.emit({ timestamp: base, eventName: 'conn.open', attributes: { 'session.id': session, 'tv.connection.id': `${session}-c1` } });
  logger.emit({ timestamp: base + 10, eventName: 'msg.sent', attributes: { 'session.id': session, 'tv.message.id': `${session}-m1` } });
  logger.emit({ timestamp: base + 52, eventName: 'msg.acked', attributes: { 'session.id': session, 'tv.message.id': `${session}-m1`, 'tv.message.latency_ms': 42.5 } });
  await provider.forceFlush();
  await provider.shutdown();
}

const logsBody = (session: string, count = 1) =>
  encodeExportRequest('logs', logsRequest({ 'service.name': 'raw-grpc' }, Array.from({ length: count }, (_, i) => eventRecord('msg.sent', { 'session.id': session, 'tv.message.id': `${session}-${i}` }))) as object);

async function storedFor(collector: RunningCollector, session: string, database = collector.store.database): Promise<number> {
  await collector.writer.flush();
  const result = await collector.store.client.query({
    query: `SELECT count() AS n FROM ${database}.logs WHERE SessionId = {session:String}`,
    query_params: { session },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string }>();
  return Number(row!.n);
}

describe('the official OTLP/gRPC exporters', () => {
  const data = freshDataDir();
  let collector: RunningCollector;

  beforeAll(async () => {
    collector = await startTestCollector(data.dir);
    const url = grpcUrl(collector);
    await emitLogs(url, 'grpc-plain');
    await emitLogs(url, 'grpc-gzip', { compression: GZIP });
    const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url, compression: GZIP }), exportIntervalMillis: 60_000 });
    const meters = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'chat-grpc' }), readers: [reader] });
    const meter = meters.getMeter('grpc-test');
    meter.createUpDownCounter('tv.connection.active').add(3, { 'server.address': 'ws-a' });
    meter.createHistogram('tv.message.delivery.latency', { unit: 'ms', advice: { explicitBucketBoundaries: [10, 100] } }).record(42);
    await meters.forceFlush();
    await meters.shutdown();
    const tracer = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'chat-grpc' }),
      spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url }) })],
    });
    tracer.getTracer('grpc-test').startSpan('ws.connect').end();
    await tracer.forceFlush();
    await tracer.shutdown();
  });
  afterAll(async () => {
    await collector?.stop();
    await data.remove();
  });

  it.each(['grpc-plain', 'grpc-gzip'])('send logs that come back as the %s session’s timeline', async (session) => {
    const { status: code, body } = await getJson(collector.url, `/api/v1/timeline?session_id=${session}`);
    expect(code).toBe(200);
    expect(body.events.map((e: { event: string }) => e.event)).toEqual(['conn.open', 'msg.sent', 'msg.acked']);
    expect(body.events[0]).toMatchObject({ service: 'chat-grpc', service_version: '3.0.0', connection_id: `${session}-c1` });
    expect(body.messages).toEqual([expect.objectContaining({ message_id: `${session}-m1`, verdict: 'delivered' })]);
  });

  it('send metrics (gzip) and traces that are stored', async () => {
    const db = collector.store.database;
    const rows = async (query: string) => (await collector.store.client.query({ query, format: 'JSONEachRow' })).json();
    expect(await rows(`SELECT DISTINCT Count, Sum FROM ${db}.metrics_histogram WHERE ServiceName = 'chat-grpc'`)).toEqual([{ Count: '1', Sum: 42 }]);
    expect(await rows(`SELECT DISTINCT Value FROM ${db}.metrics_sum WHERE ServiceName = 'chat-grpc' AND MetricName = 'tv.connection.active'`)).toEqual([{ Value: 3 }]);
    expect(await rows(`SELECT SpanName, toUInt8(length(TraceId)) AS idLength FROM ${db}.traces WHERE ServiceName = 'chat-grpc'`)).toEqual([{ SpanName: 'ws.connect', idLength: 32 }]);
  });

  it('are counted in the same ingest metrics as OTLP/HTTP, under transport="grpc"', async () => {
    const metrics = await scrape(collector.url);
    expect(metrics.value('tunnelvision_ingest_requests_total', { transport: 'grpc', signal: 'logs', outcome: 'accepted' })).toBe(2);
    expect(metrics.value('tunnelvision_ingest_records_accepted_total', { transport: 'grpc', signal: 'logs' })).toBe(6);
    expect(metrics.value('tunnelvision_ingest_requests_total', { transport: 'grpc', signal: 'traces', outcome: 'accepted' })).toBe(1);
    expect(metrics.value('tunnelvision_ingest_requests_total', { transport: 'http', signal: 'logs', outcome: 'accepted' })).toBe(0);
    expect(metrics.value('tunnelvision_ingest_records_accepted_total', { transport: 'http', signal: 'logs' })).toBe(0);
    // grpc-js refuses oversized messages and unknown encodings itself: those outcomes have no gRPC series.
    expect(metrics.value('tunnelvision_ingest_requests_total', { transport: 'grpc', signal: 'logs', outcome: 'too_large' })).toBeUndefined();
    expect(metrics.value('tunnelvision_ingest_requests_total', { transport: 'http', signal: 'logs', outcome: 'too_large' })).toBe(0);
  });

  it('a malformed message gets INVALID_ARGUMENT saying what is wrong', async () => {
    // Field 1 (resource_logs) as a length-delimited field whose length runs past the end.
    const { error } = await exportRaw(collector.grpcAddress!, 'logs', Buffer.from([0x0a, 0x7f, 0x01]));
    expect(error?.code).toBe(status.INVALID_ARGUMENT);
    expect(error?.details).toMatch(/^Cannot decode OTLP\/protobuf logs request \(ExportLogsServiceRequest\)/);
    expect(statusDetails(error!)).toMatchObject({ code: status.INVALID_ARGUMENT, retryDelaySeconds: undefined });
    expect((await scrape(collector.url)).value('tunnelvision_ingest_requests_total', { transport: 'grpc', signal: 'logs', outcome: 'malformed' })).toBe(1);
  });

  it('bad records in a good message: partial success in the response, the rest stored', async () => {
    const body = encodeExportRequest(
      'logs',
      logsRequest({ 'service.name': 'raw-grpc' }, [
        eventRecord('conn.open', { 'session.id': 'partial' }),
        // A valid fixed64, but past what a DateTime64 holds.
        { timeUnixNano: '18446744073709551615', eventName: 'conn.close', attributes: [] },
      ]) as object,
    );
    const { response, error } = await exportRaw(collector.grpcAddress!, 'logs', body);
    expect(error).toBeUndefined();
    expect(response?.partialSuccess).toMatchObject({ rejectedLogRecords: 1, errorMessage: expect.stringMatching(/logRecords\[1\]\.timeUnixNano/) });
    expect(await storedFor(collector, 'partial')).toBe(1);
  });

  it('a retry of a stored message is answered as before and not stored again', async () => {
    const body = logsBody('retried', 2);
    expect((await exportRaw(collector.grpcAddress!, 'logs', body)).response).toEqual({});
    expect((await exportRaw(collector.grpcAddress!, 'logs', body)).response).toEqual({});
    expect(await storedFor(collector, 'retried')).toBe(2);
  });
});

describe('OTLP/gRPC with sign-in required', () => {
  const data = freshDataDir();
  let collector: RunningCollector;
  let admin: string;
  const newKey = async (input: Record<string, unknown>, tenant = 'default') => (await collector.access.keys.create(input, tenant, 'test')).secret;

  beforeAll(async () => {
    collector = await startTestCollector(data.dir, { auth: 'required', adminPassword: 'grpc-test-password', rateLimitPerMinute: 3 });
    admin = await newKey({ name: 'admin', scopes: ['admin'] });
  });
  afterAll(async () => {
    await collector?.stop();
    await data.remove();
  });

  it('refuses a call without a key with UNAUTHENTICATED, saying how to send one', async () => {
    const { error } = await exportRaw(collector.grpcAddress!, 'logs', logsBody('anonymous'));
    expect(error?.code).toBe(status.UNAUTHENTICATED);
    expect(error?.details).toMatch(/^Missing ingest key: send it as "Authorization: Bearer <key>"/);
    const wrong = await exportRaw(collector.grpcAddress!, 'logs', logsBody('anonymous'), { authorization: 'Bearer tvk_0000000000000000_nope' });
    expect(wrong.error?.code).toBe(status.UNAUTHENTICATED);
    expect(wrong.error?.details).toMatch(/^Unknown API key/);
  });

  it('refuses a read-only key and a browser key with PERMISSION_DENIED', async () => {
    const reader = await newKey({ name: 'reader', scopes: ['read'] });
    const denied = await exportRaw(collector.grpcAddress!, 'logs', logsBody('reader'), { authorization: `Bearer ${reader}` });
    expect(denied.error?.code).toBe(status.PERMISSION_DENIED);
    expect(denied.error?.details).toMatch(/does not have the ingest scope/);
    const browser = await newKey({ name: 'web', kind: 'browser', scopes: ['ingest'], origins: ['https://app.example'] });
    const refused = await exportRaw(collector.grpcAddress!, 'logs', logsBody('browser'), { 'x-tunnelvision-key': browser });
    expect(refused.error?.code).toBe(status.PERMISSION_DENIED);
    expect(refused.error?.details).toMatch(/^Browser key \S+ is accepted only from https:\/\/app\.example/);
    expect(await storedFor(collector, 'reader')).toBe(0);
  });

  it('stores a tenant’s telemetry in that tenant’s database, under its key’s service, out of other tenants’ sight', async () => {
    const created = await fetch(`${collector.url}/api/v1/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'acme' }),
    });
    expect(created.status).toBe(201);
    const acmeIngest = await newKey({ name: 'acme-ingest', scopes: ['ingest', 'read'], service: 'acme-chat' }, 'acme');
    await emitLogs(grpcUrl(collector), 'acme-session', { key: acmeIngest });
    const read = async (key: string) =>
      ((await (await fetch(`${collector.url}/api/v1/timeline?session_id=acme-session`, { headers: { authorization: `Bearer ${key}` } })).json()) as { events: { service: string }[] }).events;
    const events = await read(acmeIngest);
    expect(events).toHaveLength(3);
    // The key is bound to a service: that name wins over the app's.
    expect(events.map((e) => e.service)).toEqual(['acme-chat', 'acme-chat', 'acme-chat']);
    const defaultReader = await newKey({ name: 'default-reader', scopes: ['read'] });
    expect(await read(defaultReader)).toHaveLength(0);
    expect(await storedFor(collector, 'acme-session', collector.access.databaseOf('acme'))).toBe(3);
  });

  it('counts calls against the key’s rate limit shared with OTLP/HTTP', async () => {
    const key = await newKey({ name: 'limited', scopes: ['ingest'] });
    const http = () =>
      fetch(`${collector.url}/v1/logs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(logsRequest({ 'service.name': 'limited' }, [eventRecord('conn.open', { 'session.id': 'limited' })])),
      });
    expect((await http()).status).toBe(200);
    expect((await http()).status).toBe(200);
    expect((await exportRaw(collector.grpcAddress!, 'logs', logsBody('limited-grpc'), { authorization: `Bearer ${key}` })).error).toBeUndefined();
    const { error } = await exportRaw(collector.grpcAddress!, 'logs', logsBody('limited-grpc-2'), { authorization: `Bearer ${key}` });
    expect(error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error?.details).toMatch(/^Rate limit of 3 requests a minute for this key exceeded/);
    expect(statusDetails(error!).retryDelaySeconds).toBeGreaterThan(0);
    expect((await http()).status).toBe(429);
  });
});

describe('OTLP/gRPC backpressure and store outages', () => {
  const collectorWith = collectorsPerTest({ retryAfterSeconds: RETRY_AFTER_SECONDS });

  it('a full buffer gets RESOURCE_EXHAUSTED with RetryInfo, and the call in flight is stored when the collector stops', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const collector = await collectorWith({ maxBufferedRows: 5 }, (insert) => async (target, rows, token) => {
      await gate;
      return insert(target, rows, token);
    });
    const filler = exportRaw(collector.grpcAddress!, 'logs', logsBody('filler', 5));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { error } = await exportRaw(collector.grpcAddress!, 'logs', logsBody('refused'));
    expect(error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(error?.details).toBe('Collector is buffering its maximum; retry later');
    expect(statusDetails(error!)).toEqual({ code: status.RESOURCE_EXHAUSTED, message: error!.details, retryDelaySeconds: RETRY_AFTER_SECONDS });
    expect((await scrape(collector.url)).value('tunnelvision_ingest_requests_total', { transport: 'grpc', signal: 'logs', outcome: 'overloaded' })).toBe(1);
    // Stopping drains: the filler's call is answered once its rows are stored.
    const stopped = collector.stop();
    release();
    expect((await filler).response).toEqual({});
    await stopped;
  });

  it('a store outage (no spool) gets UNAVAILABLE with RetryInfo, nothing stored', async () => {
    const collector = await collectorWith({ spoolMaxBytes: 0 }, () => async () => {
      throw new Error('store unavailable (fault injected)');
    });
    const { error } = await exportRaw(collector.grpcAddress!, 'logs', logsBody('outage', 2));
    expect(error?.code).toBe(status.UNAVAILABLE);
    expect(error?.details).toMatch(/^Storage unavailable, nothing was stored; retry later/);
    expect(statusDetails(error!)).toMatchObject({ code: status.UNAVAILABLE, retryDelaySeconds: RETRY_AFTER_SECONDS });
    expect((await scrape(collector.url)).value('tunnelvision_ingest_records_rejected_total', { transport: 'grpc', signal: 'logs', reason: 'store_unavailable' })).toBe(2);
  });

  it('COLLECTOR_GRPC_PORT=off starts no gRPC listener', async () => {
    const collector = await collectorWith({ grpcPort: 'off' }, (insert) => insert);
    expect(collector.grpcAddress).toBeUndefined();
    expect((await getJson(collector.url, '/readyz')).status).toBe(200);
    // Nor any gRPC series: a transport's ingest series exist while it listens.
    const samples = (await scrape(collector.url)).samples.filter((s) => s.name === 'tunnelvision_ingest_requests_total');
    expect(new Set(samples.map((s) => s.labels.transport))).toEqual(new Set(['http']));
  });
});
