import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { METRIC_HEARTBEAT_RTT } from '@tunnelvision/semconv';
import { pingAndTerminateDead } from '@tunnelvision/test-support';
import { instrumentWebSocketServer } from '../../src/ws-server.js';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { createTelemetryHarness, type TelemetryHarness } from '../tracker/telemetry-harness.js';
import { eventually } from '../integration/harness.js';

/**
 * An app's own `ws` server (no TunnelVision protocol), instrumented with
 * one call, and plain `ws` clients. The app's protocol: JSON {"id", "text"};
 * the server answers {"ack": id}; text "bye" makes it close with 4001;
 * "big" makes it send 8 MB back (backpressure).
 */
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const json = (data: unknown) => JSON.parse(String(data)) as Record<string, string>;

async function startApp(heartbeatMillis?: number): Promise<{ telemetry: TelemetryHarness; url: string; server: WebSocketServer }> {
  const telemetry = createTelemetryHarness();
  cleanups.push(() => telemetry.shutdown());
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const socket of server.clients) socket.terminate();
    await new Promise((resolve) => server.close(resolve));
  });
  const tracker = createTracker({ loggerProvider: telemetry.loggerProvider, meterProvider: telemetry.meterProvider, role: 'server' });
  instrumentWebSocketServer(server, {
    tracker,
    connection: () => ({ userId: 'u-1' }),
    messageId: (data) => (String(data).startsWith('{') ? json(data).ackOf : undefined),
    receivedId: (data) => json(data).id,
  });
  server.on('connection', (socket) => {
    socket.on('message', (raw) => {
      const { id, text } = json(raw);
      if (text === 'bye') socket.close(4001, 'bye');
      else if (text === 'big') socket.send(Buffer.alloc(8 * 1024 * 1024));
      else socket.send(JSON.stringify({ ackOf: id }));
    });
  });
  if (heartbeatMillis !== undefined) cleanups.push(pingAndTerminateDead(server, heartbeatMillis));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/live?tv_session=sess-1&tv_connection=conn-1`;
  return { telemetry, url, server };
}

async function connect(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<WebSocket> {
  const client = new WebSocket(url, options);
  client.on('error', () => {});
  cleanups.push(() => client.terminate());
  await once(client, 'open');
  return client;
}

const named = (telemetry: TelemetryHarness, name: string) => telemetry.events().filter((e) => e.name === name);

describe('instrumentWebSocketServer on a plain ws server', () => {
  it('a clean close by the client: open, messages, and a close the client initiated, under the handshake ids', async () => {
    const { telemetry, url } = await startApp();
    const client = await connect(url);
    client.send(JSON.stringify({ id: 'c-1', text: 'hello' }));
    await once(client, 'message');
    client.close(1000, 'done');
    await eventually(() => expect(named(telemetry, 'conn.close')).toHaveLength(1));

    expect(telemetry.eventNames()).toEqual(['conn.opening', 'conn.open', 'msg.received', 'msg.sent', 'conn.close']);
    const close = named(telemetry, 'conn.close')[0]!.attributes;
    expect(close).toMatchObject({
      'tv.role': 'server',
      'session.id': 'sess-1',
      'tv.connection.id': 'conn-1',
      'server.address': '127.0.0.1',
      'tv.close.code': 1000,
      'tv.close.reason': 'done',
      'tv.close.clean': true,
      'tv.close.initiator': 'client',
      'tv.ws.messages_sent': 1,
      'tv.ws.messages_received': 1,
    });
    expect(close['tv.connection.duration_ms']).toEqual(expect.any(Number));
    expect(named(telemetry, 'msg.received')[0]?.attributes['tv.message.id']).toBe('c-1');
    expect(named(telemetry, 'msg.sent')[0]?.attributes['tv.message.id']).toBe('c-1');
  });

  it('a clean close by the server app: initiator server, with its code and reason', async () => {
    const { telemetry, url } = await startApp();
    const client = await connect(url);
    client.send(JSON.stringify({ id: 'c-2', text: 'bye' }));
    const [code] = (await once(client, 'close')) as [number];
    expect(code).toBe(4001);
    await eventually(() => expect(named(telemetry, 'conn.close')).toHaveLength(1));
    expect(named(telemetry, 'conn.close')[0]?.attributes).toMatchObject({
      'tv.close.code': 4001,
      'tv.close.reason': 'bye',
      'tv.close.clean': true,
      'tv.close.initiator': 'server',
    });
  });

  it("the app's own pings: pong round trips as tv.heartbeat.rtt; a client that stops answering is terminated as a missed heartbeat", async () => {
    const { telemetry, url } = await startApp(40);
    const healthy = await connect(url);
    // ws answers pings by itself unless autoPong is off: this one is a half-open zombie.
    const zombie = await connect(url, { autoPong: false });
    const zombieClosed = once(zombie, 'close');

    const [code] = (await zombieClosed) as [number];
    expect(code).toBe(1006);
    await eventually(() => expect(named(telemetry, 'conn.close')).toHaveLength(1));
    const missed = named(telemetry, 'conn.heartbeat.missed');
    expect(missed.map((e) => e.attributes['tv.heartbeat.missed'])).toEqual([1]);
    const close = named(telemetry, 'conn.close')[0]!.attributes;
    expect(close).toMatchObject({ 'tv.close.code': 1006, 'tv.close.clean': false, 'tv.heartbeat.missed': 1 });
    expect(close['tv.close.initiator']).toBeUndefined();
    expect(missed[0]?.attributes['tv.connection.id']).toBe(close['tv.connection.id']);

    const rtt = await telemetry.histogram(METRIC_HEARTBEAT_RTT.name);
    expect(rtt.reduce((n, p) => n + p.value.count, 0)).toBeGreaterThanOrEqual(1);
    expect(healthy.readyState).toBe(WebSocket.OPEN);
  });

  it('backpressure: the peak bufferedAmount of the connection is on its conn.close', async () => {
    const { telemetry, url } = await startApp();
    const client = await connect(url);
    client.send(JSON.stringify({ id: 'c-3', text: 'big' }));
    await once(client, 'message');
    client.close();
    await eventually(() => expect(named(telemetry, 'conn.close')).toHaveLength(1));
    expect(named(telemetry, 'conn.close')[0]?.attributes['tv.ws.buffered_amount_max']).toBeGreaterThan(0);
  });

  it('never throws into the app when its own id functions do', async () => {
    const telemetry = createTelemetryHarness();
    cleanups.push(() => telemetry.shutdown());
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const tracker = createTracker({ loggerProvider: telemetry.loggerProvider, role: 'server' });
    const boom = () => {
      throw new Error('app bug');
    };
    instrumentWebSocketServer(server, { tracker, messageId: boom, receivedId: boom, ackId: boom });
    const echoed: string[] = [];
    server.on('connection', (socket) => socket.on('message', (raw) => (socket.send(String(raw)), echoed.push(String(raw)))));
    const client = await connect(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.send('x');
    await once(client, 'message');
    expect(echoed).toEqual(['x']);
    client.close();
    await once(client, 'close');
  });
});
