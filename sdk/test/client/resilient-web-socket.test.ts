import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientWebSocket } from '../../src/client/resilient-web-socket.js';
import type { ResilientWebSocketEventMap } from '../../src/client/resilient-web-socket-events.js';
import type { ResilientWebSocketOptions } from '../../src/client/resilient-web-socket-options.js';
import { FakeWebSocket } from './fake-web-socket.js';
import { RecordingTracker } from './recording-tracker.js';

const URL = 'ws://example.test/socket';

/** A client on FakeWebSocket; Math.random is pinned to 0.5, so its base delay is 300 ms and jitter is 0. */
function makeClient(options: ResilientWebSocketOptions = {}) {
  const tracker = new RecordingTracker();
  const client = new ResilientWebSocket(URL, { WebSocket: FakeWebSocket, tracker, ...options });
  return { client, tracker, handle: tracker.only() };
}

/** Collects the payloads of one client event. */
function collect<K extends keyof ResilientWebSocketEventMap>(client: ResilientWebSocket, event: K): ResilientWebSocketEventMap[K][] {
  const seen: ResilientWebSocketEventMap[K][] = [];
  client.on(event, (payload) => seen.push(payload));
  return seen;
}

function serverMessage(seq: number, body: unknown = `m${seq}`) {
  return { t: 'msg', seq, id: `s-${seq}`, body };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('ResilientWebSocket: options', () => {
  it('throws a RangeError for an explicit bad value, naming the option', () => {
    const bad: ResilientWebSocketOptions[] = [
      { maxDelayMillis: -1 },
      { jitterRatio: 2 },
      { maxRetries: 1.5 },
      { heartbeatIntervalMillis: Number.NaN },
      { maxQueueSize: -1 },
      { maxSendAttempts: 0 },
      { minInitialDelayMillis: 600, maxInitialDelayMillis: 500 },
      { sessionId: '' },
    ];
    for (const options of bad) {
      expect(() => new ResilientWebSocket(URL, { WebSocket: FakeWebSocket, ...options })).toThrow(RangeError);
    }
    expect(() => new ResilientWebSocket(URL, { WebSocket: FakeWebSocket, maxDelayMillis: -1 })).toThrow(/maxDelayMillis/);
    expect(() => new ResilientWebSocket('not a url', { WebSocket: FakeWebSocket })).toThrow(RangeError);
    expect(() => new ResilientWebSocket('ftp://example.test', { WebSocket: FakeWebSocket })).toThrow(RangeError);
    expect(FakeWebSocket.instances).toHaveLength(0);
  });

  it('throws a TypeError when no WebSocket class exists', () => {
    vi.stubGlobal('WebSocket', undefined);
    expect(() => new ResilientWebSocket(URL)).toThrow(TypeError);
  });

  it('clamps a bad combination that comes from a default instead of throwing', () => {
    const { client } = makeClient({ maxDelayMillis: 200 });
    FakeWebSocket.last().fail();
    expect(client.state).toBe('reconnecting');
  });

  it('uses the tracker session id, server.address from the URL, and works without a tracker', () => {
    const { client, handle } = makeClient();
    expect(client.sessionId).toBe('session-under-test');
    expect(handle.options).toMatchObject({ sessionId: 'session-under-test', serverAddress: 'example.test' });
    const bare = new ResilientWebSocket(URL, { WebSocket: FakeWebSocket });
    FakeWebSocket.last().accept();
    expect(bare.state).toBe('open');
    expect(bare.sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('ResilientWebSocket: state machine and backoff', () => {
  it('connects, says hello and opens on the welcome', () => {
    const { client, handle } = makeClient();
    expect(client.state).toBe('connecting');
    expect(client.readyState).toBe(0);
    const socket = FakeWebSocket.last();
    socket.open();
    expect(socket.framesOf('hello')).toEqual([{ t: 'hello', sid: 'session-under-test', lastSeq: 0 }]);
    expect(client.state).toBe('connecting');
    socket.receive({ t: 'welcome', sid: 'session-under-test', replay: 0 });
    expect(client.state).toBe('open');
    expect(client.readyState).toBe(1);
    expect(handle.methods()).toEqual(['opening', 'stateChanged', 'opened']);
    expect(handle.firstArgs('opening')).toEqual([1]);
    expect(handle.transitions()).toEqual(['connecting->open']);
  });

  it('after a drop: reconnecting, a jittered delay, a new socket, then resume', () => {
    const { client, handle } = makeClient();
    const states = collect(client, 'state');
    const first = FakeWebSocket.last();
    first.accept();
    first.receive(serverMessage(1));
    first.receive(serverMessage(2));
    first.serverClose(1006);

    expect(client.state).toBe('reconnecting');
    expect(handle.callsOf('closed')).toEqual([[{ code: 1006, reason: '', clean: false }]]);
    expect(handle.firstArgs('reconnectScheduled')).toEqual([{ attempt: 1, delayMs: 300, jitterMs: 0 }]);
    vi.advanceTimersByTime(299);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);

    const second = FakeWebSocket.last();
    second.open();
    expect(second.framesOf('hello')).toEqual([{ t: 'hello', sid: 'session-under-test', lastSeq: 2 }]);
    second.receive({ t: 'welcome', sid: 'session-under-test', replay: 1 });
    second.receive(serverMessage(3));
    expect(client.state).toBe('open');
    expect(client.lastSeq).toBe(3);
    expect(handle.firstArgs('resumed')).toEqual([{ lastSeq: 2, replayed: 1, ok: true }]);
    expect(handle.firstArgs('opening')).toEqual([1, 1]);
    expect(handle.transitions()).toEqual(['connecting->open', 'open->reconnecting', 'reconnecting->open']);
    expect(states.map((s) => `${s.from}->${s.to}`)).toEqual(handle.transitions());
  });

  it('server close codes are reported with the server as initiator', () => {
    const { handle } = makeClient();
    const socket = FakeWebSocket.last();
    socket.accept();
    socket.serverClose(1011, 'oops', true);
    expect(handle.firstArgs('closed')).toEqual([{ code: 1011, reason: 'oops', clean: true, initiator: 'server' }]);
  });

  it('doubles the delay per failed attempt, then gives up and stays closed until reconnect()', () => {
    const { client, handle } = makeClient({ maxRetries: 3 });
    for (const expected of [300, 600, 1200]) {
      FakeWebSocket.last().fail();
      const scheduled = handle.firstArgs<{ delayMs: number }>('reconnectScheduled').at(-1);
      expect(scheduled?.delayMs).toBe(expected);
      vi.advanceTimersByTime(expected);
    }
    expect(client.retryCount).toBe(3);
    expect(handle.firstArgs('opening')).toEqual([1, 2, 3, 4]);
    expect(handle.callsOf('error')[0]).toEqual(['ECONNREFUSED', 'connect ECONNREFUSED']);
    FakeWebSocket.last().fail();

    expect(client.state).toBe('closed');
    expect(client.gaveUp).toBe(true);
    expect(client.closedReason).toBe('gave_up');
    expect(handle.firstArgs('gaveUp')).toEqual([3]);
    vi.advanceTimersByTime(600_000);
    expect(FakeWebSocket.instances).toHaveLength(4);

    client.reconnect();
    expect(FakeWebSocket.instances).toHaveLength(5);
    expect(client.state).toBe('connecting');
    expect(client.gaveUp).toBe(false);
    expect(client.retryCount).toBe(0);
    FakeWebSocket.last().accept();
    expect(client.state).toBe('open');
    expect(handle.transitions()).toEqual(['connecting->reconnecting', 'reconnecting->closed', 'closed->connecting', 'connecting->open']);
  });

  it('resets the retry counter once a connection stays up for stableAfterMillis', () => {
    const { client } = makeClient({ stableAfterMillis: 1_000 });
    FakeWebSocket.last().fail();
    vi.advanceTimersByTime(300);
    FakeWebSocket.last().fail();
    vi.advanceTimersByTime(600);
    expect(client.retryCount).toBe(2);
    FakeWebSocket.last().accept();
    vi.advanceTimersByTime(999);
    expect(client.retryCount).toBe(2);
    vi.advanceTimersByTime(1);
    expect(client.retryCount).toBe(0);
  });

  it('times out a handshake that never completes', () => {
    const { client, handle } = makeClient({ connectTimeoutMillis: 1_000 });
    const socket = FakeWebSocket.last();
    vi.advanceTimersByTime(1_000);
    expect(handle.callsOf('error')[0]?.[0]).toBe('TimeoutError');
    expect(socket.closeCalls[0]).toEqual({ code: 4004, reason: 'connect timeout' });
    expect(handle.firstArgs('closed')).toEqual([{ code: 4004, reason: 'connect timeout', clean: false, initiator: 'client', failure: 'timeout', errorType: 'TimeoutError' }]);
    expect(client.state).toBe('reconnecting');
    vi.advanceTimersByTime(300);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('survives a WebSocket constructor that throws', () => {
    let calls = 0;
    class Throwing extends FakeWebSocket {
      constructor(url: string) {
        calls += 1;
        if (calls === 1) throw new SyntaxError('bad');
        super(url);
      }
    }
    const tracker = new RecordingTracker();
    const client = new ResilientWebSocket(URL, { WebSocket: Throwing, tracker });
    expect(client.state).toBe('reconnecting');
    expect(tracker.only().callsOf('error')[0]).toEqual(['SyntaxError', 'bad']);
    vi.advanceTimersByTime(300);
    FakeWebSocket.last().accept();
    expect(client.state).toBe('open');
  });
});

describe('ResilientWebSocket: close codes', () => {
  /** Fails `n` connection attempts, then opens one. */
  function failThenOpen(n: number): void {
    for (let i = 0; i < n; i++) {
      FakeWebSocket.last().fail();
      vi.runOnlyPendingTimers();
    }
    FakeWebSocket.last().accept();
  }

  it('1006 keeps counting attempts', () => {
    const { handle } = makeClient();
    failThenOpen(3);
    FakeWebSocket.last().serverClose(1006);
    expect(handle.firstArgs<{ attempt: number }>('reconnectScheduled').at(-1)?.attempt).toBe(4);
  });

  it('1001 (going away): resets attempts and reconnects promptly with a small jittered delay', () => {
    const { client, handle } = makeClient();
    failThenOpen(3);
    FakeWebSocket.last().serverClose(1001, 'server shutting down');
    const last = handle.firstArgs<{ attempt: number; delayMs: number }>('reconnectScheduled').at(-1);
    expect(last).toEqual({ attempt: 1, delayMs: 300, jitterMs: 0 });
    expect(client.retryCount).toBe(1);
    const before = FakeWebSocket.instances.length;
    vi.advanceTimersByTime(300);
    expect(FakeWebSocket.instances).toHaveLength(before + 1);
  });

  it('1001 delays stay within [min/2, 1.5 max] of the initial range whatever the random draw', () => {
    for (const r of [0, 0.999]) {
      vi.mocked(Math.random).mockReturnValue(r);
      const { handle } = makeClient();
      failThenOpen(5);
      FakeWebSocket.last().serverClose(1001);
      const delay = handle.firstArgs<{ delayMs: number }>('reconnectScheduled').at(-1)?.delayMs ?? -1;
      expect(delay).toBeGreaterThanOrEqual(50);
      expect(delay).toBeLessThanOrEqual(750);
    }
  });

  it('1013 (try again later): backs off longer, at least tryAgainLaterMinDelayMillis', () => {
    const { handle } = makeClient();
    FakeWebSocket.last().accept();
    FakeWebSocket.last().serverClose(1013, 'try again later');
    const delay = handle.firstArgs<{ delayMs: number }>('reconnectScheduled').at(-1)?.delayMs ?? 0;
    // nominal max(5000, 300 * 4) = 5000, jittered within [5000, 7500].
    expect(delay).toBe(6_250);
    vi.advanceTimersByTime(6_249);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.last().serverClose(1013);
    const second = handle.firstArgs<{ delayMs: number }>('reconnectScheduled').at(-1)?.delayMs ?? 0;
    expect(second).toBeGreaterThanOrEqual(5_000);
  });

  it('1008 (policy): no retry, closed, pending messages dropped as policy', () => {
    const { client, handle } = makeClient();
    const drops = collect(client, 'drop');
    FakeWebSocket.last().accept();
    const id = client.send('hello');
    FakeWebSocket.last().serverClose(1008, 'unauthorized');
    expect(client.state).toBe('closed');
    expect(client.closedReason).toBe('policy');
    expect(client.gaveUp).toBe(false);
    expect(handle.firstArgs('gaveUp')).toEqual([0]);
    expect(drops).toEqual([{ id, reason: 'policy' }]);
    expect(handle.journey(id)).toEqual(['msg.sent', 'msg.dropped']);
    vi.advanceTimersByTime(600_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(handle.callsOf('reconnectScheduled')).toHaveLength(0);
  });

  it('1000 from the server: closed, no reconnect', () => {
    const { client } = makeClient();
    FakeWebSocket.last().accept();
    FakeWebSocket.last().serverClose(1000);
    expect(client.state).toBe('closed');
    expect(client.closedReason).toBe('closed_by_server');
    vi.advanceTimersByTime(600_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('4000-4999: the shouldReconnect option decides (default: retry)', () => {
    const seen: Array<[number, string]> = [];
    const { client, handle } = makeClient({
      shouldReconnect: (code, reason) => {
        seen.push([code, reason]);
        return code !== 4401;
      },
    });
    FakeWebSocket.last().accept();
    FakeWebSocket.last().serverClose(4100, 'app restart');
    expect(client.state).toBe('reconnecting');
    vi.advanceTimersByTime(300);
    FakeWebSocket.last().accept();
    FakeWebSocket.last().serverClose(4401, 'token expired');
    expect(client.state).toBe('closed');
    expect(client.closedReason).toBe('rejected');
    expect(seen).toEqual([
      [4100, 'app restart'],
      [4401, 'token expired'],
    ]);
    expect(handle.callsOf('gaveUp')).toHaveLength(1);

    const { client: byDefault } = makeClient();
    FakeWebSocket.last().accept();
    FakeWebSocket.last().serverClose(4401);
    expect(byDefault.state).toBe('reconnecting');
  });

  it('4002 (session taken over by another client): stops instead of fighting back', () => {
    const { client, handle } = makeClient();
    FakeWebSocket.last().accept();
    FakeWebSocket.last().serverClose(4002, 'session taken over');
    expect(client.state).toBe('closed');
    expect(client.closedReason).toBe('taken_over');
    expect(handle.firstArgs('gaveUp')).toEqual([0]);
    vi.advanceTimersByTime(600_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('close() by the app: closed, closes with 1000, no reconnect; reconnect() replays what was queued', () => {
    const { client, handle } = makeClient();
    const socket = FakeWebSocket.last();
    socket.accept();
    client.close();
    expect(client.state).toBe('closed');
    expect(client.closedReason).toBe('closed_by_app');
    expect(socket.closeCalls).toEqual([{ code: 1000, reason: '' }]);
    expect(handle.firstArgs('closed')).toEqual([{ code: 1000, reason: '', initiator: 'client' }]);
    // Late events from the old socket are ignored.
    socket.serverClose(1000);
    const id = client.send('later');
    expect(client.queueSize).toBe(1);
    vi.advanceTimersByTime(60_000 - 1);
    expect(FakeWebSocket.instances).toHaveLength(1);
    client.reconnect();
    FakeWebSocket.last().accept();
    expect(FakeWebSocket.last().framesOf('msg').map((f) => f['id'])).toEqual([id]);
    expect(handle.journey(id)).toEqual(['msg.queued', 'msg.replayed']);
    client.close();
    client.close();
  });
});

describe('ResilientWebSocket: heartbeat', () => {
  const options = { heartbeatIntervalMillis: 1_000, pongTimeoutMillis: 200, maxMissedPongs: 2 };

  it('pings every interval and reports the round trip', () => {
    const { handle } = makeClient(options);
    const socket = FakeWebSocket.last();
    socket.accept();
    vi.advanceTimersByTime(1_000);
    expect(socket.framesOf('ping')).toEqual([{ t: 'ping', n: 1 }]);
    vi.advanceTimersByTime(40);
    socket.receive({ t: 'pong', n: 1 });
    expect(handle.firstArgs('heartbeat')).toEqual([40]);
    vi.advanceTimersByTime(1_000);
    expect(socket.framesOf('ping')).toHaveLength(2);
  });

  it('missed pongs: reports each, then closes the half-open socket with 4000 and reconnects', () => {
    const { client, handle } = makeClient(options);
    const socket = FakeWebSocket.last();
    socket.accept();
    vi.advanceTimersByTime(1_000);
    vi.advanceTimersByTime(200);
    expect(handle.firstArgs('heartbeatMissed')).toEqual([1]);
    // After a miss the next ping goes out at once.
    expect(socket.framesOf('ping')).toHaveLength(2);
    expect(client.state).toBe('open');
    vi.advanceTimersByTime(200);
    expect(handle.firstArgs('heartbeatMissed')).toEqual([1, 2]);
    expect(socket.closeCalls).toEqual([{ code: 4000, reason: 'heartbeat timeout' }]);
    expect(socket.terminated).toBe(true);
    // The misses that killed it mark the close as a zombie connection (tv.heartbeat.missed).
    expect(handle.firstArgs('closed')).toEqual([{ code: 4000, reason: 'heartbeat timeout', clean: false, initiator: 'client', heartbeatMissed: 2 }]);
    expect(client.state).toBe('reconnecting');
    vi.advanceTimersByTime(300);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('a pong in time resets the miss count', () => {
    const { handle } = makeClient(options);
    const socket = FakeWebSocket.last();
    socket.accept();
    const answerLatestPing = () => socket.receive({ t: 'pong', n: socket.framesOf('ping').at(-1)?.['n'] });
    // Each round: a ping, its pong missed, an immediate re-ping that is answered.
    vi.advanceTimersByTime(1_200);
    answerLatestPing();
    vi.advanceTimersByTime(1_200);
    answerLatestPing();
    vi.advanceTimersByTime(1_200);
    expect(handle.firstArgs('heartbeatMissed')).toEqual([1, 1, 1]);
    expect(socket.closeCalls).toEqual([]);
  });

  it('heartbeatIntervalMillis 0 turns heartbeats off', () => {
    makeClient({ heartbeatIntervalMillis: 0 });
    const socket = FakeWebSocket.last();
    socket.accept();
    vi.advanceTimersByTime(600_000);
    expect(socket.framesOf('ping')).toEqual([]);
  });
});

describe('ResilientWebSocket: acked sends', () => {
  it('sends, then reports the ack', () => {
    const { client, handle } = makeClient();
    const acks = collect(client, 'ack');
    const socket = FakeWebSocket.last();
    socket.accept();
    const id = client.send({ text: 'hi' }, { channel: 'chat' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(socket.framesOf('msg')).toEqual([{ t: 'msg', id, body: { text: 'hi' }, ch: 'chat' }]);
    expect(handle.callsOf('message')[0]?.[1]).toMatchObject({ channel: 'chat' });
    expect(client.inFlightCount).toBe(1);
    socket.receive({ t: 'ack', id });
    expect(handle.journey(id)).toEqual(['msg.sent', 'msg.acked']);
    expect(acks).toEqual([{ id }]);
    expect(client.inFlightCount).toBe(0);
  });

  it('retries without an ack, then drops as attempts_exhausted', () => {
    const { client, handle } = makeClient({ ackTimeoutMillis: 1_000, maxSendAttempts: 3, heartbeatIntervalMillis: 0 });
    const drops = collect(client, 'drop');
    const socket = FakeWebSocket.last();
    socket.accept();
    const id = client.send('x');
    vi.advanceTimersByTime(1_000);
    vi.advanceTimersByTime(1_000);
    expect(socket.framesOf('msg').filter((f) => f['id'] === id)).toHaveLength(3);
    expect(handle.callsOf('msg.retried')).toEqual([
      [id, 2],
      [id, 3],
    ]);
    vi.advanceTimersByTime(1_000);
    expect(handle.journey(id)).toEqual(['msg.sent', 'msg.retried', 'msg.retried', 'msg.dropped']);
    expect(handle.callsOf('msg.dropped')).toEqual([[id, 'attempts_exhausted']]);
    expect(drops).toEqual([{ id, reason: 'attempts_exhausted' }]);
  });

  it('holds back beyond maxInFlight and sends on ack', () => {
    const { client } = makeClient({ maxInFlight: 2 });
    const socket = FakeWebSocket.last();
    socket.accept();
    const [a, b, c] = [client.send(1), client.send(2), client.send(3)];
    expect(socket.framesOf('msg').map((f) => f['id'])).toEqual([a, b]);
    expect(client.queueSize).toBe(1);
    socket.receive({ t: 'ack', id: a });
    expect(socket.framesOf('msg').map((f) => f['id'])).toEqual([a, b, c]);
    expect(client.queueSize).toBe(0);
  });

  it('never throws: an unserializable body is dropped as policy', () => {
    const { client, handle } = makeClient();
    FakeWebSocket.last().accept();
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    const drops = collect(client, 'drop');
    const id = client.send(circular);
    expect(drops).toEqual([{ id, reason: 'policy' }]);
    expect(handle.callsOf('msg.dropped')).toEqual([[id, 'policy']]);
    expect(client.send(10n)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('ResilientWebSocket: offline queue', () => {
  it('queues while disconnected, drops the OLDEST when full, replays the rest in order', () => {
    const { client, handle } = makeClient({ maxQueueSize: 3 });
    const drops = collect(client, 'drop');
    FakeWebSocket.last().accept();
    FakeWebSocket.last().serverClose(1006);
    const ids = ['a', 'b', 'c', 'd'].map((body) => client.send(body));
    expect(client.queueSize).toBe(3);
    expect(handle.callsOf('msg.queued').map((args) => args[1])).toEqual([1, 2, 3, 3]);
    expect(drops).toEqual([{ id: ids[0], reason: 'queue_full' }]);
    expect(handle.firstArgs('queueDepth')).toEqual([1, 2, 3]);

    vi.advanceTimersByTime(300);
    const socket = FakeWebSocket.last();
    socket.accept();
    expect(socket.framesOf('msg').map((f) => f['body'])).toEqual(['b', 'c', 'd']);
    expect(handle.journey(ids[1] as string)).toEqual(['msg.queued', 'msg.replayed']);
    expect(handle.firstArgs('queueDepth')).toEqual([1, 2, 3, 0]);
    expect(client.queueSize).toBe(0);
  });

  it('drops queued messages whose TTL ran out', () => {
    const { client, handle } = makeClient({ queueTtlMillis: 5_000, connectTimeoutMillis: 60_000 });
    const first = client.send('old');
    vi.advanceTimersByTime(2_000);
    const second = client.send('newer');
    vi.advanceTimersByTime(3_000);
    expect(handle.callsOf('msg.dropped')).toEqual([[first, 'ttl_expired']]);
    expect(client.queueSize).toBe(1);
    vi.advanceTimersByTime(2_000);
    expect(handle.callsOf('msg.dropped')).toEqual([
      [first, 'ttl_expired'],
      [second, 'ttl_expired'],
    ]);
    expect(handle.firstArgs('queueDepth')).toEqual([1, 2, 1, 0]);
  });

  it('messages sent before the first open are sent, not replayed', () => {
    const { client, handle } = makeClient();
    const id = client.send('early');
    FakeWebSocket.last().accept();
    expect(handle.journey(id)).toEqual(['msg.queued', 'msg.sent']);
  });

  it('in-flight messages go back to the front of the queue on a drop and are replayed', () => {
    const { client, handle } = makeClient();
    FakeWebSocket.last().accept();
    const inFlight = client.send('in flight');
    FakeWebSocket.last().serverClose(1006);
    const queued = client.send('queued later');
    expect(client.queueSize).toBe(2);
    vi.advanceTimersByTime(300);
    const socket = FakeWebSocket.last();
    socket.accept();
    expect(socket.framesOf('msg').map((f) => f['id'])).toEqual([inFlight, queued]);
    socket.receive({ t: 'ack', id: inFlight });
    expect(handle.journey(inFlight)).toEqual(['msg.sent', 'msg.replayed', 'msg.acked']);
  });
});

describe('ResilientWebSocket: inbound delivery', () => {
  it('delivers once in order, suppresses duplicates, acks cumulatively in batches', () => {
    const { client, handle } = makeClient({ ackBatchDelayMillis: 100 });
    const messages = collect(client, 'message');
    const socket = FakeWebSocket.last();
    socket.accept();
    socket.receive({ ...serverMessage(1), ch: 'news' });
    socket.receive(serverMessage(2));
    expect(socket.framesOf('ack')).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(socket.framesOf('ack')).toEqual([{ t: 'ack', seq: 2 }]);
    socket.receive(serverMessage(2));
    expect(handle.callsOf('duplicate')).toEqual([['s-2', { seq: 2 }]]);
    // A duplicate means the server missed an ack: it is re-acked at once.
    expect(socket.framesOf('ack')).toEqual([
      { t: 'ack', seq: 2 },
      { t: 'ack', seq: 2 },
    ]);
    expect(messages).toEqual([
      { body: 'm1', seq: 1, id: 's-1', channel: 'news' },
      { body: 'm2', seq: 2, id: 's-2' },
    ]);
    expect(handle.callsOf('received')[0]).toEqual(['s-1', { seq: 1, channel: 'news' }]);
    for (let seq = 3; seq <= 34; seq++) socket.receive(serverMessage(seq));
    expect(socket.framesOf('ack').at(-1)).toEqual({ t: 'ack', seq: 34 });
  });

  it('a gap is reported and healed by resuming from the last delivered sequence', () => {
    const { client, handle } = makeClient();
    const messages = collect(client, 'message');
    const socket = FakeWebSocket.last();
    socket.accept();
    socket.receive(serverMessage(1));
    socket.receive(serverMessage(3));
    expect(handle.callsOf('gap')).toEqual([[2, 3]]);
    expect(messages.map((m) => m.seq)).toEqual([1]);
    expect(socket.closeCalls).toEqual([{ code: 4001, reason: 'sequence gap' }]);
    expect(client.state).toBe('reconnecting');
    vi.advanceTimersByTime(300);
    const next = FakeWebSocket.last();
    next.open();
    expect(next.framesOf('hello')[0]).toMatchObject({ lastSeq: 1 });
    next.receive({ t: 'welcome', sid: 'x', replay: 2 });
    next.receive(serverMessage(2));
    next.receive(serverMessage(3));
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('resume-failed: a resync event, resumed(ok:false), delivery continues after the server seq', () => {
    const { client, handle } = makeClient();
    const resyncs = collect(client, 'resync');
    const opens = collect(client, 'open');
    const messages = collect(client, 'message');
    FakeWebSocket.last().accept();
    FakeWebSocket.last().receive(serverMessage(1));
    FakeWebSocket.last().receive(serverMessage(2));
    FakeWebSocket.last().serverClose(1006);
    vi.advanceTimersByTime(300);
    const socket = FakeWebSocket.last();
    socket.open();
    socket.receive({ t: 'resume-failed', sid: 'x', seq: 10 });
    expect(client.state).toBe('open');
    expect(resyncs).toEqual([{ lastSeq: 2, seq: 10 }]);
    expect(opens.at(-1)).toEqual({ resumed: false, replayed: 0 });
    expect(handle.firstArgs('resumed')).toEqual([{ lastSeq: 2, replayed: 0, ok: false }]);
    socket.receive(serverMessage(11));
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 11]);
  });

  it('ignores malformed frames and survives a throwing listener', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { client } = makeClient();
    const seen: number[] = [];
    client.on('message', () => {
      throw new Error('app bug');
    });
    const off = client.on('message', (m) => seen.push(m.seq));
    const socket = FakeWebSocket.last();
    socket.accept();
    for (const junk of ['nope', '{"t":"msg"}', '[1]', '{"t":"msg","seq":-1,"id":"x","body":1}']) socket.receive(junk);
    socket.receive(serverMessage(1));
    off();
    socket.receive(serverMessage(2));
    expect(seen).toEqual([1]);
    expect(client.lastSeq).toBe(2);
    expect(errors).toHaveBeenCalledTimes(2);
  });
});

describe('ResilientWebSocket: browser online/offline', () => {
  function stubBrowser(onLine: boolean) {
    const target = new EventTarget();
    const navigator = { onLine };
    vi.stubGlobal('navigator', navigator);
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
    return {
      goOffline: () => {
        navigator.onLine = false;
        target.dispatchEvent(new Event('offline'));
      },
      goOnline: () => {
        navigator.onLine = true;
        target.dispatchEvent(new Event('online'));
      },
    };
  }

  it('offline: state offline, socket closed, no retries; online: reconnects at once and replays', () => {
    const browser = stubBrowser(true);
    const { client, handle } = makeClient();
    const socket = FakeWebSocket.last();
    socket.accept();
    browser.goOffline();
    expect(client.state).toBe('offline');
    expect(socket.closeCalls).toEqual([{ code: 4005, reason: 'offline' }]);
    const id = client.send('typed offline');
    vi.advanceTimersByTime(59_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(handle.callsOf('reconnectScheduled')).toHaveLength(0);

    browser.goOnline();
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(client.state).toBe('reconnecting');
    FakeWebSocket.last().accept();
    expect(FakeWebSocket.last().framesOf('msg').map((f) => f['id'])).toEqual([id]);
    expect(handle.transitions()).toEqual(['connecting->open', 'open->offline', 'offline->reconnecting', 'reconnecting->open']);
  });

  it('starts offline when the device is offline, cancels a pending retry when it goes offline', () => {
    const browser = stubBrowser(false);
    const { client } = makeClient();
    expect(client.state).toBe('offline');
    expect(FakeWebSocket.instances).toHaveLength(0);
    browser.goOnline();
    expect(client.state).toBe('connecting');
    FakeWebSocket.last().fail();
    expect(client.state).toBe('reconnecting');
    browser.goOffline();
    expect(client.state).toBe('offline');
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('stops listening once closed', () => {
    const browser = stubBrowser(true);
    const { client } = makeClient();
    client.close();
    browser.goOffline();
    browser.goOnline();
    expect(client.state).toBe('closed');
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
