import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { MAX_IN_FLIGHT_MESSAGES } from '../../src/tracker/connection-tracker.js';
import type { ConnectionHandle } from '../../src/tracker/tracker-types.js';
import { METRIC_DELIVERY_LATENCY, METRIC_MESSAGES_LOST } from '@tunnelvision/semconv';
import { createTelemetryHarness, START_MILLIS, type TelemetryHarness } from './telemetry-harness.js';

let t: TelemetryHarness;
let conn: ConnectionHandle;
let connectionId: string;

beforeEach(() => {
  t = createTelemetryHarness();
  const tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider, sessionId: 'sess-1', now: t.clock.now });
  conn = tracker.connection({ serverAddress: 'ws.example.com' });
  connectionId = conn.opening();
  conn.opened();
  t.resetEvents();
});

afterEach(() => t.shutdown());

/** Event name, severity and the event's own attributes (identity checked separately). */
function messageEvents() {
  return t.events().map((e) => {
    const { 'session.id': _s, 'tv.connection.id': _c, 'server.address': _a, 'tv.role': _r, ...own } = e.attributes;
    return { name: e.name, severity: e.severity, at: e.timeMillis - START_MILLIS, ...own };
  });
}

describe('a message handle', () => {
  it('emits msg.sent and msg.acked with latency from the first send', async () => {
    const m = conn.message('m-1', { seq: 1, channel: 'chat', size: 64 });
    expect(m.messageId).toBe('m-1');
    t.clock.advance(5);
    m.sent();
    t.clock.advance(30);
    m.sent(); // a second sent() on the same connection is a retry: the clock keeps running from the first
    t.clock.advance(12);
    m.acked();
    expect(messageEvents()).toEqual([
      { name: 'msg.sent', severity: 'INFO', at: 5, 'tv.message.id': 'm-1', 'tv.message.seq': 1, 'tv.message.channel': 'chat', 'tv.message.size': 64, 'tv.message.attempt': 1 },
      { name: 'msg.retried', severity: 'INFO', at: 35, 'tv.message.id': 'm-1', 'tv.message.seq': 1, 'tv.message.channel': 'chat', 'tv.message.attempt': 2 },
      { name: 'msg.acked', severity: 'INFO', at: 47, 'tv.message.id': 'm-1', 'tv.message.seq': 1, 'tv.message.channel': 'chat', 'tv.message.latency_ms': 42, 'tv.message.attempt': 2 },
    ]);
    expect(t.events()[0]?.attributes).toMatchObject({ 'session.id': 'sess-1', 'tv.connection.id': connectionId, 'server.address': 'ws.example.com', 'tv.role': 'client' });
    const [latency] = await t.histogram(METRIC_DELIVERY_LATENCY.name);
    expect(latency?.attributes).toEqual({ 'server.address': 'ws.example.com', 'tv.role': 'client' });
    expect(latency?.value).toMatchObject({ count: 1, sum: 42 });
    expect(latency?.value.buckets.boundaries).toEqual([5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000]);
  });

  it('ignores an ack twice, an ack after a drop, and a drop after an ack', async () => {
    const a = conn.message('a');
    a.sent();
    t.clock.advance(10);
    a.acked();
    a.acked();
    a.dropped('ttl_expired');
    const b = conn.message('b');
    b.sent();
    b.dropped('attempts_exhausted');
    b.acked();
    expect(t.eventNames()).toEqual(['msg.sent', 'msg.acked', 'msg.sent', 'msg.dropped']);
    expect((await t.histogram(METRIC_DELIVERY_LATENCY.name))[0]?.value.count).toBe(1);
    expect(await t.points(METRIC_MESSAGES_LOST.name)).toEqual([
      { attributes: { 'server.address': 'ws.example.com', 'tv.role': 'client', 'tv.message.drop_reason': 'attempts_exhausted' }, value: 1 },
    ]);
  });

  it('follows a journey through the queue, a retry, a reconnect and a replay, keeping the first send time', () => {
    const m = conn.message('m-2', { seq: 2 });
    m.sent();
    t.clock.advance(1_000);
    m.retried(2);
    conn.closed({ code: 1006, clean: false });
    m.queued(3);
    t.clock.advance(500);
    const second = conn.opening();
    conn.opened();
    m.replayed();
    t.clock.advance(100);
    m.acked();
    const events = messageEvents().filter((e) => e.name?.startsWith('msg.'));
    expect(events).toEqual([
      { name: 'msg.sent', severity: 'INFO', at: 0, 'tv.message.id': 'm-2', 'tv.message.seq': 2, 'tv.message.attempt': 1 },
      { name: 'msg.retried', severity: 'INFO', at: 1_000, 'tv.message.id': 'm-2', 'tv.message.seq': 2, 'tv.message.attempt': 2 },
      { name: 'msg.queued', severity: 'INFO', at: 1_000, 'tv.message.id': 'm-2', 'tv.message.seq': 2, 'tv.queue.depth': 3 },
      { name: 'msg.replayed', severity: 'INFO', at: 1_500, 'tv.message.id': 'm-2', 'tv.message.seq': 2, 'tv.message.attempt': 3 },
      { name: 'msg.acked', severity: 'INFO', at: 1_600, 'tv.message.id': 'm-2', 'tv.message.seq': 2, 'tv.message.latency_ms': 1_600, 'tv.message.attempt': 3 },
    ]);
    // Message events carry the physical connection current at the time.
    const msgEvents = t.events().filter((e) => e.name?.startsWith('msg.'));
    expect(msgEvents.map((e) => e.attributes['tv.connection.id'])).toEqual([connectionId, connectionId, connectionId, second, second]);
  });

  it('emits msg.dropped as WARN with reason, attempts and, for queue_full, the queue depth', () => {
    conn.queueDepth(100);
    conn.message('q').dropped('queue_full');
    const r = conn.message('r');
    r.sent();
    r.retried(2);
    r.retried(3);
    r.dropped('attempts_exhausted');
    const dropped = messageEvents().filter((e) => e.name === 'msg.dropped');
    expect(dropped).toEqual([
      { name: 'msg.dropped', severity: 'WARN', at: 0, 'tv.message.id': 'q', 'tv.message.drop_reason': 'queue_full', 'tv.queue.depth': 100 },
      { name: 'msg.dropped', severity: 'WARN', at: 0, 'tv.message.id': 'r', 'tv.message.drop_reason': 'attempts_exhausted', 'tv.message.attempt': 3 },
    ]);
  });

  it('returns the same journey for an unfinished id, and a new one once it finished', () => {
    const first = conn.message('same');
    expect(conn.message('same')).toBe(first);
    first.sent();
    t.clock.advance(20);
    conn.message('same').acked();
    expect(messageEvents().at(-1)).toMatchObject({ name: 'msg.acked', 'tv.message.latency_ms': 20 });
    expect(conn.message('same')).not.toBe(first);
  });

  it('ignores an ack of a message that was never sent (no latency to report)', async () => {
    conn.message('never-sent').acked();
    expect(t.events()).toEqual([]);
    expect(await t.histogram(METRIC_DELIVERY_LATENCY.name)).toEqual([]);
  });

  it('finds each unfinished journey by id while newer ones start, and forgets each once it finished', () => {
    const a = conn.message('a');
    const b = conn.message('b');
    expect(conn.message('a')).toBe(a);
    expect(conn.message('b')).toBe(b);
    a.sent();
    b.sent();
    b.acked();
    expect(conn.message('a')).toBe(a);
    expect(conn.message('b')).not.toBe(b);
    a.acked();
    expect(conn.message('a')).not.toBe(a);
    expect(t.events().map((e) => [e.name, e.attributes['tv.message.id']])).toEqual([
      ['msg.sent', 'a'],
      ['msg.sent', 'b'],
      ['msg.acked', 'b'],
      ['msg.acked', 'a'],
    ]);
  });

  it(`keeps at most ${MAX_IN_FLIGHT_MESSAGES} unfinished messages per connection, forgetting the oldest`, () => {
    const first = conn.message('m-0');
    for (let i = 1; i <= MAX_IN_FLIGHT_MESSAGES; i++) conn.message(`m-${i}`);
    // m-0 was evicted: the id now starts a new journey, but the old handle still works.
    expect(conn.message('m-0')).not.toBe(first);
    const second = conn.message('m-1');
    expect(conn.message('m-1')).toBe(second);
    first.sent();
    t.clock.advance(3);
    first.acked();
    expect(messageEvents().map((e) => e.name)).toEqual(['msg.sent', 'msg.acked']);
  });
});
