import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createTracker, handshakeIdentity, instrumentWebSocket, trackedWebSocketClass, type Tracker } from '@tunnelvision/sdk';
import { collectorPerFile } from './support/collector-per-file.js';

/**
 * Issue 10 as observed: an app's own `ws` server (no TunnelVision protocol)
 * and a browser-style client wrapped with trackedWebSocketClass; the server
 * is killed mid-session with messages in flight. Through the real
 * collector's query API the story must be complete: the unacked messages
 * are lost (msg.dropped connection_lost, messages_lost), a message the app
 * resends after reconnecting is replayed and delivered with its latency
 * from the first send, attempts while the server is down are refused
 * attempts, the hashed user id finds every event from the first, and the
 * server's events carry the client's session and connection ids. Verdict
 * wording is the collector's business: this asserts on events and counts.
 */

const collector = collectorPerFile();
const providers: LoggerProvider[] = [];

function loggerProvider(serviceName: string): LoggerProvider {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment.name': 'test' }),
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${collector.url}/v1/logs` }), scheduledDelayMillis: 100 })],
  });
  providers.push(provider);
  return provider;
}

afterAll(async () => {
  await Promise.all(providers.map((p) => p.shutdown()));
});

const eventually = (check: () => void, timeoutMillis = 10_000) => vi.waitFor(check, { timeout: timeoutMillis, interval: 20 });
const api = async (path: string) => (await fetch(`${collector.url}${path}`)).json() as Promise<any>;
const sha256Prefix = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);
const json = (data: unknown) => JSON.parse(String(data)) as Record<string, string>;
const send = (ws: WebSocket, id: string, text = 'hi') => ws.send(JSON.stringify({ id, text }));
const closed = (ws: WebSocket) => new Promise((resolve) => ws.on('error', () => {}).on('close', resolve));

/** The app's own server: acks {"id"} with {"ack": id} unless the text is "hold"; adopts the client's handshake ids. */
async function startAppServer(tracker: Tracker, port = 0): Promise<WebSocketServer> {
  const server = new WebSocketServer({ port, host: '127.0.0.1' });
  await once(server, 'listening');
  server.on('connection', (socket, request) => {
    instrumentWebSocket(socket, tracker.connection(handshakeIdentity(request)), { role: 'server' });
    socket.on('message', (raw) => {
      const { id, text } = json(raw);
      if (text !== 'hold') socket.send(JSON.stringify({ ack: id }));
    });
  });
  return server;
}

/** Killed: every socket cut without a close frame (clients see 1006), then the port is released. */
async function kill(server: WebSocketServer): Promise<void> {
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
}

type Event = { event: string; role?: string; connection_id?: string; message_id?: string; drop_reason?: string; attempt?: number; latency_ms?: number; duration_ms?: number; user_id?: string; session_id?: string; attributes?: Record<string, string> };

it('a plain ws server killed mid-session: lost, replayed and refused, found by session, user and message', async () => {
  const serverTracker = createTracker({ loggerProvider: loggerProvider('own-socket-server'), role: 'server' });
  let server = await startAppServer(serverTracker);
  const port = (server.address() as AddressInfo).port;
  const url = `ws://127.0.0.1:${port}/live`;
  const tracker = createTracker({
    loggerProvider: loggerProvider('own-socket-app'),
    sessionId: 'own-sess-1',
    userId: 'alice@example.com',
    hashUserId: true,
    atRiskTimeoutMillis: 1_500,
  });
  const WS = trackedWebSocketClass(WebSocket, tracker, { messageId: (d) => json(d).id, ackId: (d) => json(d).ack, handshakeIds: true });

  const first = new WS(url);
  await once(first, 'open');
  const firstConnection = first.tunnelvision.connectionId;
  send(first, 'ok-1');
  await once(first, 'message');
  for (let i = 1; i <= 5; i++) send(first, `lost-${i}`, 'hold');
  send(first, 'again-1', 'hold');
  await eventually(() => expect(server.clients.size).toBe(1));
  await new Promise((resolve) => setTimeout(resolve, 50));
  await kill(server);
  await closed(first);

  // While the server is down: a refused attempt.
  await closed(new WS(url));

  server = await startAppServer(serverTracker, port);
  const second = new WS(url);
  await once(second, 'open');
  send(second, 'again-1'); // the app resends one of its unacked messages
  await once(second, 'message');
  // The other five were never resent: after atRiskTimeoutMillis they are lost.
  await new Promise((resolve) => setTimeout(resolve, 1_700));
  second.close();
  await closed(second);
  await kill(server);
  await Promise.all(providers.map((p) => p.forceFlush()));

  const hashed = sha256Prefix('alice@example.com');
  let bySession: { events: Event[] } = { events: [] };
  await eventually(async () => {
    bySession = await api('/api/v1/timeline?session_id=own-sess-1');
    expect(bySession.events.filter((e) => e.event === 'conn.close' && e.role === 'server')).toHaveLength(2);
    expect(bySession.events.filter((e) => e.event === 'msg.dropped')).toHaveLength(5);
  });
  const client = bySession.events.filter((e) => e.role === 'client');
  const server_ = bySession.events.filter((e) => e.role === 'server');

  // 1. Lost: the five unacked messages that were never resent.
  const dropped = client.filter((e) => e.event === 'msg.dropped');
  expect(dropped.map((e) => e.message_id).sort()).toEqual(['lost-1', 'lost-2', 'lost-3', 'lost-4', 'lost-5']);
  expect(dropped.every((e) => e.drop_reason === 'connection_lost' && e.connection_id === firstConnection)).toBe(true);
  const range = `service=own-socket-app&from=${Date.now() - 10 * 60_000}&to=${Date.now() + 60_000}&step=20m`;
  const lost = await api(`/api/v1/series?metric=messages_lost&${range}`);
  expect((lost.points as { v: number | null }[]).reduce((n, p) => n + (p.v ?? 0), 0)).toBe(5);

  // 2. Replayed: found by message id, sent, replayed on the new connection, acked with latency from the first send.
  const journey: { events: Event[] } = await api('/api/v1/timeline?message_id=again-1');
  const mine = journey.events.filter((e) => e.role === 'client' && e.event?.startsWith('msg.'));
  expect(mine.map((e) => [e.event, e.attempt])).toEqual([
    ['msg.sent', 1],
    ['msg.replayed', 2],
    ['msg.acked', 2],
  ]);
  expect(mine[1]?.connection_id).not.toBe(firstConnection);
  expect(mine[2]?.latency_ms).toBeGreaterThanOrEqual(50);

  // 3. The attempt while the server was down: a close that never opened, refused.
  const failed = client.filter((e) => e.event === 'conn.close' && e.duration_ms === undefined);
  expect(failed).toHaveLength(1);
  expect(failed[0]?.attributes?.['tv.connection.failure'] ?? (failed[0] as any).connection_failure).toBe('refused');
  expect(failed[0]?.attributes?.['error.type'] ?? (failed[0] as any).error_type).toBe('ECONNREFUSED');

  // 4. The hashed user id finds every client event, the first conn.opening included.
  const byUser: { events: Event[] } = await api(`/api/v1/timeline?user_id=${hashed}`);
  expect(byUser.events.length).toBe(client.length);
  expect(client[0]?.event).toBe('conn.opening');
  expect(client.every((e) => e.user_id === hashed)).toBe(true);

  // 5. Correlation: the server reported both connections under the client's ids.
  const clientConnections = new Set(client.filter((e) => e.event === 'conn.open').map((e) => e.connection_id));
  expect(new Set(server_.filter((e) => e.event === 'conn.open').map((e) => e.connection_id))).toEqual(clientConnections);
  expect(server_.every((e) => e.session_id === 'own-sess-1')).toBe(true);
}, 60_000);
