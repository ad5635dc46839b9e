import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResilientServer } from '../../src/server/resilient-server.js';
import type { InboundMessage } from '../../src/server/resilient-server-events.js';
import type { ResilientServerOptions } from '../../src/server/resilient-server-options.js';
import { RecordingTracker, type RecordingConnectionHandle } from '../client/recording-tracker.js';
import { RawClient } from './raw-client.js';

const servers: ResilientServer[] = [];
const clients: RawClient[] = [];

async function startServer(options: ResilientServerOptions = {}) {
  const tracker = new RecordingTracker('server-tracker');
  const server = new ResilientServer({ tracker, serverAddress: 'test-server', ...options });
  servers.push(server);
  await server.start();
  const port = server.port;
  if (port === undefined) throw new Error('no port');
  const inbound: InboundMessage[] = [];
  server.on('message', (message) => inbound.push(message));
  /** The recording handle of a session (one per session). */
  const handleOf = (sid: string): RecordingConnectionHandle => {
    const handle = tracker.forSession(sid)[0];
    if (handle === undefined) throw new Error(`no handle for ${sid}`);
    return handle;
  };
  return { server, port, tracker, inbound, handleOf };
}

async function hello(port: number, sid: string, lastSeq = 0) {
  const result = await RawClient.hello(port, sid, lastSeq);
  clients.push(result.client);
  return result;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('ResilientServer', () => {
  it('rejects bad options with a RangeError', () => {
    expect(() => new ResilientServer({ maxOutboxSize: 0 })).toThrow(RangeError);
    expect(() => new ResilientServer({ port: 70_000 })).toThrow(/port/);
    expect(() => new ResilientServer({ outboxTtlMillis: 1.5 })).toThrow(RangeError);
  });

  it('welcomes a new session and reports it opened (no resume)', async () => {
    const { port, handleOf, server } = await startServer();
    const { answer } = await hello(port, 'sess-a');
    expect(answer).toEqual({ t: 'welcome', sid: 'sess-a', replay: 0 });
    const handle = handleOf('sess-a');
    expect(handle.options).toMatchObject({ serverAddress: 'test-server', sessionId: 'sess-a' });
    expect(handle.methods()).toEqual(['opening', 'opened']);
    expect(server.sessionCount).toBe(1);
    expect(server.connectionCount).toBe(1);
  });

  it('delivers client messages once, acks every copy', async () => {
    const { port, inbound, handleOf } = await startServer();
    const { client } = await hello(port, 'sess-b');
    client.send({ t: 'msg', id: 'm1', body: { n: 1 }, ch: 'chat' });
    await client.next((f) => f['t'] === 'ack' && f['id'] === 'm1');
    client.send({ t: 'msg', id: 'm1', body: { n: 1 }, ch: 'chat' });
    client.send({ t: 'msg', id: 'm2', body: null });
    await client.next((f) => f['t'] === 'ack' && f['id'] === 'm2');
    expect(client.framesOf('ack')).toEqual([
      { t: 'ack', id: 'm1' },
      { t: 'ack', id: 'm1' },
      { t: 'ack', id: 'm2' },
    ]);
    expect(inbound).toEqual([
      { sessionId: 'sess-b', id: 'm1', body: { n: 1 }, channel: 'chat' },
      { sessionId: 'sess-b', id: 'm2', body: null },
    ]);
    const handle = handleOf('sess-b');
    expect(handle.callsOf('received').map((a) => a[0])).toEqual(['m1', 'm2']);
    expect(handle.callsOf('duplicate')).toEqual([['m1', { channel: 'chat' }]]);
  });

  it('de-duplicates across reconnects of the same session', async () => {
    const { port, inbound } = await startServer();
    const first = await hello(port, 'sess-dd');
    first.client.send({ t: 'msg', id: 'once', body: 1 });
    await first.client.next((f) => f['id'] === 'once');
    first.client.terminate();
    const second = await hello(port, 'sess-dd');
    second.client.send({ t: 'msg', id: 'once', body: 1 });
    await second.client.next((f) => f['t'] === 'ack' && f['id'] === 'once');
    expect(inbound.map((m) => m.id)).toEqual(['once']);
  });

  it('numbers outbound messages per session and reports sent/acked on cumulative acks', async () => {
    const { server, port, handleOf } = await startServer();
    const { client } = await hello(port, 'sess-c');
    const ids = [1, 2, 3].map((n) => server.send('sess-c', { n }, { channel: 'feed' }));
    expect(server.send('nobody', 'x')).toBeUndefined();
    await client.next((f) => f['t'] === 'msg' && f['seq'] === 3);
    expect(client.framesOf('msg')).toEqual([1, 2, 3].map((n, i) => ({ t: 'msg', seq: n, id: ids[i], body: { n }, ch: 'feed' })));
    client.send({ t: 'ack', seq: 2 });
    const handle = handleOf('sess-c');
    await vi.waitFor(() => expect(handle.callsOf('msg.acked')).toHaveLength(2));
    expect(handle.journey(ids[0] as string)).toEqual(['msg.sent', 'msg.acked']);
    expect(handle.journey(ids[2] as string)).toEqual(['msg.sent']);
    expect(handle.callsOf('message')[0]?.[1]).toMatchObject({ seq: 1, channel: 'feed' });
  });

  it('resumes: replays what the client missed, in order, and reports it', async () => {
    const { server, port, handleOf } = await startServer();
    const first = await hello(port, 'sess-r');
    server.send('sess-r', 'one');
    server.send('sess-r', 'two');
    await first.client.next((f) => f['seq'] === 2);
    first.client.send({ t: 'ack', seq: 1 });
    first.client.terminate();
    await vi.waitFor(() => expect(server.connectionCount).toBe(0));
    const queuedId = server.send('sess-r', 'three');

    const second = await hello(port, 'sess-r', 1);
    expect(second.answer).toEqual({ t: 'welcome', sid: 'sess-r', replay: 2 });
    await second.client.next((f) => f['seq'] === 3);
    expect(second.client.framesOf('msg').map((f) => f['body'])).toEqual(['two', 'three']);
    const handle = handleOf('sess-r');
    expect(handle.firstArgs('resumed')).toEqual([{ lastSeq: 1, replayed: 2, ok: true }]);
    expect(handle.journey(queuedId as string)).toEqual(['msg.queued', 'msg.replayed']);
    expect(handle.callsOf('closed')[0]?.[0]).toEqual({ code: 1006, reason: '', clean: false });
    expect(handle.firstArgs('opening')).toHaveLength(2);
  });

  it('resume fails when the outbox no longer holds what the client missed', async () => {
    const { server, port, handleOf } = await startServer({ maxOutboxSize: 2 });
    const first = await hello(port, 'sess-f');
    first.client.terminate();
    await vi.waitFor(() => expect(server.connectionCount).toBe(0));
    const ids = [1, 2, 3, 4].map((n) => server.send('sess-f', n) as string);
    const handle = handleOf('sess-f');
    expect(handle.callsOf('msg.dropped')).toEqual([
      [ids[0], 'outbox_full'],
      [ids[1], 'outbox_full'],
    ]);
    const second = await hello(port, 'sess-f', 0);
    expect(second.answer).toEqual({ t: 'resume-failed', sid: 'sess-f', seq: 4 });
    expect(handle.firstArgs('resumed')).toEqual([{ lastSeq: 0, replayed: 0, ok: false }]);
    expect(handle.callsOf('msg.dropped').slice(2)).toEqual([
      [ids[2], 'resume_failed'],
      [ids[3], 'resume_failed'],
    ]);
    server.send('sess-f', 'after');
    await second.client.next((f) => f['t'] === 'msg' && f['seq'] === 5);
  });

  it('an unknown session asking to resume gets resume-failed from 0', async () => {
    const { port } = await startServer();
    const { answer } = await hello(port, 'sess-lost', 42);
    expect(answer).toEqual({ t: 'resume-failed', sid: 'sess-lost', seq: 0 });
  });

  it('answers pings, ignores malformed and binary frames', async () => {
    const { port, inbound } = await startServer();
    const client = await RawClient.connect(port);
    clients.push(client);
    client.send({ t: 'ping', n: 7 });
    await client.next((f) => f['t'] === 'pong');
    for (const junk of ['junk', '{"t":"msg","id":"x"}', '{"t":"msg","id":"early","body":1}', '[]']) client.send(junk);
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    client.send({ t: 'hello', sid: 'sess-p', lastSeq: 0 });
    client.send({ t: 'hello', sid: 'sess-other', lastSeq: 0 });
    client.send({ t: 'ping', n: 8 });
    await client.next((f) => f['t'] === 'pong' && f['n'] === 8);
    expect(client.framesOf('pong')).toEqual([
      { t: 'pong', n: 7 },
      { t: 'pong', n: 8 },
    ]);
    expect(client.framesOf('welcome')).toEqual([{ t: 'welcome', sid: 'sess-p', replay: 0 }]);
    expect(inbound).toEqual([]);
  });

  it('refuses connections with 1013 when overloaded or beyond maxConnections', async () => {
    const { server, port } = await startServer({ maxConnections: 1 });
    await hello(port, 'sess-1');
    const refused = await RawClient.connect(port);
    expect(await refused.closed()).toEqual({ code: 1013, reason: 'try again later' });
    expect(server.isOverloaded).toBe(true);

    const { server: other, port: otherPort } = await startServer();
    other.setOverloaded(true);
    const alsoRefused = await RawClient.connect(otherPort);
    expect((await alsoRefused.closed()).code).toBe(1013);
    other.setOverloaded(false);
    const { answer } = await hello(otherPort, 'sess-2');
    expect(answer['t']).toBe('welcome');
  });

  it('graceful close: every client gets 1001, reported with the server as initiator', async () => {
    const { server, port, handleOf } = await startServer();
    const a = await hello(port, 'sess-g1');
    const b = await hello(port, 'sess-g2');
    const closing = server.close();
    expect(await a.client.closed()).toEqual({ code: 1001, reason: 'server shutting down' });
    expect((await b.client.closed()).code).toBe(1001);
    await closing;
    expect(handleOf('sess-g1').callsOf('closed')).toEqual([[{ code: 1001, reason: 'server shutting down', clean: true, initiator: 'server' }]]);
    expect(handleOf('sess-g1').methods().at(-1)).toBe('dispose');
    await expect(RawClient.connect(port)).rejects.toThrow();
  });

  it('closes a connection that never says hello (4003)', async () => {
    const { port } = await startServer({ helloTimeoutMillis: 50 });
    const client = await RawClient.connect(port);
    expect(await client.closed()).toEqual({ code: 4003, reason: 'hello timeout' });
  });

  it('drops idle connections (4006) and lets the session live on', async () => {
    const { port, handleOf, server } = await startServer({ idleTimeoutMillis: 100, sweepIntervalMillis: 20 });
    const { client } = await hello(port, 'sess-idle');
    expect((await client.closed()).code).toBe(1006);
    await vi.waitFor(() => expect(handleOf('sess-idle').callsOf('closed')).toHaveLength(1));
    expect(handleOf('sess-idle').firstArgs('closed')).toEqual([{ code: 4006, reason: 'idle timeout', clean: false, initiator: 'server' }]);
    expect(server.sessionCount).toBe(1);
  });

  it('a newer connection of the same session takes over (4002 to the old one)', async () => {
    const { port, handleOf, server } = await startServer();
    const first = await hello(port, 'sess-t');
    const second = await hello(port, 'sess-t');
    expect(await first.client.closed()).toEqual({ code: 4002, reason: 'session taken over' });
    const handle = handleOf('sess-t');
    expect(handle.methods().filter((m) => ['opening', 'opened', 'closed'].includes(m))).toEqual(['opening', 'opened', 'closed', 'opening', 'opened']);
    server.send('sess-t', 'to the new one');
    await second.client.next((f) => f['t'] === 'msg');
  });

  it('expires outbox messages by TTL and idle sessions by session TTL', async () => {
    const { server, port, handleOf } = await startServer({ outboxTtlMillis: 60, sessionTtlMillis: 150, sweepIntervalMillis: 20 });
    const expired: string[] = [];
    server.on('session-expired', (e) => expired.push(e.sessionId));
    const { client } = await hello(port, 'sess-x');
    client.terminate();
    await vi.waitFor(() => expect(server.connectionCount).toBe(0));
    const id = server.send('sess-x', 'stale') as string;
    const handle = handleOf('sess-x');
    await vi.waitFor(() => expect(handle.callsOf('msg.dropped')).toEqual([[id, 'ttl_expired']]));
    await vi.waitFor(() => expect(expired).toEqual(['sess-x']));
    expect(server.sessionCount).toBe(0);
    expect(server.send('sess-x', 'gone')).toBeUndefined();
    expect(handle.methods().at(-1)).toBe('dispose');
  });

  it('broadcasts to every accepted session, connected or not', async () => {
    const { server, port } = await startServer();
    const a = await hello(port, 'room-a');
    const b = await hello(port, 'room-b');
    await hello(port, 'other');
    b.client.terminate();
    await vi.waitFor(() => expect(server.connectionCount).toBe(2));
    expect(server.broadcast({ hi: true }, (sid) => sid.startsWith('room-'))).toBe(2);
    await a.client.next((f) => f['t'] === 'msg');
    const resumed = await hello(port, 'room-b', 0);
    expect(resumed.answer).toEqual({ t: 'welcome', sid: 'room-b', replay: 1 });
    await resumed.client.next((f) => f['t'] === 'msg' && f['seq'] === 1);
  });

  it('a throwing app handler neither crashes the server nor loses the ack', async () => {
    const { server, port } = await startServer();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    server.on('message', () => {
      throw new Error('app bug');
    });
    const { client } = await hello(port, 'sess-e');
    client.send({ t: 'msg', id: 'boom', body: 1 });
    await client.next((f) => f['t'] === 'ack' && f['id'] === 'boom');
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });
});
