import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { METRIC_MESSAGES_LOST } from '@tunnelvision/semconv';
import { createTracker } from '../../src/tracker/create-tracker.js';
import type { Tracker } from '../../src/tracker/tracker-types.js';
import { createTelemetryHarness, START_MILLIS, type TelemetryHarness } from './telemetry-harness.js';

let t: TelemetryHarness;
let tracker: Tracker;

beforeEach(() => {
  vi.useFakeTimers();
  t = createTelemetryHarness();
  tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider, sessionId: 's', now: t.clock.now, atRiskTimeoutMillis: 5_000 });
});

afterEach(async () => {
  vi.useRealTimers();
  await t.shutdown();
});

const messageEvents = () =>
  t
    .events()
    .filter((e) => e.name?.startsWith('msg.'))
    .map((e) => ({ name: e.name, id: e.attributes['tv.message.id'], connection: e.attributes['tv.connection.id'], attempt: e.attributes['tv.message.attempt'], reason: e.attributes['tv.message.drop_reason'], latency: e.attributes['tv.message.latency_ms'] }));

describe('messages in flight when a connection ends', () => {
  it('are dropped with connection_lost after atRiskTimeoutMillis, on the connection they were sent on, and counted as lost', async () => {
    const conn = tracker.connection({ serverAddress: 'ws.example.com' });
    const first = conn.opening();
    conn.opened();
    for (const id of ['a', 'b', 'c']) conn.message(id).sent();
    conn.message('c').acked();
    conn.closed({ code: 1006 });
    vi.advanceTimersByTime(4_999);
    expect(messageEvents().filter((e) => e.name === 'msg.dropped')).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(messageEvents().filter((e) => e.name === 'msg.dropped')).toEqual([
      { name: 'msg.dropped', id: 'a', connection: first, attempt: 1, reason: 'connection_lost', latency: undefined },
      { name: 'msg.dropped', id: 'b', connection: first, attempt: 1, reason: 'connection_lost', latency: undefined },
    ]);
    expect(await t.points(METRIC_MESSAGES_LOST.name)).toEqual([
      { attributes: { 'server.address': 'ws.example.com', 'tv.role': 'client', 'tv.message.drop_reason': 'connection_lost' }, value: 2 },
    ]);
  });

  it('are replayed when sent again on a later connection, retried when sent again on the same one, and a late ack keeps the first send time', () => {
    const conn = tracker.connection();
    const first = conn.opening();
    conn.opened();
    conn.message('a').sent();
    t.clock.advance(10);
    conn.message('a').sent();
    conn.closed({ code: 1006 });
    t.clock.advance(100);
    const second = conn.opening();
    conn.opened();
    conn.message('a').sent();
    t.clock.advance(15);
    conn.message('a').acked();
    vi.advanceTimersByTime(10_000);
    expect(messageEvents()).toEqual([
      { name: 'msg.sent', id: 'a', connection: first, attempt: 1, reason: undefined, latency: undefined },
      { name: 'msg.retried', id: 'a', connection: first, attempt: 2, reason: undefined, latency: undefined },
      { name: 'msg.replayed', id: 'a', connection: second, attempt: 3, reason: undefined, latency: undefined },
      { name: 'msg.acked', id: 'a', connection: second, attempt: 3, reason: undefined, latency: 125 },
    ]);
  });

  it('are found by id from another handle of the same session (tracker-wide), not from another session', () => {
    const one = tracker.connection();
    one.opening();
    one.opened();
    one.message('a').sent();
    one.message('b').sent();
    one.closed({ code: 1006 });
    const two = tracker.connection();
    const twoId = two.opening();
    two.opened();
    two.message('a').sent();
    const other = tracker.connection({ sessionId: 'someone-else' });
    other.opening();
    other.opened();
    other.message('b').sent();
    vi.advanceTimersByTime(5_000);
    const events = messageEvents();
    expect(events.find((e) => e.name === 'msg.replayed')).toMatchObject({ id: 'a', connection: twoId, attempt: 2 });
    expect(events.filter((e) => e.name === 'msg.dropped').map((e) => e.id)).toEqual(['b']);
  });

  it('are not tracked when the connection reports every fate itself (trackAtRisk: false), nor when acked through a held handle', () => {
    const own = tracker.connection({ trackAtRisk: false });
    own.opening();
    own.opened();
    own.message('a').sent();
    own.closed({ code: 1006 });
    const conn = tracker.connection();
    conn.opening();
    conn.opened();
    const held = conn.message('b');
    held.sent();
    conn.closed({ code: 1006 });
    held.acked();
    vi.advanceTimersByTime(60_000);
    expect(messageEvents().map((e) => e.name)).toEqual(['msg.sent', 'msg.sent', 'msg.acked']);
  });
});

describe('every event', () => {
  it('carries tv.event.seq in emission order per connection handle', () => {
    const a = tracker.connection();
    const b = tracker.connection();
    a.opening();
    b.opening();
    a.opened();
    a.message('m').sent();
    b.opened();
    expect(t.events().map((e) => [e.name, e.attributes['tv.connection.id'] === a.connectionId ? 'a' : 'b', e.seq])).toEqual([
      ['conn.opening', 'a', 1],
      ['conn.opening', 'b', 1],
      ['conn.open', 'a', 2],
      ['msg.sent', 'a', 3],
      ['conn.open', 'b', 2],
    ]);
    expect(t.events().every((e) => e.timeMillis === START_MILLIS)).toBe(true);
  });
});

describe('an attempt that never opened', () => {
  it('closes with tv.connection.failure and error.type: given, else the last error of the attempt, else unknown', () => {
    const conn = tracker.connection({ serverAddress: 'localhost', serverPort: 1 });
    conn.opening();
    conn.error('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1');
    conn.closed({ code: 1006, failure: 'refused' });
    conn.opening();
    conn.error('ETIMEDOUT');
    conn.closed({ code: 1006 });
    conn.opening();
    conn.closed({ code: 1006 });
    conn.opening();
    conn.opened();
    conn.closed({ code: 1006 });
    const closes = t.events().filter((e) => e.name === 'conn.close');
    expect(closes.map((e) => [e.attributes['tv.connection.failure'], e.attributes['error.type']])).toEqual([
      ['refused', 'ECONNREFUSED'],
      ['unknown', 'ETIMEDOUT'],
      ['unknown', undefined],
      [undefined, undefined],
    ]);
    expect(closes[0]?.attributes).toMatchObject({ 'server.address': 'localhost', 'server.port': 1 });
  });

  it('adopts a connection id given in the options for its first physical connection', () => {
    const conn = tracker.connection({ connectionId: 'from-client' });
    expect(conn.opening()).toBe('from-client');
    conn.closed({ code: 1000 });
    expect(conn.opening()).not.toBe('from-client');
  });
});
