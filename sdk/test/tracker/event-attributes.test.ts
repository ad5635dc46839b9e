import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../src/tracker/create-tracker.js';
import type { Tracker } from '../../src/tracker/tracker-types.js';
import { createTelemetryHarness, type TelemetryHarness } from './telemetry-harness.js';

let t: TelemetryHarness;
let tracker: Tracker;

beforeEach(() => {
  t = createTelemetryHarness();
  tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider, now: t.clock.now });
});

afterEach(() => t.shutdown());

describe('event attributes', () => {
  it('leave out what is unknown rather than carrying undefined values', () => {
    const conn = tracker.connection();
    conn.error('ECONNREFUSED');
    conn.opening();
    conn.opened();
    conn.closed({ code: 1006 });
    conn.opened();
    conn.reconnectScheduled({ attempt: 1, delayMs: Number.NaN });
    conn.heartbeatMissed(2);
    conn.resumed({ ok: false } as unknown as { lastSeq: number; replayed: number; ok: boolean });
    conn.gap(Number.NaN, 3);
    conn.received('r');
    conn.duplicate('d');
    const m = conn.message('m');
    m.queued(Number.NaN);
    m.sent();
    m.dropped('queue_full');
    conn.message('n').dropped('policy');
    const events = t.events();
    expect(events.length).toBeGreaterThan(10);
    for (const event of events) {
      for (const [key, value] of Object.entries(event.attributes)) {
        expect(value, `${event.name} ${key}`).not.toBeUndefined();
      }
    }
    expect(events.find((e) => e.name === 'conn.close')?.attributes).not.toHaveProperty('tv.close.reason');
    expect(events.find((e) => e.name === 'msg.gap')?.attributes).toMatchObject({ 'tv.message.got_seq': 3 });
    expect(events.find((e) => e.name === 'msg.gap')?.attributes).not.toHaveProperty('tv.message.expected_seq');
  });

  it("come in one order: feature flags and the app's attributes, the identity, then the event's own", () => {
    const ordered = createTracker({
      loggerProvider: t.loggerProvider,
      meterProvider: t.meterProvider,
      now: t.clock.now,
      sessionId: 's',
      userId: 'u',
      featureFlags: { checkout: 'b' },
    });
    const conn = ordered.connection({ serverAddress: 'gw', serverPort: 443, attributes: { 'app.tier': 'gold' } });
    conn.opening();
    conn.opened();
    const m = conn.message('m', { seq: 1, channel: 'chat', size: 9 });
    m.sent();
    m.acked();
    conn.message('q', { seq: 2 }).dropped('policy');
    conn.received('r', { seq: 3, size: 4 });
    const identity = ['feature_flag.checkout', 'app.tier', 'session.id', 'user.id', 'tv.connection.id', 'server.address', 'server.port', 'tv.role'];
    expect(t.events().map((e) => [e.name, ...Object.keys(e.attributes)])).toEqual([
      ['conn.opening', ...identity, 'tv.connection.attempt'],
      ['conn.open', ...identity, 'tv.connection.attempt'],
      ['msg.sent', ...identity, 'tv.message.id', 'tv.message.seq', 'tv.message.channel', 'tv.message.size', 'tv.message.attempt'],
      ['msg.acked', ...identity, 'tv.message.id', 'tv.message.seq', 'tv.message.channel', 'tv.message.latency_ms', 'tv.message.attempt'],
      ['msg.dropped', ...identity, 'tv.message.id', 'tv.message.seq', 'tv.message.drop_reason'],
      ['msg.received', ...identity, 'tv.message.id', 'tv.message.seq', 'tv.message.size'],
    ]);
  });

  it('carry the connection id and user id of each event, whichever changed since the last one', () => {
    const conn = tracker.connection();
    const first = conn.opening();
    conn.opened();
    const message = conn.message('m-1');
    message.sent();
    conn.closed({ code: 1006 });
    tracker.setUserId('u-2');
    const second = conn.opening();
    conn.opened();
    // Sent on the first connection: its drop is reported there, between events of the second.
    message.dropped('connection_lost');
    conn.heartbeatMissed(1);
    const ids = t.events().map((e) => [e.name, e.attributes['tv.connection.id'], e.attributes['user.id'], e.seq]);
    expect(ids).toEqual([
      ['conn.opening', first, undefined, 1],
      ['conn.open', first, undefined, 2],
      ['msg.sent', first, undefined, 3],
      ['conn.close', first, undefined, 4],
      ['conn.opening', second, 'u-2', 5],
      ['conn.open', second, 'u-2', 6],
      ['msg.dropped', first, 'u-2', 7],
      ['conn.heartbeat.missed', second, 'u-2', 8],
    ]);
  });
});
