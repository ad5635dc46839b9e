import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import PartySocket from 'partysocket/ws';
import ReconnectingWebSocketModule from 'reconnecting-websocket';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { graphQLTestSchema, pingAndTerminateDead, TcpTunnel } from '@tunnelvision/test-support';
// Through the package's own export paths, as an app imports them.
import { createTracker, type Tracker } from '@tunnelvision/sdk';
import { instrumentWebSocketServer } from '@tunnelvision/sdk/ws-server';
import { instrumentReconnectingWebSocket } from '@tunnelvision/sdk/reconnecting-websocket';
import { instrumentGraphQLWsClient } from '@tunnelvision/sdk/graphql-ws';
import { collectorPerFile } from './support/collector-per-file.js';

/**
 * Issue 15: the library integrations (any `ws` server, partysocket and
 * reconnecting-websocket, the graphql-ws client) against the real
 * libraries and the REAL collector: server restarts, a black-holed
 * network, acked messages, every assertion read back through the query
 * API (timeline by session and by message id, with the verdicts).
 * Heartbeats, backoffs and retry waits are shortened to milliseconds.
 */

const collector = collectorPerFile();

// graphql-ws's server, loaded by Node, gets graphql's CommonJS build; an import here would get its ES build
// (vite reads `module`), a second copy whose schema the server refuses ("from another module or realm").
const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
// A CommonJS package with exports.default: Node's default import is the module object, a bundler's is the class.
const ReconnectingWebSocket = ((ReconnectingWebSocketModule as unknown as { default?: unknown }).default ??
  ReconnectingWebSocketModule) as typeof ReconnectingWebSocketModule.default;

type Event = Record<string, any> & { event: string; role?: string };
interface Timeline {
  events: Event[];
  messages: Array<{ message_id: string; verdict: string; latency_ms?: number; drop_reason?: string; session_id?: string; resends?: number }>;
}

const eventually = (check: () => void | Promise<void>, timeoutMillis = 8_000) => vi.waitFor(check, { timeout: timeoutMillis, interval: 25 });
const json = (data: unknown) => JSON.parse(String(data)) as Record<string, string | undefined>;
const portOf = (server: WebSocketServer) => (server.address() as AddressInfo).port;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function timeline(query: string): Promise<Timeline> {
  await collector.flush();
  return collector.api<Timeline>(`/api/v1/timeline?${query}`);
}

/** Reads the session's timeline until `check` passes on it (the exporters batch every 50 ms). */
async function sessionTimeline(sessionId: string, check: (t: Timeline) => void): Promise<Timeline> {
  let found: Timeline = { events: [], messages: [] };
  await eventually(async () => {
    found = await timeline(`session_id=${sessionId}`);
    check(found);
  });
  return found;
}

/** A count metric of /api/v1/series for one service and role, summed over the last ten minutes. */
async function seriesTotal(metric: string, service: string, role: 'client' | 'server' = 'client'): Promise<number> {
  await collector.flush();
  const range = `from=${Date.now() - 10 * 60_000}&to=${Date.now() + 60_000}&step=20m`;
  const series = await collector.api<{ points: { v: number | null }[] }>(`/api/v1/series?metric=${metric}&service=${service}&role=${role}&${range}`);
  return series.points.reduce((n, p) => n + (p.v ?? 0), 0);
}

const named = (events: Event[], name: string, role = 'client') => events.filter((e) => e.event === name && (e.role ?? 'client') === role);
const verdictOf = (t: Timeline, id: string) => t.messages.find((m) => m.message_id === id);

async function listen(port = 0): Promise<WebSocketServer> {
  const server = new WebSocketServer({ port, host: '127.0.0.1' });
  await once(server, 'listening');
  return server;
}

/** Stops listening first (so no retry reaches it), then closes every socket with `code` (or cuts them: `terminate`). */
async function stop(server: WebSocketServer, how: { code: number; reason: string } | 'terminate'): Promise<void> {
  const closed = new Promise((resolve) => server.close(resolve));
  for (const socket of server.clients) {
    if (how === 'terminate') socket.terminate();
    else socket.close(how.code, how.reason);
  }
  await closed;
}

/** A plain `ws` client that ignores errors (a refused or cut connection is what the tests make happen). */
async function connect(url: string): Promise<WebSocket> {
  const client = new WebSocket(url);
  client.on('error', () => {});
  cleanups.push(() => client.terminate());
  await once(client, 'open');
  return client;
}

const closeOf = (ws: WebSocket) => once(ws, 'close').then(([code]) => code as number);

describe('instrumentWebSocketServer on a real ws server, through the collector', () => {
  /**
   * The app's own protocol: a client's {"id"} is answered with {"reply": id};
   * the server pushes {"push": id} and the client acknowledges with {"ack": id}.
   * The heartbeat is the ws README's: ping every interval, terminate() a
   * socket whose pong did not come by the next tick.
   */
  async function startApp(tracker: Tracker, options: { port?: number; heartbeatMillis?: number } = {}): Promise<WebSocketServer> {
    const server = await listen(options.port);
    cleanups.push(() => stop(server, 'terminate'));
    instrumentWebSocketServer(server, {
      tracker,
      receivedId: (data) => json(data).id,
      messageId: (data) => json(data).push,
      ackId: (data) => json(data).ack,
    });
    server.on('connection', (socket) => {
      socket.on('message', (raw) => {
        const { id } = json(raw);
        if (id) socket.send(JSON.stringify({ reply: id }));
      });
    });
    if (options.heartbeatMillis !== undefined) cleanups.push(pingAndTerminateDead(server, options.heartbeatMillis));
    return server;
  }

  /** The client side of the app's protocol: acknowledges every push. */
  function ackPushes(client: WebSocket): void {
    client.on('message', (raw) => {
      const { push } = json(raw);
      if (push) client.send(JSON.stringify({ ack: push }));
    });
  }

  const serverTracker = () => createTracker({ loggerProvider: collector.loggerProvider('ws-server-app'), role: 'server' });
  const urlOf = (port: number, session: string, connection: string) => `ws://127.0.0.1:${port}/live?tv_session=${session}&tv_connection=${connection}`;

  it('a clean close by the client: the connection under the handshake ids, its messages (one push acked: delivered), a close the client initiated', async () => {
    const server = await startApp(serverTracker());
    const client = await connect(urlOf(portOf(server), 'wss-clean', 'wss-clean-1'));
    ackPushes(client);
    client.send(JSON.stringify({ id: 'wss-in-1' }));
    await once(client, 'message');
    const [socket] = [...server.clients];
    const acked = new Promise((resolve) => socket!.on('message', (raw) => json(raw).ack && resolve(undefined)));
    socket!.send(JSON.stringify({ push: 'wss-push-1' }));
    await acked;
    client.close(1000, 'done');
    expect(await closeOf(client)).toBe(1000);

    const t = await sessionTimeline('wss-clean', (found) => expect(named(found.events, 'conn.close', 'server')).toHaveLength(1));
    expect(t.events.every((e) => e.role === 'server' && e.connection_id === 'wss-clean-1')).toBe(true);
    expect(t.events.map((e) => e.event)).toEqual(['conn.opening', 'conn.open', 'msg.received', 'msg.sent', 'msg.acked', 'conn.close']);
    const close = named(t.events, 'conn.close', 'server')[0]!;
    expect(close).toMatchObject({ close_code: 1000, close_reason: 'done', close_clean: true, close_abnormal: false, server_address: '127.0.0.1' });
    expect(close.duration_ms).toEqual(expect.any(Number));
    expect(close.attributes).toMatchObject({ 'tv.close.initiator': 'client' });
    // The integration's own counts stay in LogAttributes: the reply and the push out, the message and the ack in.
    expect(Number(close.attributes['tv.ws.messages_sent'])).toBe(2);
    expect(Number(close.attributes['tv.ws.messages_received'])).toBe(2);

    // The push, by message id: sent and acked by the server's own events, with its latency.
    const push = await timeline('message_id=wss-push-1');
    expect(push.events.filter((e) => e.message_id === 'wss-push-1').map((e) => e.event)).toEqual(['msg.sent', 'msg.acked']);
    expect(verdictOf(push, 'wss-push-1')).toMatchObject({ verdict: 'delivered', session_id: 'wss-clean', latency_ms: expect.any(Number) });
    // The lookup also brings the connection's lifecycle.
    expect(push.events.map((e) => e.event)).toEqual(expect.arrayContaining(['conn.open', 'conn.close']));
    // The client's message, only received here.
    expect(verdictOf(await timeline('message_id=wss-in-1'), 'wss-in-1')?.verdict).toBe('received');
  });

  it('a server restart: the server closes its connections (1001, initiated by the server), comes back, and a crash cuts the next one (1006, no initiator)', async () => {
    const tracker = serverTracker();
    let server = await startApp(tracker);
    const port = portOf(server);
    const a = await connect(urlOf(port, 'wss-restart', 'wss-restart-a'));
    const b = await connect(urlOf(port, 'wss-restart', 'wss-restart-b'));
    const codes = Promise.all([closeOf(a), closeOf(b)]);
    // A graceful restart: going away, then the same port again.
    await stop(server, { code: 1001, reason: 'restarting' });
    expect(await codes).toEqual([1001, 1001]);
    server = await startApp(tracker, { port });
    const c = await connect(urlOf(port, 'wss-restart', 'wss-restart-c'));
    c.send(JSON.stringify({ id: 'wss-after-restart' }));
    await once(c, 'message');
    // Then a crash: the process dies, no close frame goes out.
    const cut = closeOf(c);
    await stop(server, 'terminate');
    expect(await cut).toBe(1006);

    const t = await sessionTimeline('wss-restart', (found) => expect(named(found.events, 'conn.close', 'server')).toHaveLength(3));
    expect(named(t.events, 'conn.open', 'server').map((e) => e.connection_id).sort()).toEqual(['wss-restart-a', 'wss-restart-b', 'wss-restart-c']);
    const closes = new Map(named(t.events, 'conn.close', 'server').map((e) => [e.connection_id, e]));
    for (const id of ['wss-restart-a', 'wss-restart-b']) {
      expect(closes.get(id)).toMatchObject({ close_code: 1001, close_reason: 'restarting', close_clean: true, close_abnormal: false });
      expect(closes.get(id)?.attributes).toMatchObject({ 'tv.close.initiator': 'server' });
    }
    const crashed = closes.get('wss-restart-c')!;
    expect(crashed).toMatchObject({ close_code: 1006, close_clean: false, close_abnormal: true });
    expect(crashed.duration_ms).toEqual(expect.any(Number));
    // No close frame went either way: no initiator; and no ping was outstanding: not a missed heartbeat.
    expect(crashed.attributes?.['tv.close.initiator']).toBeUndefined();
    expect(crashed.missed_count).toBeUndefined();
    expect(named(t.events, 'conn.heartbeat.missed', 'server')).toEqual([]);
    expect(named(t.events, 'msg.received', 'server').map((e) => e.connection_id)).toEqual(['wss-restart-c']);
  });

  it("a black-holed network: the server's own ping/pong heartbeat finds the zombie and terminates it, a missed heartbeat and an abnormal close", async () => {
    const server = await startApp(serverTracker(), { heartbeatMillis: 100 });
    const tunnel = await TcpTunnel.start(portOf(server));
    cleanups.push(() => tunnel.close());
    const client = await connect(urlOf(tunnel.port, 'wss-zombie', 'wss-zombie-1'));
    // Healthy first: ws answers the server's pings by itself.
    let pings = 0;
    client.on('ping', () => pings++);
    await eventually(() => expect(pings).toBeGreaterThanOrEqual(2));

    tunnel.blackhole();
    await eventually(() => expect(server.clients.size).toBe(0), 3_000);
    // The client never learns: its side of the black hole still looks open.
    expect(client.readyState).toBe(WebSocket.OPEN);

    const t = await sessionTimeline('wss-zombie', (found) => expect(named(found.events, 'conn.close', 'server')).toHaveLength(1));
    const missed = named(t.events, 'conn.heartbeat.missed', 'server');
    expect(missed.map((e) => e.missed_count)).toEqual([1]);
    expect(missed[0]?.connection_id).toBe('wss-zombie-1');
    const close = named(t.events, 'conn.close', 'server')[0]!;
    expect(close).toMatchObject({ connection_id: 'wss-zombie-1', close_code: 1006, close_clean: false, close_abnormal: true, missed_count: 1 });
    expect(close.duration_ms).toBeGreaterThanOrEqual(200);
    expect(close.attributes?.['tv.close.initiator']).toBeUndefined();
    // The heartbeat missed comes before the close it explains.
    expect(t.events.indexOf(missed[0]!)).toBeLessThan(t.events.indexOf(close));
    // And the collector counts it as a zombie connection (the only one this server app had).
    await eventually(async () => expect(await seriesTotal('zombie_connections', 'ws-server-app', 'server')).toBe(1));
  });
});

describe('partysocket and reconnecting-websocket, through the collector', () => {
  /** Backoff of milliseconds instead of seconds (no random minimum: minReconnectionDelay is given). */
  const FAST = { WebSocket, minReconnectionDelay: 40, maxReconnectionDelay: 200, reconnectionDelayGrowFactor: 2, minUptime: 50, connectionTimeout: 1_000 };
  const ids = { messageId: (data: unknown) => json(data).id, ackId: (data: unknown) => json(data).ack };

  /** The app's server: acks {"id"} with {"ack": id}. */
  async function startAckServer(port = 0): Promise<WebSocketServer> {
    const server = await listen(port);
    cleanups.push(() => stop(server, 'terminate'));
    server.on('connection', (socket) => socket.on('message', (raw) => socket.send(JSON.stringify({ ack: json(raw).id }))));
    return server;
  }

  it('partysocket: a server restart with each retry and its delay, messages sent while down queued then replayed and acked, verdicts by message id', async () => {
    const tracker = createTracker({ loggerProvider: collector.loggerProvider('partysocket-app'), sessionId: 'party-restart' });
    let server = await startAckServer();
    const port = portOf(server);
    const socket = new PartySocket(`ws://127.0.0.1:${port}/room`, undefined, { ...FAST, maxEnqueuedMessages: 10 });
    cleanups.push(() => socket.close());
    instrumentReconnectingWebSocket(socket, { tracker, ...ids });
    const acks: string[] = [];
    socket.addEventListener('message', (event) => acks.push(json(event.data).ack!));

    await eventually(() => expect(socket.readyState).toBe(WebSocket.OPEN));
    socket.send(JSON.stringify({ id: 'party-1' }));
    await eventually(() => expect(acks).toEqual(['party-1']));

    // The server restarts: going away, then refused while it is down.
    await stop(server, { code: 1001, reason: 'restarting' });
    // The library counts a retry when it starts waiting for it: at 3, the first two attempts were refused.
    await eventually(() => expect(socket.retryCount).toBeGreaterThanOrEqual(3));
    socket.send(JSON.stringify({ id: 'party-2' }));
    socket.send(JSON.stringify({ id: 'party-3' }));
    server = await startAckServer(port);
    await eventually(() => expect(acks).toEqual(['party-1', 'party-2', 'party-3']));
    socket.close(1000, 'bye');

    const t = await sessionTimeline('party-restart', (found) => {
      expect(named(found.events, 'msg.acked')).toHaveLength(3);
      expect(named(found.events, 'conn.state').at(-1)?.state_to).toBe('closed');
      expect(named(found.events, 'conn.close').at(-1)?.close_code).toBe(1000);
    });
    const closes = named(t.events, 'conn.close');
    // The restart as the client saw it: the server's clean going-away.
    expect(closes[0]).toMatchObject({ close_code: 1001, close_reason: 'restarting', close_clean: true, close_abnormal: false });
    expect(closes[0]?.attributes).toMatchObject({ 'tv.close.initiator': 'server' });
    expect(closes[0]?.duration_ms).toEqual(expect.any(Number));
    // The attempts while it was down never opened: refused, not lost connections.
    const failed = closes.slice(1, -1);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    for (const close of failed) expect(close).toMatchObject({ failed_attempt: true, connection_failure: 'refused', error_type: 'ECONNREFUSED', close_abnormal: false });
    expect(closes.at(-1)).toMatchObject({ close_code: 1000, close_reason: 'bye', close_clean: true });
    expect(closes.at(-1)?.attributes).toMatchObject({ 'tv.close.initiator': 'client' });

    // Every retry with the library's count and the wait measured: its backoff is 40 ms, then 80, 160, capped at 200.
    // (Node starts a timer from the event loop's cached clock, so on a busy machine one can fire a few ms "early".)
    const scheduled = named(t.events, 'conn.reconnect.scheduled');
    expect(scheduled.map((e) => e.attempt)).toEqual(scheduled.map((_, i) => i + 1));
    scheduled.forEach((e, i) => {
      expect(e.delay_ms).toBeGreaterThanOrEqual(Math.min(200, 40 * 2 ** i) * 0.75);
      expect(e.delay_ms).toBeLessThan(1_000);
    });
    expect(named(t.events, 'conn.opening').map((e) => e.attempt)).toEqual([1, ...scheduled.map((e) => e.attempt)]);
    const opens = named(t.events, 'conn.open');
    expect(opens).toHaveLength(2);
    expect(opens[0]?.downtime_ms).toBeUndefined();
    expect(opens[1]?.downtime_ms).toBeGreaterThan(0);
    expect(named(t.events, 'conn.state').map((e) => `${e.state_from}->${e.state_to}`)).toEqual([
      'connecting->open',
      'open->reconnecting',
      'reconnecting->open',
      'open->closed',
    ]);

    // The offline queue: depth as it grew, then the flush onto the new connection.
    expect(named(t.events, 'msg.queued').map((e) => [e.message_id, e.queue_depth])).toEqual([
      ['party-2', 1],
      ['party-3', 2],
    ]);
    const delivered = await timeline('message_id=party-1');
    expect(delivered.events.filter((e) => e.message_id === 'party-1').map((e) => e.event)).toEqual(['msg.sent', 'msg.acked']);
    expect(verdictOf(delivered, 'party-1')).toMatchObject({ verdict: 'delivered', session_id: 'party-restart', latency_ms: expect.any(Number) });
    for (const id of ['party-2', 'party-3']) {
      const journey = await timeline(`message_id=${id}`);
      const mine = journey.events.filter((e) => e.message_id === id);
      expect(mine.map((e) => e.event)).toEqual(['msg.queued', 'msg.replayed', 'msg.acked']);
      // Replayed on the connection that opened after the restart.
      expect(mine[1]?.connection_id).toBe(opens[1]?.connection_id);
      expect(verdictOf(journey, id)).toMatchObject({ verdict: 'replayed', resends: 1 });
      // The lookup shows why: the drop and the refused attempts around it.
      expect(journey.events.some((e) => e.event === 'conn.close' && e.close_code === 1001)).toBe(true);
    }
    await eventually(async () => expect(await seriesTotal('replays', 'partysocket-app')).toBe(2));
  });

  it('partysocket behind a black-holed network: attempts time out (connectionTimeout) until the network is back, the message sent meanwhile goes out on the first open, delivered', async () => {
    const tracker = createTracker({ loggerProvider: collector.loggerProvider('partysocket-app'), sessionId: 'party-blackhole' });
    const server = await startAckServer();
    const tunnel = await TcpTunnel.start(portOf(server));
    cleanups.push(() => tunnel.close());
    tunnel.blackhole();
    const socket = new PartySocket(`ws://127.0.0.1:${tunnel.port}/room`, undefined, { ...FAST, connectionTimeout: 150, maxEnqueuedMessages: 10 });
    cleanups.push(() => socket.close());
    instrumentReconnectingWebSocket(socket, { tracker, ...ids });
    const acks: string[] = [];
    socket.addEventListener('message', (event) => void acks.push(json(event.data).ack!));
    socket.send(JSON.stringify({ id: 'party-early' }));
    // Two attempts swallowed by the black hole (the handshake never completes), then the network is back.
    await eventually(() => expect(socket.retryCount).toBeGreaterThanOrEqual(3));
    tunnel.restore();
    await eventually(() => expect(acks).toEqual(['party-early']));

    const t = await sessionTimeline('party-blackhole', (found) => expect(named(found.events, 'msg.acked')).toHaveLength(1));
    const failed = named(t.events, 'conn.close').filter((e) => e.failed_attempt);
    expect(failed.length).toBeGreaterThanOrEqual(2);
    for (const close of failed) {
      // Attempts that never opened, not lost connections; each lasted about connectionTimeout.
      expect(close).toMatchObject({ failed_attempt: true, close_abnormal: false });
      expect(close.duration_ms).toBeUndefined();
      expect(close.connection_failure).toBe('timeout');
    }
    expect(named(t.events, 'conn.reconnect.scheduled').length).toBeGreaterThanOrEqual(2);
    // Attempts of a connection that never opened yet count 1, 2, 3... (the library's own count starts at 0).
    const attempts = named(t.events, 'conn.opening').map((e) => e.attempt);
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
    // The first open of the session is not a reconnect: no downtime.
    const opens = named(t.events, 'conn.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.downtime_ms).toBeUndefined();
    expect(named(t.events, 'conn.state').map((e) => `${e.state_from}->${e.state_to}`)).toEqual(['connecting->open']);
    // Buffered before the first open: queued, then a first send (not a replay), acked.
    const journey = await timeline('message_id=party-early');
    expect(journey.events.filter((e) => e.message_id === 'party-early').map((e) => e.event)).toEqual(['msg.queued', 'msg.sent', 'msg.acked']);
    expect(verdictOf(journey, 'party-early')).toMatchObject({ verdict: 'delivered', resends: 0 });
  });

  it('reconnecting-websocket: a server that does not come back, retries until maxRetries, then gave up', async () => {
    const tracker = createTracker({ loggerProvider: collector.loggerProvider('rws-app'), sessionId: 'rws-gave-up' });
    const server = await startAckServer();
    const socket = new ReconnectingWebSocket(`ws://127.0.0.1:${portOf(server)}`, undefined, { ...FAST, minUptime: 10, maxRetries: 2 });
    cleanups.push(() => socket.close());
    instrumentReconnectingWebSocket(socket, { tracker, ...ids });
    const acks: string[] = [];
    socket.addEventListener('message', (event) => void acks.push(json(event.data).ack!));
    await eventually(() => expect(socket.readyState).toBe(WebSocket.OPEN));
    socket.send(JSON.stringify({ id: 'rws-1' }));
    await eventually(() => expect(acks).toEqual(['rws-1']));
    // Stable (minUptime): the library's retry count is back to 0.
    await eventually(() => expect(socket.retryCount).toBe(0));
    await stop(server, 'terminate');

    const t = await sessionTimeline('rws-gave-up', (found) => expect(named(found.events, 'conn.reconnect.gave_up')).toHaveLength(1));
    expect(named(t.events, 'conn.reconnect.gave_up')[0]?.attempt).toBe(2);
    expect(named(t.events, 'conn.reconnect.scheduled').map((e) => e.attempt)).toEqual([1, 2]);
    const closes = named(t.events, 'conn.close');
    expect(closes[0]).toMatchObject({ close_code: 1006, close_clean: false, close_abnormal: true });
    expect(closes.slice(1).map((e) => e.connection_failure)).toEqual(['refused', 'refused']);
    expect(named(t.events, 'conn.state').map((e) => e.state_to)).toEqual(['open', 'reconnecting', 'closed']);
    expect(verdictOf(t, 'rws-1')).toMatchObject({ verdict: 'delivered' });
  });
});

describe('the graphql-ws client against a real graphql-ws server, through the collector', () => {
  const schema = graphQLTestSchema(graphql);

  /** The graphql-ws server; its `ws` server instrumented too, so the server's side joins the client's session. */
  async function startGraphQLServer(tracker: Tracker, port = 0): Promise<{ server: WebSocketServer; restart: () => void | Promise<void> }> {
    const server = await listen(port);
    instrumentWebSocketServer(server, { tracker });
    const { dispose } = useServer({ schema }, server);
    cleanups.push(() => stop(server, 'terminate'));
    // dispose(): every client closed with 1001 "Going away", then the server closed.
    return { server, restart: dispose };
  }

  it('subscriptions as journeys: first result acks (delivered); a server restart with each retry recorded and the live subscription replayed', async () => {
    const serverTracker = createTracker({ loggerProvider: collector.loggerProvider('graphql-server'), role: 'server' });
    const first = await startGraphQLServer(serverTracker);
    const port = portOf(first.server);
    const tracker = createTracker({ loggerProvider: collector.loggerProvider('graphql-app'), sessionId: 'gql-restart' });
    const client = createClient(
      instrumentGraphQLWsClient(
        {
          url: `ws://127.0.0.1:${port}/graphql?tv_session=gql-restart`,
          webSocketImpl: WebSocket,
          lazy: false,
          onNonLazyError: () => {},
          retryAttempts: 10,
          retryWait: () => new Promise((resolve) => setTimeout(resolve, 40)),
          // graphql-ws treats a refused connection (an error, not a close event) as fatal unless told otherwise.
          shouldRetry: () => true,
        },
        { tracker },
      ),
    );
    cleanups.push(() => client.dispose());

    const counted: unknown[] = [];
    await new Promise<void>((resolve, reject) =>
      client.subscribe({ query: 'subscription Countdown { countdown(from: 2) }', operationName: 'Countdown' }, { next: (r) => counted.push(r.data), error: reject, complete: resolve }),
    );
    expect(counted).toEqual([{ countdown: 2 }, { countdown: 1 }]);
    const ticks: number[] = [];
    client.subscribe<{ ticks: number }>({ query: 'subscription Ticks { ticks }', operationName: 'Ticks' }, { next: (r) => ticks.push(r.data!.ticks), error: () => {}, complete: () => {} });
    await eventually(() => expect(ticks.length).toBeGreaterThanOrEqual(1));

    const retries: boolean[] = [];
    client.on('connecting', (isRetry) => retries.push(isRetry));
    await first.restart();
    await eventually(() => expect(retries.length).toBeGreaterThanOrEqual(2));
    await startGraphQLServer(serverTracker, port);
    // The subscription comes back by itself: graphql-ws resubscribes, the server starts counting again.
    const before = ticks.length;
    await eventually(() => expect(ticks.slice(before)).toContain(1));

    const t = await sessionTimeline('gql-restart', (found) => {
      expect(named(found.events, 'msg.replayed')).toHaveLength(1);
      expect(named(found.events, 'msg.acked')).toHaveLength(3);
      expect(named(found.events, 'conn.open', 'server')).toHaveLength(2);
    });
    const sent = named(t.events, 'msg.sent');
    expect(sent.map((e) => e.channel)).toEqual(['Countdown', 'Ticks']);
    const [countdownId, ticksId] = sent.map((e) => e.message_id as string);

    // The countdown: acked by its first result, every result received in order, delivered.
    const countdown = await timeline(`message_id=${countdownId}`);
    expect(countdown.events.filter((e) => e.message_id === countdownId).map((e) => e.event)).toEqual(['msg.sent', 'msg.acked']);
    expect(verdictOf(countdown, countdownId!)).toMatchObject({ verdict: 'delivered', session_id: 'gql-restart', latency_ms: expect.any(Number) });
    expect(named(t.events, 'msg.received').filter((e) => e.channel === 'Countdown').map((e) => [e.message_id, e.message_seq])).toEqual([
      [`${countdownId}:1`, 1],
      [`${countdownId}:2`, 2],
    ]);

    // The ticks: sent, acked, replayed after the restart and acked again on the new connection.
    const live = await timeline(`message_id=${ticksId}`);
    const journey = live.events.filter((e) => e.message_id === ticksId);
    expect(journey.map((e) => e.event)).toEqual(['msg.sent', 'msg.acked', 'msg.replayed', 'msg.acked']);
    const opens = named(t.events, 'conn.open');
    expect(opens).toHaveLength(2);
    expect(journey[2]?.connection_id).toBe(opens[1]?.connection_id);
    expect(verdictOf(live, ticksId!)).toMatchObject({ verdict: 'replayed', resends: 1 });

    // The restart: graphql-ws's server said going away; the retries while it was down, refused; the reconnect with its downtime.
    const closes = named(t.events, 'conn.close');
    expect(closes[0]).toMatchObject({ close_code: 1001, close_reason: 'Going away', close_clean: true, close_abnormal: false });
    expect(closes[0]?.attributes).toMatchObject({ 'tv.close.initiator': 'server' });
    const failed = closes.slice(1);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const close of failed) expect(close).toMatchObject({ failed_attempt: true, connection_failure: 'refused' });
    const scheduled = named(t.events, 'conn.reconnect.scheduled');
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    expect(scheduled.map((e) => e.attempt)).toEqual(scheduled.map((_, i) => i + 1));
    for (const e of scheduled) {
      expect(e.delay_ms).toBeGreaterThanOrEqual(30);
      expect(e.delay_ms).toBeLessThan(1_000);
    }
    expect(named(t.events, 'conn.opening').map((e) => e.attempt)).toEqual([1, ...scheduled.map((e) => e.attempt)]);
    expect(opens[1]?.downtime_ms).toBeGreaterThan(0);
    expect(named(t.events, 'conn.reconnect.gave_up')).toEqual([]);

    // The server's side, under the client's session: its going-away close (initiated by the server).
    const serverCloses = named(t.events, 'conn.close', 'server');
    expect(serverCloses[0]).toMatchObject({ close_code: 1001, close_reason: 'Going away', close_clean: true });
    expect(serverCloses[0]?.attributes).toMatchObject({ 'tv.close.initiator': 'server' });
  });

  it("a black-holed network: the server's keep-alive terminates the zombie (a missed heartbeat), the client's ping watchdog terminates its side, retries and resubscribes", async () => {
    const serverTracker = createTracker({ loggerProvider: collector.loggerProvider('graphql-server'), role: 'server' });
    const server = await listen();
    instrumentWebSocketServer(server, { tracker: serverTracker });
    // useServer's keep-alive: ping every 100 ms, terminate() a socket whose pong has not come 100 ms later.
    useServer({ schema }, server, 100);
    cleanups.push(() => stop(server, 'terminate'));
    const tunnel = await TcpTunnel.start(portOf(server));
    cleanups.push(() => tunnel.close());

    const tracker = createTracker({ loggerProvider: collector.loggerProvider('graphql-app'), sessionId: 'gql-blackhole' });
    // graphql-ws's own recipe for a dead connection: a ping that gets no pong in time, then terminate().
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const closes: number[] = [];
    const client = createClient(
      instrumentGraphQLWsClient(
        {
          url: `ws://127.0.0.1:${tunnel.port}/graphql?tv_session=gql-blackhole`,
          webSocketImpl: WebSocket,
          lazy: false,
          onNonLazyError: () => {},
          keepAlive: 50,
          retryAttempts: 10,
          retryWait: () => new Promise((resolve) => setTimeout(resolve, 40)),
          shouldRetry: () => true,
          on: {
            ping: (received) => {
              if (!received) watchdog = setTimeout(() => client.terminate(), 150);
            },
            pong: (received) => {
              if (received) clearTimeout(watchdog);
            },
            closed: (event) => {
              closes.push((event as { code: number }).code);
              // The network comes back as the client gives up on the dead connection, so its first retry gets through
              // (the dead connection stays dead: data crossed the black hole on it).
              tunnel.restore();
            },
          },
        },
        { tracker },
      ),
    );
    cleanups.push(() => (clearTimeout(watchdog), client.dispose()));
    const ticks: number[] = [];
    client.subscribe<{ ticks: number }>({ query: 'subscription Ticks { ticks }', operationName: 'Ticks' }, { next: (r) => ticks.push(r.data!.ticks), error: () => {}, complete: () => {} });
    await eventually(() => expect(ticks.length).toBeGreaterThanOrEqual(1));

    tunnel.blackhole();
    await eventually(() => expect(closes).toEqual([4499]), 3_000);
    const before = ticks.length;
    await eventually(() => expect(ticks.slice(before)).toContain(1));

    const t = await sessionTimeline('gql-blackhole', (found) => {
      expect(named(found.events, 'msg.replayed')).toHaveLength(1);
      expect(named(found.events, 'msg.acked')).toHaveLength(2);
      expect(named(found.events, 'conn.close', 'server')).toHaveLength(1);
    });
    // The server's side: its keep-alive ping unanswered, then terminate(): a missed heartbeat and an abnormal close.
    expect(named(t.events, 'conn.heartbeat.missed', 'server').map((e) => e.missed_count)).toEqual([1]);
    expect(named(t.events, 'conn.close', 'server')[0]).toMatchObject({ close_code: 1006, close_abnormal: true, missed_count: 1 });
    // The client's side: graphql-ws's terminate() (4499) after the unanswered ping, then a retry and the subscription replayed.
    const clientClose = named(t.events, 'conn.close')[0]!;
    expect(clientClose).toMatchObject({ close_code: 4499, close_reason: 'Terminated', close_clean: false, close_abnormal: false });
    expect(clientClose.duration_ms).toEqual(expect.any(Number));
    // The client's terminate() ended it, after its ping went unanswered: the miss belongs to this connection, not the next.
    expect(clientClose).toMatchObject({ missed_count: 1 });
    expect(clientClose.attributes).toMatchObject({ 'tv.close.initiator': 'client' });
    expect(named(t.events, 'conn.heartbeat.missed').map((e) => e.connection_id)).toEqual([clientClose.connection_id]);
    expect(named(t.events, 'conn.reconnect.scheduled').map((e) => e.attempt)).toEqual([1]);
    const opens = named(t.events, 'conn.open');
    expect(opens).toHaveLength(2);
    expect(opens[1]?.downtime_ms).toBeGreaterThan(0);
    const ticksId = named(t.events, 'msg.sent')[0]!.message_id as string;
    const journey = await timeline(`message_id=${ticksId}`);
    expect(journey.events.filter((e) => e.message_id === ticksId).map((e) => e.event)).toEqual(['msg.sent', 'msg.acked', 'msg.replayed', 'msg.acked']);
    expect(verdictOf(journey, ticksId)).toMatchObject({ verdict: 'replayed', resends: 1 });
  });
});
