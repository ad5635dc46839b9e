import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { METRIC_MESSAGES_LOST } from '@tunnelvision/semconv';
import { handshakeIdentity, withHandshakeIds } from '../../src/instrumentation/handshake-ids.js';
import { instrumentWebSocket } from '../../src/instrumentation/instrument-web-socket.js';
import { trackedWebSocketClass } from '../../src/instrumentation/tracked-web-socket-class.js';
import { createTracker } from '../../src/tracker/create-tracker.js';
import type { Tracker } from '../../src/tracker/tracker-types.js';
import type { CapturedEvent, TelemetryHarness } from '../tracker/telemetry-harness.js';
import { json, jsonIds as options, telemetryPerTest, waitFor } from './ws-test-app.js';

/**
 * A plain `ws` server that adopts the client's handshake ids. The test
 * app's protocol: the client sends {"id", "text"}; the server acks with
 * {"ack": id} unless the text is "hold"; "crash" terminates every socket
 * (the server killed mid-session: clients see 1006).
 */
let server: WebSocketServer;
let port: number;
let url: string;
const telemetry = telemetryPerTest();

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  url = `ws://LOCALHOST:${port}/live`;
  server.on('connection', (socket, request) => {
    instrumentWebSocket(socket, telemetry.serverTracker.connection(handshakeIdentity(request)), { role: 'server' });
    socket.on('message', (raw) => {
      const { id, text } = json(raw);
      if (text === 'crash') for (const other of server.clients) other.terminate();
      else if (text !== 'hold') socket.send(JSON.stringify({ ack: id }));
    });
  });
});

afterAll(async () => {
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
});

const send = (ws: WebSocket, id: string, text = 'hi') => ws.send(JSON.stringify({ id, text }));

const named = (h: TelemetryHarness, name: string): CapturedEvent[] => h.events().filter((e) => e.name === name);

function clientTracker(extra: Parameters<typeof createTracker>[0] = {}): Tracker {
  return createTracker({ loggerProvider: telemetry.client.loggerProvider, meterProvider: telemetry.client.meterProvider, sessionId: 's-loss', ...extra });
}

describe('messages in flight when a plain ws server is killed', () => {
  it('are dropped with connection_lost after atRiskTimeoutMillis and counted in tv.message.lost', async () => {
    const WS = trackedWebSocketClass(WebSocket, clientTracker({ atRiskTimeoutMillis: 100 }), options);
    const ws = new WS(url);
    await once(ws, 'open');
    send(ws, 'ok-1');
    await waitFor(() => named(telemetry.client, 'msg.acked').length === 1, 'the ack');
    for (let i = 1; i <= 5; i++) send(ws, `m-${i}`, 'hold');
    send(ws, 'boom', 'crash');
    await once(ws, 'close');
    await waitFor(() => named(telemetry.client, 'msg.dropped').length === 6, 'six drops');
    const dropped = named(telemetry.client, 'msg.dropped');
    expect(dropped.map((e) => e.attributes['tv.message.drop_reason'])).toEqual(Array(6).fill('connection_lost'));
    expect(dropped.map((e) => e.attributes['tv.message.id']).sort()).toEqual(['boom', 'm-1', 'm-2', 'm-3', 'm-4', 'm-5']);
    const lost = await telemetry.client.points(METRIC_MESSAGES_LOST.name);
    expect(lost.map((p) => [p.attributes['tv.message.drop_reason'], p.value])).toEqual([['connection_lost', 6]]);
  });

  it('are replayed when the app sends them again on a new socket, and the late ack keeps the first send time', async () => {
    const WS = trackedWebSocketClass(WebSocket, clientTracker({ atRiskTimeoutMillis: 5_000 }), options);
    const first = new WS(url);
    await once(first, 'open');
    // Both sockets share the endpoint's handle, whose connectionId moves on to the second one.
    const firstId = first.tunnelvision.connectionId;
    send(first, 'a', 'hold');
    send(first, 'a', 'hold'); // resent on the same socket: a retry
    send(first, 'x', 'crash');
    await once(first, 'close');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = new WS(url);
    await once(second, 'open');
    send(second, 'a');
    send(second, 'x');
    await waitFor(() => named(telemetry.client, 'msg.acked').length === 2, 'both acks');
    second.close();
    const journey = telemetry.client
      .events()
      .filter((e) => e.attributes['tv.message.id'] === 'a')
      .map((e) => [e.name, e.attributes['tv.message.attempt'], e.attributes['tv.connection.id'] === firstId ? 'first' : 'second']);
    expect(journey).toEqual([
      ['msg.sent', 1, 'first'],
      ['msg.retried', 2, 'first'],
      ['msg.replayed', 3, 'second'],
      ['msg.acked', 3, 'second'],
    ]);
    const acked = named(telemetry.client, 'msg.acked').find((e) => e.attributes['tv.message.id'] === 'a');
    expect(acked?.attributes['tv.message.latency_ms']).toBeGreaterThanOrEqual(30);
    expect(named(telemetry.client, 'msg.dropped')).toEqual([]);
  });

  it('hands the app the connection handle to report what only it knows', async () => {
    const WS = trackedWebSocketClass(WebSocket, clientTracker(), options);
    const ws = new WS(url);
    await once(ws, 'open');
    send(ws, 'p', 'hold');
    ws.tunnelvision.message('p').dropped('policy');
    ws.close();
    await once(ws, 'close');
    expect(named(telemetry.client, 'msg.dropped').map((e) => e.attributes['tv.message.drop_reason'])).toEqual(['policy']);
  });
});

describe('client-server correlation', () => {
  it('passes session and connection ids in the handshake; the server reports the same ids, role server, and both a normalised server.address and server.port', async () => {
    const WS = trackedWebSocketClass(WebSocket, clientTracker(), { ...options, handshakeIds: true });
    const ws = new WS(`${url}?token=abc`);
    await once(ws, 'open');
    send(ws, 'q');
    await waitFor(() => named(telemetry.client, 'msg.acked').length === 1 && named(telemetry.server, 'conn.open').length === 1, 'ack and server open');
    ws.close();
    await waitFor(() => named(telemetry.server, 'conn.close').length === 1, 'the server-side close');
    const connectionId = ws.tunnelvision.connectionId;
    for (const e of [...telemetry.client.events(), ...telemetry.server.events()]) {
      expect(e.attributes).toMatchObject({ 'session.id': 's-loss', 'tv.connection.id': connectionId, 'server.address': 'localhost', 'server.port': port });
    }
    expect(named(telemetry.server, 'conn.open')[0]?.attributes['tv.role']).toBe('server');
    expect(telemetry.client.eventNames().slice(0, 2)).toEqual(['conn.opening', 'conn.open']);
    expect(telemetry.client.events().map((e) => e.seq)).toEqual(telemetry.client.events().map((_, i) => i + 1));
  });

  it('withHandshakeIds keeps other parameters; handshakeIdentity reads ids, host and port', () => {
    const withIds = withHandshakeIds('wss://Example.COM/live?token=abc', { sessionId: 's 1', connectionId: 'c1' });
    expect(withIds).toBe('wss://example.com/live?token=abc&tv_session=s+1&tv_connection=c1');
    expect(handshakeIdentity({ url: '/live?token=abc&tv_session=s+1&tv_connection=c1', headers: { host: 'Example.COM:8443' } })).toEqual({
      sessionId: 's 1',
      connectionId: 'c1',
      serverAddress: 'example.com',
      serverPort: 8443,
    });
    expect(handshakeIdentity({ url: '/live', headers: { host: '[::1]' } })).toEqual({ serverAddress: '::1', serverPort: 80 });
    expect(handshakeIdentity({})).toEqual({});
    expect(withHandshakeIds('not a url', { sessionId: 's', connectionId: 'c' })).toBe('not a url');
  });
});

describe('attempts that never open', () => {
  it('describe a refused connection as refused with error.type ECONNREFUSED', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const WS = trackedWebSocketClass(WebSocket, clientTracker(), options);
    const ws = new WS(`ws://127.0.0.1:${freePort}/`);
    await new Promise((resolve) => ws.on('error', () => {}).on('close', resolve));
    const [close] = named(telemetry.client, 'conn.close');
    expect(close?.attributes).toMatchObject({ 'tv.close.code': 1006, 'tv.connection.failure': 'refused', 'error.type': 'ECONNREFUSED' });
    expect(close?.attributes).not.toHaveProperty('tv.connection.duration_ms');
  });

  it('describe an upgrade the server answered with an HTTP error as rejected, with the status as error.type', async () => {
    const http: Server = createServer();
    http.on('upgrade', (_request, socket) => socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n'));
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    try {
      const WS = trackedWebSocketClass(WebSocket, clientTracker(), options);
      const ws = new WS(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/`);
      await new Promise((resolve) => ws.on('error', () => {}).on('close', resolve));
      expect(named(telemetry.client, 'conn.close')[0]?.attributes).toMatchObject({ 'tv.connection.failure': 'rejected', 'error.type': '401' });
    } finally {
      await new Promise((resolve) => http.close(resolve));
    }
  });
});
