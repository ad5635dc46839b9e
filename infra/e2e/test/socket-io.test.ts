import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Server, type ServerOptions, type Socket as ServerSocket } from 'socket.io';
import { io as connect, type ManagerOptions, type Socket as ClientSocket, type SocketOptions } from 'socket.io-client';
import { TcpTunnel } from '@tunnelvision/test-support';
// Through the package's own export paths, as an app imports them.
import { createTracker, type Tracker } from '@tunnelvision/sdk';
import { instrumentSocketIoClient, type SocketIoInstrumentation } from '@tunnelvision/sdk/socket.io-client';
import { instrumentSocketIoServer } from '@tunnelvision/sdk/socket.io';
import { collectorPerFile } from './support/collector-per-file.js';

/**
 * Socket.IO from npm, client and server, instrumented with one call each
 * and exporting to a real collector; every assertion reads the story back
 * through the query API (timeline by session and by message id, with the
 * verdicts). Heartbeats and reconnection are shortened to milliseconds.
 */

const collector = collectorPerFile();

/** Heartbeats of 100 ms: a dead link is found in about 200 ms. */
const FAST_SERVER = { pingInterval: 100, pingTimeout: 100 };
/** Reconnects within 40-200 ms; connect attempts give up after 500 ms. */
const FAST_CLIENT = { reconnectionDelay: 80, reconnectionDelayMax: 200, randomizationFactor: 0.5, timeout: 500 };

type Event = Record<string, any> & { event: string; role?: string };
interface Timeline {
  events: Event[];
  messages: Array<{ message_id: string; verdict: string; latency_ms?: number; drop_reason?: string; session_id?: string }>;
}

const eventually = (check: () => void | Promise<void>, timeoutMillis = 10_000) => vi.waitFor(check, { timeout: timeoutMillis, interval: 20 });
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

interface AppServer {
  io: Server;
  http: HttpServer;
  port: number;
  /** Arguments each server handler got, by event. */
  seen: Map<string, unknown[][]>;
  sockets: ServerSocket[];
}

const clients: ClientSocket[] = [];
const servers: AppServer[] = [];
const tunnels: TcpTunnel[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await Promise.all(tunnels.splice(0).map((t) => t.close()));
  await Promise.all(servers.splice(0).map(stop));
});

/** The app's server: acks "chat" with { ok, echo }, never acks "hold", acks "flaky" from its second copy on; instrumented. */
async function startAppServer(tracker: Tracker, port = 0, options: Partial<ServerOptions> = {}): Promise<AppServer> {
  const http = createServer();
  const io = new Server(http, { ...FAST_SERVER, ...options });
  instrumentSocketIoServer(io, { tracker });
  const seen = new Map<string, unknown[][]>();
  const sockets: ServerSocket[] = [];
  const record = (event: string, args: unknown[]) => seen.set(event, [...(seen.get(event) ?? []), args]);
  io.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('chat', (...args: unknown[]) => {
      record('chat', args);
      const ack = args.at(-1) as (reply: unknown) => void;
      ack({ ok: true, echo: args[0] });
    });
    socket.on('hold', (...args: unknown[]) => record('hold', args));
    // Ignores the first copy of a payload (as if lost), acks the later ones: for the client's `retries`.
    socket.on('flaky', (...args: unknown[]) => {
      record('flaky', args);
      if (seen.get('flaky')!.filter((copy) => copy[0] === args[0]).length > 1) (args.at(-1) as (reply: unknown) => void)('ok');
    });
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const server = { io, http, port: (http.address() as AddressInfo).port, seen, sockets };
  servers.push(server);
  return server;
}

/** Graceful: Socket.IO disconnects every socket ("server shutting down") and the port is released. */
async function stop(server: AppServer): Promise<void> {
  if (!server.http.listening) return;
  const closed = new Promise<void>((resolve) => server.io.close(() => resolve()));
  server.http.closeAllConnections();
  await closed;
}

function startClient(
  port: number,
  tracker: Tracker,
  options: Partial<ManagerOptions & SocketOptions> = {},
): { socket: ClientSocket; instrumentation: SocketIoInstrumentation } {
  const socket = connect(`http://127.0.0.1:${port}`, { ...FAST_CLIENT, forceNew: true, ...options });
  clients.push(socket);
  const instrumentation = instrumentSocketIoClient(socket, { tracker });
  return { socket, instrumentation };
}

function trackers(sessionId: string) {
  return {
    client: createTracker({ loggerProvider: collector.loggerProvider('sio-app'), sessionId }),
    server: createTracker({ loggerProvider: collector.loggerProvider('sio-server'), role: 'server' }),
  };
}

async function timeline(query: string): Promise<Timeline> {
  await collector.flush();
  return collector.api<Timeline>(`/api/v1/timeline?${query}`);
}

const named = (events: Event[], name: string, role = 'client') => events.filter((e) => e.event === name && (e.role ?? 'client') === role);

describe('Socket.IO, instrumented on both sides, read back through the collector', () => {
  it('acked emits (callback, emitWithAck, timeout) carry one message id to the server: both sides, latency, delivered', async () => {
    const t = trackers('sio-acked');
    const server = await startAppServer(t.server);
    const { socket, instrumentation } = startClient(server.port, t.client);
    socket.on('quiz', (n: number, ack: (answer: number) => void) => ack(n + 1));
    await eventually(() => expect(instrumentation.carriesMessageIds).toBe(true));

    const replies: unknown[] = [];
    socket.emit('chat', 'one', (reply: unknown) => replies.push(reply));
    replies.push(await socket.emitWithAck('chat', 'two'));
    replies.push(await socket.timeout(2_000).emitWithAck('chat', 'three'));
    // And the server asks the client.
    const answer: unknown = await server.sockets[0]!.timeout(2_000).emitWithAck('quiz', 41);
    await eventually(() => expect(replies).toHaveLength(3));
    expect(answer).toBe(42);
    // The app's handlers saw its own arguments only: the id argument was taken off.
    expect(server.seen.get('chat')?.map((args) => args.slice(0, -1))).toEqual([['one'], ['two'], ['three']]);
    expect(replies).toEqual(['one', 'two', 'three'].map((echo) => ({ ok: true, echo })));

    let bySession: Timeline = { events: [], messages: [] };
    await eventually(async () => {
      bySession = await timeline('session_id=sio-acked');
      expect(named(bySession.events, 'msg.acked')).toHaveLength(3);
      expect(named(bySession.events, 'msg.received', 'server')).toHaveLength(3);
      expect(named(bySession.events, 'msg.acked', 'server')).toHaveLength(1);
    });
    const sent = named(bySession.events, 'msg.sent');
    expect(sent.map((e) => e.channel)).toEqual(['chat', 'chat', 'chat']);
    for (const { message_id: id } of sent) {
      const journey = await timeline(`message_id=${id}`);
      const mine = journey.events.filter((e) => e.message_id === id);
      expect(mine.map((e) => `${e.role}:${e.event}`).sort()).toEqual(['client:msg.acked', 'client:msg.sent', 'server:msg.received']);
      expect(mine.find((e) => e.event === 'msg.acked')?.latency_ms).toEqual(expect.any(Number));
      expect(journey.messages.find((m) => m.message_id === id)).toMatchObject({ verdict: 'delivered', session_id: 'sio-acked' });
    }
    // The server's own acked emit: sent and acked on the server, received by the client, under the client's session.
    const quiz = named(bySession.events, 'msg.acked', 'server')[0]!;
    expect(quiz.latency_ms).toEqual(expect.any(Number));
    expect(named(bySession.events, 'msg.received').map((e) => e.message_id)).toEqual([quiz.message_id]);

    // Both sides report one connection under the client's ids, and the transport it ran on.
    const opens = named(bySession.events, 'conn.open');
    expect(opens).toHaveLength(1);
    expect(named(bySession.events, 'conn.open', 'server').map((e) => e.connection_id)).toEqual([opens[0]!.connection_id]);
    expect(opens[0]!.attributes?.['socket.io.transport']).toMatch(/^(polling|websocket)$/);
    // Socket.IO starts on long-polling and upgrades: later events carry the websocket transport.
    expect(named(bySession.events, 'msg.acked').at(-1)?.attributes?.['socket.io.transport']).toBe('websocket');
  });

  it('a server restart: both sides close (1001 on the server, 1006 transport close on the client), reconnect attempts and delays, the offline emit replayed and acked', async () => {
    const t = trackers('sio-restart');
    const first = await startAppServer(t.server);
    const { socket, instrumentation } = startClient(first.port, t.client);
    await eventually(() => expect(instrumentation.carriesMessageIds).toBe(true));
    await socket.emitWithAck('chat', 'before');

    const attempts: number[] = [];
    socket.io.on('reconnect_attempt', (n) => attempts.push(n));
    await stop(first);
    await eventually(() => expect(socket.connected).toBe(false));
    // Buffered by Socket.IO while disconnected: the offline queue.
    const offline = socket.emitWithAck('chat', 'while down');
    await eventually(() => expect(attempts.length).toBeGreaterThanOrEqual(2));

    await startAppServer(t.server, first.port);
    await expect(offline).resolves.toEqual({ ok: true, echo: 'while down' });

    let bySession: Timeline = { events: [], messages: [] };
    await eventually(async () => {
      bySession = await timeline('session_id=sio-restart');
      expect(named(bySession.events, 'msg.acked')).toHaveLength(2);
      // Before and after the restart; on a busy machine a reconnect attempt can time out after the server accepted it, adding one.
      expect(named(bySession.events, 'conn.open', 'server').length).toBeGreaterThanOrEqual(2);
    });
    const events = bySession.events;
    const opened = named(events, 'conn.close').filter((e) => e.duration_ms !== undefined);
    expect(opened[0]).toMatchObject({ close_code: 1006, close_reason: 'transport close', close_abnormal: true });
    expect(named(events, 'conn.close', 'server')[0]).toMatchObject({ close_code: 1001, close_reason: 'server shutting down' });

    // Every attempt the Manager made, with the delay it waited (its backoff: 40-120 ms first, then up to 200 ms, jittered).
    // Its count starts again at 1 when an attempt reached the server, even one that did not connect.
    const scheduled = named(events, 'conn.reconnect.scheduled');
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    expect(scheduled.slice(0, 2).map((e) => e.attempt)).toEqual([1, 2]);
    for (const e of scheduled) {
      expect(e.delay_ms).toBeGreaterThanOrEqual(30);
      expect(e.delay_ms).toBeLessThan(1_000);
    }
    // Attempts while the server was down never opened; the one that did is a reconnect with its downtime.
    expect(events.filter((e) => e.role !== 'server' && e.event === 'conn.close' && e.failed_attempt).length).toBeGreaterThanOrEqual(1);
    const reopened = named(events, 'conn.open').filter((e) => e.downtime_ms !== undefined);
    expect(reopened).toHaveLength(1);
    expect(reopened[0]!.downtime_ms).toBeGreaterThan(0);
    // The server reported the new connection under the client's new connection id.
    expect(named(events, 'conn.open', 'server').map((e) => e.connection_id)).toEqual(named(events, 'conn.open').map((e) => e.connection_id));

    const queued = named(events, 'msg.queued')[0]!;
    const journey = await timeline(`message_id=${queued.message_id}`);
    const mine = journey.events.filter((e) => e.message_id === queued.message_id);
    expect(mine.filter((e) => e.role !== 'server').map((e) => e.event)).toEqual(['msg.queued', 'msg.replayed', 'msg.acked']);
    expect(mine.some((e) => e.role === 'server' && e.event === 'msg.received')).toBe(true);
    expect(journey.messages.find((m) => m.message_id === queued.message_id)?.verdict).toMatch(/delivered|replayed/);
  });

  it('a black-holed network: the client finds it by ping timeout (an abnormal drop), the in-flight emit is lost, and it reconnects when the network is back', async () => {
    const t = trackers('sio-blackhole');
    const server = await startAppServer(t.server);
    const tunnel = await TcpTunnel.start(server.port);
    tunnels.push(tunnel);
    const { socket, instrumentation } = startClient(tunnel.port, t.client);
    await eventually(() => expect(instrumentation.carriesMessageIds).toBe(true));
    await socket.emitWithAck('chat', 'healthy');

    tunnel.blackhole();
    const disconnects: string[] = [];
    socket.on('disconnect', (reason) => disconnects.push(reason));
    socket.emit('chat', 'into the hole', () => {});
    await eventually(() => expect(disconnects).toEqual(['ping timeout']), 5_000);
    await sleep(300);
    tunnel.restore();
    await eventually(() => expect(socket.connected).toBe(true), 5_000);

    let events: Event[] = [];
    await eventually(async () => {
      events = (await timeline('session_id=sio-blackhole')).events;
      expect(named(events, 'conn.open').filter((e) => e.downtime_ms !== undefined)).toHaveLength(1);
      expect(named(events, 'msg.dropped')).toHaveLength(1);
      expect(named(events, 'conn.close', 'server').length).toBeGreaterThanOrEqual(1);
    });
    expect(named(events, 'conn.heartbeat.missed')).toHaveLength(1);
    expect(named(events, 'conn.close')[0]).toMatchObject({ close_code: 1006, close_reason: 'ping timeout', close_abnormal: true, missed_count: 1 });
    expect(named(events, 'msg.dropped')[0]).toMatchObject({ drop_reason: 'connection_lost' });
    // The server missed the client's pongs too (or saw the transport go); either way an abnormal drop.
    expect(named(events, 'conn.close', 'server')[0]).toMatchObject({ close_code: 1006 });
    expect(named(events, 'conn.reconnect.scheduled').length).toBeGreaterThanOrEqual(1);
  });

  it('connection state recovery after a black-holed network: both sides report the resume, missed emits arrive, the emit made while away is replayed and acked', async () => {
    const t = trackers('sio-recovery');
    const server = await startAppServer(t.server, 0, { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } });
    const tunnel = await TcpTunnel.start(server.port);
    tunnels.push(tunnel);
    const { socket, instrumentation } = startClient(tunnel.port, t.client);
    const news: unknown[] = [];
    socket.on('news', (text: unknown) => news.push(text));
    await eventually(() => expect(instrumentation.carriesMessageIds).toBe(true));
    const first = server.sockets[0]!;
    // Socket.IO recovers from the offset of the last event the client got, so it needs one.
    first.emit('news', 'before');
    await eventually(() => expect(news).toEqual(['before']));
    await socket.emitWithAck('chat', 'before');

    const serverSawDrop = new Promise<string>((resolve) => first.once('disconnect', resolve));
    tunnel.blackhole();
    socket.emit('chat', 'into the hole', () => {});
    await eventually(() => expect(socket.connected).toBe(false), 5_000);
    // Only once the server has dropped the socket does it keep the session for recovery.
    expect(await serverSawDrop).toMatch(/ping timeout|transport close/);
    // Missed while away: the server keeps them for the session and sends them when it is recovered.
    server.io.to(first.id).emit('news', 'missed 1');
    server.io.to(first.id).emit('news', 'missed 2');
    const away = socket.emitWithAck('chat', 'while away');
    tunnel.restore();
    await expect(away).resolves.toEqual({ ok: true, echo: 'while away' });

    expect(socket.recovered).toBe(true);
    expect(server.sockets.at(-1)!.id).toBe(first.id);
    expect(news).toEqual(['before', 'missed 1', 'missed 2']);

    let bySession: Timeline = { events: [], messages: [] };
    await eventually(async () => {
      bySession = await timeline('session_id=sio-recovery');
      expect(named(bySession.events, 'session.resume')).toHaveLength(1);
      expect(named(bySession.events, 'msg.acked')).toHaveLength(2);
      expect(named(bySession.events, 'msg.dropped')).toHaveLength(1);
    });
    const events = bySession.events;
    // Both sides say the session was resumed, on the connection that recovered it (the first connection was no resume).
    const reopened = named(events, 'conn.open').filter((e) => e.downtime_ms !== undefined);
    expect(reopened).toHaveLength(1);
    expect(named(events, 'session.resume')[0]).toMatchObject({ resume_outcome: 'ok', connection_id: reopened[0]!.connection_id });
    // On a busy machine an attempt can time out after the server accepted it: that one is recovered (and closed) too.
    const serverResumes = named(events, 'session.resume', 'server');
    expect(serverResumes.map((e) => e.resume_outcome)).toEqual(serverResumes.map(() => 'ok'));
    expect(serverResumes.map((e) => e.connection_id)).toContain(reopened[0]!.connection_id);

    // The verdicts: delivered before, lost in the hole (Socket.IO does not resend it, recovery or not), replayed after.
    const verdicts = new Map(bySession.messages.map((m) => [m.message_id, m]));
    const [before, afterwards] = named(events, 'msg.acked');
    expect(verdicts.get(before!.message_id)).toMatchObject({ verdict: 'delivered' });
    expect(verdicts.get(named(events, 'msg.dropped')[0]!.message_id)).toMatchObject({ verdict: 'dropped', drop_reason: 'connection_lost' });
    expect(verdicts.get(afterwards!.message_id)).toMatchObject({ verdict: 'replayed' });
    const journey = await timeline(`message_id=${afterwards!.message_id}`);
    const mine = journey.events.filter((e) => e.message_id === afterwards!.message_id);
    expect(mine.filter((e) => e.role !== 'server').map((e) => e.event)).toEqual(['msg.queued', 'msg.replayed', 'msg.acked']);
    expect(named(mine, 'msg.received', 'server')).toHaveLength(1);
    // The message lookup shows the connection events of its session, the resume among them.
    expect(named(journey.events, 'session.resume')).toHaveLength(1);
  });

  it('a recovery the server cannot grant (it restarted, its sessions gone) is a failed resume on both sides', async () => {
    const t = trackers('sio-recovery-failed');
    const recovery = { connectionStateRecovery: { maxDisconnectionDuration: 60_000 } };
    const first = await startAppServer(t.server, 0, recovery);
    const { socket, instrumentation } = startClient(first.port, t.client);
    const news: unknown[] = [];
    socket.on('news', (text: unknown) => news.push(text));
    await eventually(() => expect(instrumentation.carriesMessageIds).toBe(true));
    // An offset to recover from, so the client asks for recovery.
    first.sockets[0]!.emit('news', 'before');
    await eventually(() => expect(news).toEqual(['before']));

    await stop(first);
    await eventually(() => expect(socket.connected).toBe(false));
    await startAppServer(t.server, first.port, recovery);
    await eventually(() => expect(socket.connected).toBe(true));
    expect(socket.recovered).toBe(false);

    let events: Event[] = [];
    await eventually(async () => {
      events = (await timeline('session_id=sio-recovery-failed')).events;
      expect(named(events, 'session.resume')).toHaveLength(1);
      expect(named(events, 'session.resume', 'server').length).toBeGreaterThanOrEqual(1);
    });
    const reopened = named(events, 'conn.open').filter((e) => e.downtime_ms !== undefined);
    expect(reopened).toHaveLength(1);
    expect(named(events, 'session.resume')[0]).toMatchObject({ resume_outcome: 'failed', connection_id: reopened[0]!.connection_id });
    // On a busy machine an attempt can time out after the server accepted it: every one the server saw was refused recovery.
    const serverResumes = named(events, 'session.resume', 'server');
    expect(serverResumes.map((e) => e.resume_outcome)).toEqual(serverResumes.map(() => 'failed'));
    expect(serverResumes.map((e) => e.connection_id)).toContain(reopened[0]!.connection_id);
  });

  it("socket.io-client's retries: a re-send after an ack timeout is a retry of the same message, after a reconnect a replay; emits behind it are queued; one never acked is dropped when the retries run out", async () => {
    const t = trackers('sio-retries');
    const server = await startAppServer(t.server);
    // A generous ack timeout: the first copy of "flaky" goes unanswered on purpose, the second is answered at once.
    const { socket, instrumentation } = startClient(server.port, t.client, { retries: 3, ackTimeout: 1_000 });
    await eventually(() => expect(instrumentation.carriesMessageIds).toBe(true));

    // Socket.IO sends one packet of its retry queue at a time: "behind" waits until "flaky" is acked.
    const flaky = socket.emitWithAck('flaky', 'f1');
    const behind = socket.emitWithAck('chat', 'behind');
    await expect(flaky).resolves.toBe('ok');
    await expect(behind).resolves.toEqual({ ok: true, echo: 'behind' });
    await expect(socket.timeout(100).emitWithAck('hold', 'h1')).rejects.toThrow('operation has timed out');
    await eventually(() => expect(server.seen.get('hold')).toHaveLength(4));
    // In flight when the connection breaks: Socket.IO writes it again on the next connection.
    const replayed = socket.emitWithAck('flaky', 'f2');
    await eventually(() => expect(server.seen.get('flaky')?.filter((copy) => copy[0] === 'f2')).toHaveLength(1));
    server.sockets.at(-1)!.conn.close();
    await expect(replayed).resolves.toBe('ok');

    let events: Event[] = [];
    await eventually(async () => {
      events = (await timeline('session_id=sio-retries')).events;
      expect(named(events, 'msg.acked')).toHaveLength(3);
      expect(named(events, 'msg.dropped')).toHaveLength(1);
    });
    const journeyOf = async (channel: string, nth = 0) => {
      const id = named(events, 'msg.sent').filter((e) => e.channel === channel)[nth]!.message_id;
      const journey = await timeline(`message_id=${id}`);
      const mine = journey.events.filter((e) => e.message_id === id);
      return { id, mine, client: mine.filter((e) => e.role !== 'server'), verdict: journey.messages.find((m) => m.message_id === id) };
    };

    // Written, unanswered, written again after the ack timeout on the same connection: msg.retried, attempt 2, then acked
    // (a stalled machine may let one more ack timeout pass first).
    const f1 = await journeyOf('flaky');
    const writes = f1.client.slice(0, -1);
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.map((e) => `${e.event}:${e.attempt}`)).toEqual(writes.map((_, i) => (i === 0 ? 'msg.sent:1' : `msg.retried:${i + 1}`)));
    expect(f1.client.at(-1)).toMatchObject({ event: 'msg.acked', attempt: writes.length, latency_ms: expect.any(Number) });
    expect(f1.client.at(-1)!.latency_ms).toBeGreaterThanOrEqual(900);
    // Each copy carried the same id to the server.
    expect(named(f1.mine, 'msg.received', 'server')).toHaveLength(writes.length);
    // Delivered, late or not: it took the ack timeout plus a round trip, about the timeline's default late_ms.
    expect(f1.verdict).toMatchObject({ verdict: expect.stringMatching(/^delivered/), resends: writes.length - 1 });

    // Held in Socket.IO's queue, then written once.
    const queued = named(events, 'msg.queued');
    expect(queued).toHaveLength(1);
    const b = await journeyOf('chat');
    expect(b.id).toBe(queued[0]!.message_id);
    expect(b.client.map((e) => e.event)).toEqual(['msg.queued', 'msg.sent', 'msg.acked']);
    expect(b.verdict).toMatchObject({ verdict: 'delivered' });

    // Four writes (the first and 3 retries), then Socket.IO gives up.
    const h1 = await journeyOf('hold');
    expect(h1.client.map((e) => `${e.event}:${e.attempt}`)).toEqual(['msg.sent:1', 'msg.retried:2', 'msg.retried:3', 'msg.retried:4', 'msg.dropped:4']);
    expect(h1.verdict).toMatchObject({ verdict: 'dropped', drop_reason: 'attempts_exhausted', resends: 3 });

    // Written again on the new connection: a replay, not a retry; no loss reported at the break.
    const f2 = await journeyOf('flaky', 1);
    expect(f2.client.map((e) => `${e.event}:${e.attempt}`)).toEqual(['msg.sent:1', 'msg.replayed:2', 'msg.acked:2']);
    expect(f2.client[1]!.connection_id).not.toBe(f2.client[0]!.connection_id);
    expect(f2.verdict).toMatchObject({ verdict: 'replayed', resends: 1 });
  });

  it('retries: 0 is no retry queue: an emit in flight when the connection breaks is lost at once', async () => {
    const t = trackers('sio-retries-off');
    const server = await startAppServer(t.server);
    const { socket, instrumentation } = startClient(server.port, t.client, { retries: 0 });
    await eventually(() => expect(instrumentation.carriesMessageIds).toBe(true));
    socket.emit('hold', 'in flight', () => {});
    await eventually(() => expect(server.seen.get('hold')).toHaveLength(1));
    server.sockets[0]!.conn.close();

    let events: Event[] = [];
    await eventually(async () => {
      events = (await timeline('session_id=sio-retries-off')).events;
      expect(named(events, 'msg.dropped')).toHaveLength(1);
    });
    expect(named(events, 'msg.dropped')[0]).toMatchObject({ drop_reason: 'connection_lost', message_id: named(events, 'msg.sent')[0]!.message_id });
  });

  it('an ack that times out is dropped with its reason, by message id', async () => {
    const t = trackers('sio-timeout');
    const server = await startAppServer(t.server);
    const { socket, instrumentation } = startClient(server.port, t.client);
    await eventually(() => expect(instrumentation.carriesMessageIds).toBe(true));

    const errors: unknown[] = [];
    socket.timeout(150).emit('hold', 'never answered', (error: unknown) => errors.push(error));
    await expect(socket.timeout(150).emitWithAck('hold', 'nor this')).rejects.toThrow('operation has timed out');
    await eventually(() => expect(errors).toHaveLength(1));
    expect(server.seen.get('hold')?.map((args) => args.slice(0, -1))).toEqual([['never answered'], ['nor this']]);

    let events: Event[] = [];
    await eventually(async () => {
      events = (await timeline('session_id=sio-timeout')).events;
      expect(named(events, 'msg.dropped')).toHaveLength(2);
    });
    for (const dropped of named(events, 'msg.dropped')) {
      expect(dropped.drop_reason).toBe('attempts_exhausted');
      const journey = await timeline(`message_id=${dropped.message_id}`);
      expect(journey.events.filter((e) => e.message_id === dropped.message_id).map((e) => `${e.role}:${e.event}`)).toEqual(
        expect.arrayContaining(['client:msg.sent', 'server:msg.received', 'client:msg.dropped']),
      );
      expect(journey.messages.find((m) => m.message_id === dropped.message_id)).toMatchObject({ verdict: 'dropped', drop_reason: 'attempts_exhausted' });
    }
  });
});
