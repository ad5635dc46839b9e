import { afterAll, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { createTracker, ResilientWebSocket, type ResilientWebSocketOptions } from '@tunnelvision/sdk';
import { ResilientServer, SessionStore } from '@tunnelvision/sdk/node';
import { TcpTunnel } from '@tunnelvision/test-support';
import { collectorPerFile } from './support/collector-per-file.js';

/**
 * The whole path for real: resilient clients and server instrumented with
 * the tracker, exporting OTLP to a real collector on embedded ClickHouse.
 * The server crashes (1006) and is shut down gracefully (1001); a client's
 * network is black-holed until its queue overflows. The query API must tell
 * the story: close codes, reconnects with downtime, latencies, replays and
 * the dropped messages with their reason.
 */

/** Reconnects in milliseconds, not seconds, so a crash and two restarts fit in a test. */
const FAST_RECOVERY: ResilientWebSocketOptions = {
  WebSocket,
  minInitialDelayMillis: 10,
  maxInitialDelayMillis: 30,
  maxDelayMillis: 500,
  maxRetries: 200,
  stableAfterMillis: 200,
  ackTimeoutMillis: 2_000,
  ackBatchDelayMillis: 10,
};

const collector = collectorPerFile();
const pipelines: Array<{ logs: LoggerProvider; metrics: MeterProvider }> = [];

function pipeline(serviceName: string) {
  const resource = resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment.name': 'test', 'service.version': '1.0.0' });
  const logs = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${collector.url}/v1/logs` }), scheduledDelayMillis: 100 })],
  });
  const metrics = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${collector.url}/v1/metrics` }), exportIntervalMillis: 60_000 })],
  });
  pipelines.push({ logs, metrics });
  return { loggerProvider: logs, meterProvider: metrics };
}

/** Waits (polling) until `check` stops throwing. */
const eventually = (check: () => void, timeoutMillis = 5_000) => vi.waitFor(check, { timeout: timeoutMillis, interval: 10 });
const flushAll = () => Promise.all(pipelines.flatMap((p) => [p.logs.forceFlush(), p.metrics.forceFlush()]));
const api = async (path: string) => (await fetch(`${collector.url}${path}`)).json() as Promise<any>;

afterAll(async () => {
  await Promise.all(pipelines.flatMap((p) => [p.logs.shutdown(), p.metrics.shutdown()]));
});

it('server crash and graceful restart show up as 1006 and 1001 closes, reconnects and latencies', async () => {
  const serverTelemetry = pipeline('chat');
  const clientTelemetry = pipeline('chat');
  const store = new SessionStore();
  const serverTracker = createTracker({ ...serverTelemetry, role: 'server' });
  let server = new ResilientServer({ store, tracker: serverTracker, serverAddress: 'gw-1', shutdownTimeoutMillis: 500 });
  await server.start();
  const port = server.port!;
  const sessions = ['alice', 'bob'];
  const received = new Map<string, unknown[]>(sessions.map((s) => [s, []]));
  const clients = sessions.map((sessionId) => {
    const tracker = createTracker({ ...clientTelemetry, sessionId, userId: `user-${sessionId}` });
    const client = new ResilientWebSocket(`ws://127.0.0.1:${port}`, { ...FAST_RECOVERY, WebSocket, sessionId, tracker });
    client.on('message', (m) => received.get(sessionId)!.push(m.body));
    return client;
  });
  const acked = new Set<string>();
  for (const c of clients) c.on('ack', (a) => acked.add(a.id));
  await eventually(() => expect(clients.every((c) => c.state === 'open')).toBe(true));
  const sent = clients.map((c) => c.send({ text: 'before the crash' }));
  await eventually(() => expect(sent.every((id) => acked.has(id))).toBe(true));

  // Crash: connections drop without a close frame (1006); a new instance comes up on the same port.
  await server.terminate();
  server = new ResilientServer({ port, store, tracker: serverTracker, serverAddress: 'gw-1', shutdownTimeoutMillis: 500 });
  await server.start();
  await eventually(() => expect(clients.every((c) => c.state === 'open')).toBe(true), 15_000);
  for (const s of sessions) server.send(s, { n: 1 });
  await eventually(() => expect([...received.values()].every((r) => r.length === 1)).toBe(true));

  // Deploy-style restart: 1001, clients come back promptly and resume.
  await server.close();
  server = new ResilientServer({ port, store, tracker: serverTracker, serverAddress: 'gw-1', shutdownTimeoutMillis: 500 });
  await server.start();
  await eventually(() => expect(clients.every((c) => c.state === 'open')).toBe(true), 15_000);
  for (const s of sessions) server.send(s, { n: 2 });
  await eventually(() => expect([...received.values()].every((r) => r.length === 2)).toBe(true));
  // Every server message reached each app exactly once, in order.
  for (const r of received.values()) expect(r).toEqual([{ n: 1 }, { n: 2 }]);

  for (const c of clients) c.close();
  await server.close();
  await flushAll();

  const timeline = await api('/api/v1/timeline?session_id=alice');
  const clientEvents = timeline.events.filter((e: { role?: string }) => e.role !== 'server');
  const closes = clientEvents.filter((e: { event: string; duration_ms?: number }) => e.event === 'conn.close' && e.duration_ms !== undefined);
  expect(closes.map((e: { close_code: number }) => e.close_code)).toEqual([1006, 1001, 1000]);
  expect(closes[0].close_meaning).toBe('1006: connection lost without a close frame');
  const reopens = clientEvents.filter((e: { event: string; downtime_ms?: number }) => e.event === 'conn.open' && e.downtime_ms !== undefined);
  expect(reopens).toHaveLength(2);
  expect(clientEvents.filter((e: { event: string }) => e.event === 'session.resume').map((e: { resume_outcome: string }) => e.resume_outcome)).toEqual(['ok', 'ok']);
  expect(timeline.messages.find((m: { message_id: string }) => m.message_id === sent[0])).toMatchObject({ verdict: 'delivered' });
  // The server's view of the same session is there too, told apart by role.
  expect(timeline.events.some((e: { role?: string; event: string }) => e.role === 'server' && e.event === 'conn.close')).toBe(true);

  const range = `service=chat&from=${Date.now() - 10 * 60_000}&to=${Date.now() + 60_000}&step=20m`;
  const total = async (metric: string) => ((await api(`/api/v1/series?metric=${metric}&${range}`)).points as { v: number | null }[]).reduce((n, p) => n + (p.v ?? 0), 0);
  expect(await total('reconnects')).toBe(4);
  expect(await total('abnormal_closes')).toBe(2);
  expect(await total('latency_p50')).toBeGreaterThan(0);
  const codes = await api(`/api/v1/close-codes?${range}`);
  expect(codes.codes.map((c: { code: number }) => c.code).sort()).toEqual([1000, 1001, 1006]);
}, 60_000);

it('a black-holed network: heartbeat detects it, the queue overflows, the rest replays; the drops are findable', async () => {
  const telemetry = pipeline('chat-tunnel');
  const server = new ResilientServer({ tracker: createTracker({ ...telemetry, role: 'server' }), shutdownTimeoutMillis: 500 });
  await server.start();
  const tunnel = await TcpTunnel.start(server.port!);
  const client = new ResilientWebSocket(`ws://127.0.0.1:${tunnel.port}`, {
    ...FAST_RECOVERY,
    WebSocket,
    sessionId: 'commuter',
    tracker: createTracker({ ...telemetry, sessionId: 'commuter' }),
    heartbeatIntervalMillis: 150,
    pongTimeoutMillis: 150,
    maxMissedPongs: 2,
    connectTimeoutMillis: 400,
    maxQueueSize: 3,
    ackTimeoutMillis: 10_000,
  });
  const acked = new Set<string>();
  client.on('ack', (a) => acked.add(a.id));
  await eventually(() => expect(client.state).toBe('open'));

  tunnel.blackhole();
  await eventually(() => expect(client.state).not.toBe('open'), 10_000);
  const queued = Array.from({ length: 5 }, (_, i) => client.send({ text: `in the tunnel ${i}` }));
  tunnel.restore();
  await eventually(() => expect(client.state).toBe('open'), 15_000);
  const survivors = queued.slice(2);
  await eventually(() => expect(survivors.every((id) => acked.has(id))).toBe(true), 15_000);

  client.close();
  await server.close();
  await tunnel.close();
  await flushAll();

  const missed = await api('/api/v1/timeline?session_id=commuter');
  expect(missed.events.some((e: { event: string }) => e.event === 'conn.heartbeat.missed')).toBe(true);
  // The two oldest queued messages were pushed out of the full queue.
  for (const id of queued.slice(0, 2)) {
    const lookup = await api(`/api/v1/timeline?message_id=${id}`);
    expect(lookup.messages).toEqual([expect.objectContaining({ message_id: id, verdict: 'dropped', drop_reason: 'queue_full' })]);
    expect(lookup.messages[0].summary).toBe('Dropped, never delivered: the offline queue was full.');
  }
  const replayed = await api(`/api/v1/timeline?message_id=${survivors[0]}`);
  expect(replayed.messages[0]).toMatchObject({ verdict: 'replayed' });
}, 60_000);
