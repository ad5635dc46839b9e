import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { METRIC_HEARTBEAT_RTT } from '@tunnelvision/semconv';
import { graphQLTestSchema } from '@tunnelvision/test-support';
import { instrumentGraphQLWsClient } from '../../src/graphql-ws.js';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { createTelemetryHarness, type TelemetryHarness } from '../tracker/telemetry-harness.js';
import { eventually } from '../integration/harness.js';

// graphql-ws's server, loaded by Node, gets graphql's CommonJS build; an import here would get its ES build
// (vite reads `module`), a second copy whose schema the server refuses ("from another module or realm").
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');

const schema = graphQLTestSchema(graphql);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(port = 0): Promise<WebSocketServer> {
  const server = new WebSocketServer({ port, host: '127.0.0.1' });
  await once(server, 'listening');
  useServer({ schema }, server);
  return server;
}

/** Killed: connections cut without a close frame (the client sees 1006), the port released. */
async function kill(server: WebSocketServer): Promise<void> {
  for (const socket of server.clients) socket.terminate();
  await new Promise((resolve) => server.close(resolve));
}

const named = (telemetry: TelemetryHarness, name: string) => telemetry.events().filter((e) => e.name === name);
const attr = (telemetry: TelemetryHarness, name: string, key: string) => named(telemetry, name).map((e) => e.attributes[key]);

function instrumentedClient(port: number, extra: Partial<Parameters<typeof createClient>[0]> = {}): { client: Client; telemetry: TelemetryHarness } {
  const telemetry = createTelemetryHarness();
  cleanups.push(() => telemetry.shutdown());
  const tracker = createTracker({ loggerProvider: telemetry.loggerProvider, meterProvider: telemetry.meterProvider, sessionId: 'gql-1' });
  const client = createClient(
    instrumentGraphQLWsClient(
      {
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        lazy: false,
        onNonLazyError: () => {},
        keepAlive: 30,
        retryAttempts: 3,
        retryWait: () => new Promise((resolve) => setTimeout(resolve, 40)),
        // graphql-ws treats a refused connection (an error, not a close event) as fatal unless told otherwise.
        shouldRetry: () => true,
        ...extra,
      },
      { tracker, connection: { serverAddress: '127.0.0.1', serverPort: port } },
    ),
  );
  cleanups.push(() => client.dispose());
  return { client, telemetry };
}

describe('instrumentGraphQLWsClient with the real graphql-ws server', () => {
  it('operations as journeys, keep-alive round trips, and a server restart: drop, retries with their delays, reconnect, resubscribe', async () => {
    let server = await startServer();
    const port = (server.address() as AddressInfo).port;
    cleanups.push(() => kill(server));
    const appEvents: string[] = [];
    const { client, telemetry } = instrumentedClient(port, { on: { connected: () => appEvents.push('connected') } });

    const counted: unknown[] = [];
    await new Promise<void>((resolve, reject) =>
      client.subscribe({ query: 'subscription Countdown { countdown(from: 3) }', operationName: 'Countdown' }, { next: (r) => counted.push(r.data), error: reject, complete: resolve }),
    );
    expect(counted).toEqual([{ countdown: 3 }, { countdown: 2 }, { countdown: 1 }]);
    const refused = await new Promise<unknown>((resolve) => client.subscribe({ query: '{ nope }', operationName: 'Broken' }, { next: () => {}, error: resolve, complete: () => {} }));
    expect(refused).toBeInstanceOf(Array);
    await eventually(async () => expect((await telemetry.histogram(METRIC_HEARTBEAT_RTT.name)).reduce((n, p) => n + p.value.count, 0)).toBeGreaterThanOrEqual(1));

    const ticks: number[] = [];
    client.subscribe<{ ticks: number }>({ query: 'subscription Ticks { ticks }', operationName: 'Ticks' }, { next: (r) => ticks.push(r.data!.ticks), error: () => {}, complete: () => {} });
    await eventually(() => expect(ticks.length).toBeGreaterThanOrEqual(1));

    await kill(server);
    await eventually(() => expect(named(telemetry, 'conn.reconnect.scheduled').length).toBeGreaterThanOrEqual(2));
    server = await startServer(port);
    await eventually(() => expect(attr(telemetry, 'conn.open', 'tv.connection.downtime_ms')).toEqual([undefined, expect.any(Number)]));
    const before = ticks.length;
    await eventually(() => expect(ticks.length).toBeGreaterThan(before));

    expect(appEvents).toEqual(['connected', 'connected']);
    const closes = named(telemetry, 'conn.close').map((e) => e.attributes);
    expect(closes[0]).toMatchObject({ 'tv.close.code': 1006, 'tv.close.clean': false });
    for (const close of closes.slice(1)) expect(close).toMatchObject({ 'tv.connection.failure': 'refused', 'error.type': 'ECONNREFUSED' });
    const scheduled = named(telemetry, 'conn.reconnect.scheduled').map((e) => e.attributes);
    expect(scheduled.map((a) => a['tv.reconnect.attempt'])).toEqual(scheduled.map((_, i) => i + 1));
    for (const a of scheduled) expect(a['tv.reconnect.delay_ms']).toBeGreaterThanOrEqual(38);
    expect(attr(telemetry, 'conn.opening', 'tv.connection.attempt')).toEqual([1, ...scheduled.map((a) => a['tv.reconnect.attempt'])]);

    const sent = named(telemetry, 'msg.sent').map((e) => [e.attributes['tv.message.channel'], e.attributes['tv.message.id']]);
    expect(sent.map(([channel]) => channel)).toEqual(['Countdown', 'Broken', 'Ticks']);
    const [countdownId, brokenId, ticksId] = sent.map(([, id]) => id);
    expect(attr(telemetry, 'msg.acked', 'tv.message.id')).toEqual([countdownId, ticksId, ticksId]);
    for (const latency of attr(telemetry, 'msg.acked', 'tv.message.latency_ms')) expect(latency).toEqual(expect.any(Number));
    expect(named(telemetry, 'msg.dropped').map((e) => e.attributes)).toEqual([expect.objectContaining({ 'tv.message.id': brokenId, 'tv.message.drop_reason': 'policy' })]);
    expect(attr(telemetry, 'msg.replayed', 'tv.message.id')).toEqual([ticksId]);
    const received = named(telemetry, 'msg.received').map((e) => e.attributes);
    expect(received.slice(0, 3).map((a) => a['tv.message.id'])).toEqual([`${countdownId}:1`, `${countdownId}:2`, `${countdownId}:3`]);
    expect(received[0]).toMatchObject({ 'tv.message.channel': 'Countdown', 'tv.message.seq': 1 });
  });

  it('a refused retry that shouldRetry declines: gave_up at once', async () => {
    const server = await startServer();
    const port = (server.address() as AddressInfo).port;
    const { telemetry } = instrumentedClient(port, { shouldRetry: (e: unknown) => typeof e === 'object' && e !== null && 'code' in e && 'reason' in e });
    await eventually(() => expect(named(telemetry, 'conn.open')).toHaveLength(1));
    await kill(server);
    await eventually(() => expect(named(telemetry, 'conn.reconnect.gave_up')).toHaveLength(1));
    expect(attr(telemetry, 'conn.reconnect.gave_up', 'tv.reconnect.attempt')).toEqual([1]);
    expect(attr(telemetry, 'conn.close', 'tv.connection.failure')).toEqual([undefined, 'refused']);
  });

  it('retryAttempts used up: gave_up after the last retry', async () => {
    const server = await startServer();
    const port = (server.address() as AddressInfo).port;
    const { telemetry } = instrumentedClient(port, { retryAttempts: 2 });
    await eventually(() => expect(named(telemetry, 'conn.open')).toHaveLength(1));
    await kill(server);
    await eventually(() => expect(named(telemetry, 'conn.reconnect.gave_up')).toHaveLength(1));
    expect(attr(telemetry, 'conn.reconnect.gave_up', 'tv.reconnect.attempt')).toEqual([2]);
    expect(attr(telemetry, 'conn.reconnect.scheduled', 'tv.reconnect.attempt')).toEqual([1, 2]);
  });

  it('a lazy client closing after its last operation: a clean close the client initiated', async () => {
    const server = await startServer();
    cleanups.push(() => kill(server));
    const { client, telemetry } = instrumentedClient((server.address() as AddressInfo).port, { lazy: true, keepAlive: 0 });
    const result = await new Promise((resolve, reject) => client.subscribe({ query: '{ hello }' }, { next: resolve, error: reject, complete: () => {} }));
    expect(result).toEqual({ data: { hello: 'world' } });
    await eventually(() => expect(named(telemetry, 'conn.close')).toHaveLength(1));
    expect(named(telemetry, 'conn.close')[0]?.attributes).toMatchObject({ 'tv.close.code': 1000, 'tv.close.initiator': 'client', 'tv.close.clean': true });
    expect(named(telemetry, 'conn.reconnect.gave_up')).toEqual([]);
  });

  it("keeps calling the app's own listeners, id generator and replacer", async () => {
    const server = await startServer();
    cleanups.push(() => kill(server));
    const seen: string[] = [];
    const { client, telemetry } = instrumentedClient((server.address() as AddressInfo).port, {
      lazy: true,
      keepAlive: 0,
      generateID: () => 'op-1',
      jsonMessageReplacer: (key, value) => (key === '' && seen.push(`out:${String((value as { type: string }).type)}`), value),
      on: {
        connected: () => seen.push('connected'),
      },
    });
    const result = await new Promise((resolve, reject) => client.subscribe({ query: '{ hello }' }, { next: resolve, error: reject, complete: () => {} }));
    expect(result).toEqual({ data: { hello: 'world' } });
    expect(seen).toEqual(expect.arrayContaining(['connected', 'out:connection_init', 'out:subscribe']));
    expect(attr(telemetry, 'msg.acked', 'tv.message.id')).toEqual(['op-1']);
  });
});
