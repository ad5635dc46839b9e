import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import PartySocketReconnecting from 'partysocket/ws';
import ReconnectingWebSocketModule from 'reconnecting-websocket';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { METRIC_QUEUE_DEPTH } from '@tunnelvision/semconv';
import { instrumentReconnectingWebSocket } from '../../src/reconnecting-websocket.js';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { createTelemetryHarness, type TelemetryHarness } from '../tracker/telemetry-harness.js';
import { eventually } from '../integration/harness.js';

/**
 * The real libraries against a real `ws` server that is killed and
 * restarted on the same port mid-test. The app's protocol: JSON {"id"};
 * the server acks with {"ack": id}.
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// A CommonJS package with exports.default: Node's default import is the module object, a bundler's is the class.
const ReconnectingWebSocket = ((ReconnectingWebSocketModule as unknown as { default?: unknown }).default ??
  ReconnectingWebSocketModule) as typeof ReconnectingWebSocketModule.default;
const json = (data: unknown) => JSON.parse(String(data)) as Record<string, string>;
const ids = { messageId: (data: unknown) => json(data).id, ackId: (data: unknown) => json(data).ack };
/** Backoff of milliseconds instead of seconds. */
const FAST = { WebSocket, minReconnectionDelay: 40, maxReconnectionDelay: 200, reconnectionDelayGrowFactor: 2, minUptime: 50, connectionTimeout: 1_000 };

async function startServer(port = 0): Promise<WebSocketServer> {
  const server = new WebSocketServer({ port, host: '127.0.0.1' });
  await once(server, 'listening');
  server.on('connection', (socket) => socket.on('message', (raw) => socket.send(JSON.stringify({ ack: json(raw).id }))));
  return server;
}

/** Killed: connections cut without a close frame (the client sees 1006), the port released. */
async function kill(server: WebSocketServer): Promise<void> {
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
}

/** Accepts TCP connections and never answers the WebSocket upgrade: every attempt hangs until the client gives up. */
async function startSilentServer(): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return server;
}

function telemetryFor(sessionId: string): { telemetry: TelemetryHarness; tracker: ReturnType<typeof createTracker> } {
  const telemetry = createTelemetryHarness();
  cleanups.push(() => telemetry.shutdown());
  return { telemetry, tracker: createTracker({ loggerProvider: telemetry.loggerProvider, meterProvider: telemetry.meterProvider, sessionId }) };
}

const named = (telemetry: TelemetryHarness, name: string) => telemetry.events().filter((e) => e.name === name);
const attr = (telemetry: TelemetryHarness, name: string, key: string) => named(telemetry, name).map((e) => e.attributes[key]);

describe('instrumentReconnectingWebSocket', () => {
  it('partysocket: a server restart shows the drop, each retry with its delay, the offline queue and its replay, then the app close', async () => {
    const { telemetry, tracker } = telemetryFor('party-1');
    let server = await startServer();
    const port = (server.address() as AddressInfo).port;
    cleanups.push(() => kill(server));
    const socket = new PartySocketReconnecting(`ws://127.0.0.1:${port}/room`, undefined, { ...FAST, maxEnqueuedMessages: 2 });
    cleanups.push(() => socket.close());
    instrumentReconnectingWebSocket(socket, { tracker, ...ids });
    const acks: string[] = [];
    socket.addEventListener('message', (event) => acks.push(json(event.data).ack!));

    await eventually(() => expect(socket.readyState).toBe(WebSocket.OPEN));
    socket.send(JSON.stringify({ id: 'm-1' }));
    await eventually(() => expect(acks).toEqual(['m-1']));

    await kill(server);
    await eventually(() => expect(named(telemetry, 'conn.reconnect.scheduled').length).toBeGreaterThanOrEqual(2));
    for (const id of ['m-2', 'm-3', 'm-4']) socket.send(JSON.stringify({ id }));
    expect((await telemetry.points(METRIC_QUEUE_DEPTH.name))[0]?.value).toBe(2);
    server = await startServer(port);
    await eventually(() => expect(acks).toEqual(['m-1', 'm-2', 'm-3']));
    socket.close();
    // The app's close is dispatched at once; the socket's own close event follows the closing handshake.
    await eventually(() => expect(attr(telemetry, 'conn.close', 'tv.close.code').at(-1)).toBe(1000));

    const closes = named(telemetry, 'conn.close').map((e) => e.attributes);
    expect(closes[0]).toMatchObject({ 'tv.close.code': 1006, 'tv.close.clean': false });
    expect(closes[0]?.['tv.connection.duration_ms']).toEqual(expect.any(Number));
    // The attempts while the server was down never opened: refused, not lost connections.
    const failed = closes.slice(1, -1);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const close of failed) expect(close).toMatchObject({ 'tv.connection.failure': 'refused', 'error.type': 'ECONNREFUSED' });
    expect(closes.at(-1)).toMatchObject({ 'tv.close.code': 1000, 'tv.close.initiator': 'client', 'tv.close.clean': true });

    const scheduled = named(telemetry, 'conn.reconnect.scheduled').map((e) => e.attributes);
    expect(scheduled.map((a) => a['tv.reconnect.attempt'])).toEqual(scheduled.map((_, i) => i + 1));
    // Their backoff: 40 ms, then 80, 160, capped at 200 (timers fire a little late, never early).
    scheduled.forEach((a, i) => expect(a['tv.reconnect.delay_ms']).toBeGreaterThanOrEqual(Math.min(200, 40 * 2 ** i) - 2));
    expect(attr(telemetry, 'conn.opening', 'tv.connection.attempt')).toEqual([1, ...scheduled.map((a) => a['tv.reconnect.attempt'])]);
    const opens = named(telemetry, 'conn.open');
    expect(opens).toHaveLength(2);
    expect(opens[1]?.attributes['tv.connection.downtime_ms']).toEqual(expect.any(Number));
    expect(opens[1]?.attributes['server.address']).toBe('127.0.0.1');

    expect(attr(telemetry, 'msg.queued', 'tv.message.id')).toEqual(['m-2', 'm-3']);
    expect(attr(telemetry, 'msg.queued', 'tv.queue.depth')).toEqual([1, 2]);
    expect(named(telemetry, 'msg.dropped').map((e) => e.attributes)).toEqual([expect.objectContaining({ 'tv.message.id': 'm-4', 'tv.message.drop_reason': 'queue_full' })]);
    expect(attr(telemetry, 'msg.replayed', 'tv.message.id')).toEqual(['m-2', 'm-3']);
    expect(attr(telemetry, 'msg.acked', 'tv.message.id')).toEqual(['m-1', 'm-2', 'm-3']);
    expect((await telemetry.points(METRIC_QUEUE_DEPTH.name))[0]?.value).toBe(0);
    const transitions = named(telemetry, 'conn.state').map((e) => `${String(e.attributes['tv.state.from'])}->${String(e.attributes['tv.state.to'])}`);
    expect(transitions).toEqual(['connecting->open', 'open->reconnecting', 'reconnecting->open', 'open->closed']);
  });

  it('reconnecting-websocket: retries until maxRetries, then gives up', async () => {
    const { telemetry, tracker } = telemetryFor('rws-1');
    const server = await startServer();
    const port = (server.address() as AddressInfo).port;
    const socket = new ReconnectingWebSocket(`ws://127.0.0.1:${port}`, undefined, { ...FAST, minUptime: 10, maxRetries: 2 });
    cleanups.push(() => socket.close());
    instrumentReconnectingWebSocket(socket, { tracker });
    await eventually(() => expect(socket.readyState).toBe(WebSocket.OPEN));
    // Stable (minUptime), so the library's retry count is back to 0.
    await eventually(() => expect(socket.retryCount).toBe(0));
    await kill(server);

    await eventually(() => expect(named(telemetry, 'conn.reconnect.gave_up')).toHaveLength(1));
    expect(attr(telemetry, 'conn.reconnect.scheduled', 'tv.reconnect.attempt')).toEqual([1, 2]);
    expect(attr(telemetry, 'conn.reconnect.gave_up', 'tv.reconnect.attempt')).toEqual([2]);
    expect(attr(telemetry, 'conn.close', 'tv.close.code')[0]).toBe(1006);
    await eventually(() => expect(attr(telemetry, 'conn.close', 'tv.connection.failure')).toEqual([undefined, 'refused', 'refused']));
    expect(attr(telemetry, 'conn.state', 'tv.state.to')).toEqual(['open', 'reconnecting', 'closed']);
  });

  it.each([
    ['partysocket', PartySocketReconnecting],
    ['reconnecting-websocket', ReconnectingWebSocket],
  ] as const)('%s: an attempt its own connectionTimeout ends fails with timeout', async (library, Library) => {
    const { telemetry, tracker } = telemetryFor(`${library}-timeout`);
    const server = await startSilentServer();
    const socket = new Library(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, undefined, { ...FAST, connectionTimeout: 100, maxRetries: 1 });
    cleanups.push(() => socket.close());
    instrumentReconnectingWebSocket(socket, { tracker });

    await eventually(() => expect(named(telemetry, 'conn.close')).toHaveLength(2));
    for (const close of named(telemetry, 'conn.close')) {
      expect(close.attributes).toMatchObject({ 'tv.connection.failure': 'timeout', 'error.type': 'TimeoutError' });
      expect(close.attributes['tv.connection.duration_ms']).toBeUndefined();
    }
  });

  it('never throws into the app when its id functions do', async () => {
    const { tracker } = telemetryFor('party-2');
    const server = await startServer();
    cleanups.push(() => kill(server));
    const socket = new PartySocketReconnecting(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, undefined, FAST);
    cleanups.push(() => socket.close());
    const boom = () => {
      throw new Error('app bug');
    };
    instrumentReconnectingWebSocket(socket, { tracker, messageId: boom, ackId: boom });
    const replies: unknown[] = [];
    socket.addEventListener('message', (event) => replies.push(json(event.data)));
    socket.send(JSON.stringify({ id: 'q' }));
    await eventually(() => expect(replies).toEqual([{ ack: 'q' }]));
  });
});
