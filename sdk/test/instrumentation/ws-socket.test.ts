import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { instrumentWebSocket } from '../../src/instrumentation/instrument-web-socket.js';
import { trackedWebSocketClass } from '../../src/instrumentation/tracked-web-socket-class.js';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { METRIC_CONNECTIONS_ACTIVE, METRIC_DELIVERY_LATENCY, METRIC_RECONNECTS } from '@tunnelvision/semconv';
import { jsonIds as options, telemetryPerTest, waitFor } from './ws-test-app.js';

/**
 * A real `ws` server on a loopback port. Protocol of the test app: the
 * client sends {"id", "text"}; the server answers {"ack": id}. Text
 * "kick" makes the server close with 4001, "crash" makes it terminate().
 */
let server: WebSocketServer;
let url: string;
const telemetry = telemetryPerTest();

beforeAll(async () => {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/live?token=abc`;
  server.on('connection', (socket) => {
    instrumentWebSocket(socket, telemetry.serverTracker.connection({ serverAddress: '127.0.0.1' }), { role: 'server' });
    socket.on('message', (raw) => {
      const { id, text } = JSON.parse(String(raw)) as { id: string; text: string };
      if (text === 'kick') socket.close(4001, 'kicked');
      else if (text === 'crash') socket.terminate();
      else socket.send(JSON.stringify({ ack: id }));
    });
  });
});

afterAll(async () => {
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
});


describe('trackedWebSocketClass with ws', () => {
  it('reports open, an acked message, a server close with 4001 and a reconnect ended by terminate() (1006)', async () => {
    const tracker = createTracker({ loggerProvider: telemetry.client.loggerProvider, meterProvider: telemetry.client.meterProvider, sessionId: 's-ws' });
    const WS = trackedWebSocketClass(WebSocket, tracker, options);
    expect(WS.name).toBe('WebSocket');

    const first = new WS(url);
    expect(first).toBeInstanceOf(WebSocket);
    await once(first, 'open');
    const acked = once(first, 'message');
    const hello = JSON.stringify({ id: 'm-1', text: 'hello' });
    first.send(hello);
    await acked;
    first.send(JSON.stringify({ id: 'm-2', text: 'kick' }));
    await once(first, 'close');
    expect((await telemetry.client.points(METRIC_CONNECTIONS_ACTIVE.name))[0]?.value).toBe(0);

    const second = new WS(url);
    await once(second, 'open');
    second.send(JSON.stringify({ id: 'm-3', text: 'crash' }));
    await once(second, 'close');

    const events = telemetry.client.events();
    expect(events.map((e) => e.name)).toEqual([
      'conn.opening',
      'conn.open',
      'msg.sent',
      'msg.acked',
      'msg.sent',
      'conn.close',
      'conn.opening',
      'conn.open',
      'msg.sent',
      'conn.close',
    ]);
    const [opening, open, sent, ack, , kicked, reopening, reopen, , crashed] = events;
    expect(opening?.attributes).toMatchObject({ 'session.id': 's-ws', 'server.address': '127.0.0.1', 'tv.role': 'client', 'tv.connection.attempt': 1 });
    expect(open?.attributes).not.toHaveProperty('tv.connection.downtime_ms');
    expect(sent?.attributes).toMatchObject({ 'tv.message.id': 'm-1', 'tv.message.size': Buffer.byteLength(hello), 'tv.message.attempt': 1 });
    expect(ack?.attributes['tv.message.id']).toBe('m-1');
    expect(ack?.attributes['tv.message.latency_ms']).toBeGreaterThanOrEqual(0);
    expect(kicked).toMatchObject({ severity: 'INFO' });
    expect(kicked?.attributes).toMatchObject({ 'tv.close.code': 4001, 'tv.close.reason': 'kicked', 'tv.close.clean': true, 'tv.close.initiator': 'server' });
    expect(kicked?.attributes['tv.connection.duration_ms']).toBeGreaterThanOrEqual(0);
    // The second socket to the same endpoint is the same logical connection: a reconnect.
    expect(reopening?.attributes['tv.connection.id']).not.toBe(opening?.attributes['tv.connection.id']);
    expect(reopen?.attributes['tv.connection.downtime_ms']).toBeGreaterThanOrEqual(0);
    expect(crashed).toMatchObject({ severity: 'WARN' });
    expect(crashed?.attributes).toMatchObject({ 'tv.close.code': 1006, 'tv.close.clean': false });
    expect(crashed?.attributes).not.toHaveProperty('tv.close.initiator');

    expect(await telemetry.client.points(METRIC_RECONNECTS.name)).toEqual([
      { attributes: { 'server.address': '127.0.0.1', 'tv.role': 'client', 'tv.close.code': 4001 }, value: 1 },
    ]);
    expect((await telemetry.client.histogram(METRIC_DELIVERY_LATENCY.name))[0]?.value.count).toBe(1);
  });

  it('reports a refused connection as conn.error and an abnormal close', async () => {
    const tracker = createTracker({ loggerProvider: telemetry.client.loggerProvider, meterProvider: telemetry.client.meterProvider });
    const WS = trackedWebSocketClass(WebSocket, tracker);
    const refused = new WS('ws://127.0.0.1:1/');
    // ws also emits 'error' on its EventEmitter side, which events.once() would turn into a rejection.
    await new Promise((resolve) => refused.on('close', resolve).on('error', () => {}));
    const events = telemetry.client.events();
    expect(events.map((e) => e.name)).toEqual(['conn.opening', 'conn.error', 'conn.close']);
    expect(events[1]).toMatchObject({ severity: 'ERROR', attributes: { 'error.type': 'ECONNREFUSED', 'tv.connection.attempt': 1 } });
    expect(events[2]?.attributes).toMatchObject({ 'tv.close.code': 1006 });
  });
});

describe('trackedWebSocketClass with ws, closed by the client', () => {
  it('names the client as initiator', async () => {
    const tracker = createTracker({ loggerProvider: telemetry.client.loggerProvider, meterProvider: telemetry.client.meterProvider });
    const socket = new (trackedWebSocketClass(WebSocket, tracker))(url);
    await once(socket, 'open');
    socket.close(1000, 'done');
    await once(socket, 'close');
    expect(telemetry.client.events().at(-1)?.attributes).toMatchObject({ 'tv.close.code': 1000, 'tv.close.reason': 'done', 'tv.close.clean': true, 'tv.close.initiator': 'client' });
  });
});

describe('instrumentWebSocket on the server side', () => {
  it('reports accepted sockets as opened, with the server as initiator of its close', async () => {
    const socket = new WebSocket(url);
    await once(socket, 'open');
    socket.send(JSON.stringify({ id: 'k', text: 'kick' }));
    await once(socket, 'close');
    await waitFor(() => telemetry.server.eventNames().includes('conn.close'), 'the server-side close');
    const events = telemetry.server.events();
    expect(events.map((e) => e.name)).toEqual(['conn.opening', 'conn.open', 'conn.close']);
    expect(events[2]?.attributes).toMatchObject({ 'tv.role': 'server', 'tv.close.code': 4001, 'tv.close.initiator': 'server', 'tv.close.clean': true });
  });
});
