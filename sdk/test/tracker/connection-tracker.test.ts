import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../src/tracker/create-tracker.js';
import type { Tracker } from '../../src/tracker/tracker-types.js';
import {
  ABNORMAL_CLOSE_CODES,
  ATTR_CLOSE_CODE,
  ATTR_CONNECTION_ID,
  ATTR_ROLE,
  ATTR_SERVER_ADDRESS,
  ATTR_SESSION_ID,
  SEMCONV_SCHEMA_URL,
} from '@tunnelvision/semconv';
import { METRIC_CONNECTIONS_ACTIVE, METRIC_HEARTBEAT_RTT, METRIC_QUEUE_DEPTH, METRIC_RECONNECTS, METRIC_RECONNECT_DURATION } from '@tunnelvision/semconv';
import { SDK_VERSION } from '../../src/tracker/sdk-version.js';
import { createTelemetryHarness, START_MILLIS, type TelemetryHarness } from './telemetry-harness.js';

let t: TelemetryHarness;
let tracker: Tracker;

beforeEach(() => {
  t = createTelemetryHarness();
  tracker = createTracker({
    loggerProvider: t.loggerProvider,
    meterProvider: t.meterProvider,
    sessionId: 'sess-1',
    now: t.clock.now,
  });
});

afterEach(() => t.shutdown());

const identity = (connectionId: string) => ({
  'session.id': 'sess-1',
  'tv.connection.id': connectionId,
  'server.address': 'ws.example.com',
  'tv.role': 'client',
});

describe('a connection handle', () => {
  it('emits conn.opening and conn.open with identity, attempt and the scope of the conventions', () => {
    const conn = tracker.connection({ serverAddress: 'ws.example.com' });
    expect(conn.connectionId).toBe('');
    const id = conn.opening();
    expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(conn.connectionId).toBe(id);
    t.clock.advance(40);
    conn.opened();
    const [opening, open] = t.events();
    expect(opening).toMatchObject({ name: 'conn.opening', severity: 'INFO', timeMillis: START_MILLIS });
    expect(opening?.attributes).toEqual({ ...identity(id), 'tv.connection.attempt': 1 });
    expect(open).toMatchObject({ name: 'conn.open', severity: 'INFO', timeMillis: START_MILLIS + 40 });
    // The first open of a handle is not a reconnect: no downtime.
    expect(open?.attributes).toEqual({ ...identity(id), 'tv.connection.attempt': 1 });
    expect(open?.scope).toEqual({ name: '@tunnelvision/sdk', version: SDK_VERSION, schemaUrl: SEMCONV_SCHEMA_URL });
  });

  it('emits conn.close with code, reason, clean, initiator and duration; WARN for the abnormal codes of the conventions', () => {
    const conn = tracker.connection({ serverAddress: 'ws.example.com' });
    const id = conn.opening();
    conn.opened();
    t.clock.advance(2_500);
    conn.closed({ code: 4001, reason: 'kicked', clean: true, initiator: 'server' });
    const close = t.events().at(-1);
    expect(close).toMatchObject({ name: 'conn.close', severity: 'INFO' });
    expect(close?.attributes).toEqual({
      ...identity(id),
      'tv.close.code': 4001,
      'tv.close.reason': 'kicked',
      'tv.close.clean': true,
      'tv.close.initiator': 'server',
      'tv.connection.duration_ms': 2_500,
    });
    for (const code of ABNORMAL_CLOSE_CODES) {
      conn.opening();
      conn.opened();
      conn.closed({ code, clean: false });
      expect(t.events().at(-1)).toMatchObject({ name: 'conn.close', severity: 'WARN', attributes: { 'tv.close.code': code, 'tv.close.clean': false } });
      expect(t.events().at(-1)?.attributes).not.toHaveProperty('tv.close.reason');
      expect(t.events().at(-1)?.attributes).not.toHaveProperty('tv.close.initiator');
    }
    // The collector counts the same list as abnormal_closes: anything else stays INFO.
    for (const code of [1000, 1001, 1005, 1008, 1012, 1013, 4000]) {
      conn.opening();
      conn.opened();
      conn.closed({ code, clean: true, initiator: 'server' });
      expect(t.events().at(-1)).toMatchObject({ name: 'conn.close', severity: 'INFO', attributes: { 'tv.close.code': code } });
    }
  });

  it('ignores a second close of the same connection and omits the duration of one that never opened', () => {
    const conn = tracker.connection();
    conn.opening();
    conn.closed({ code: 1006, clean: false });
    conn.closed({ code: 1006, clean: false });
    expect(t.eventNames()).toEqual(['conn.opening', 'conn.close']);
    expect(t.events()[1]?.attributes).not.toHaveProperty('tv.connection.duration_ms');
  });

  it('carries downtime from the close of an open connection and counts the reconnect by its close code', async () => {
    const conn = tracker.connection({ serverAddress: 'ws.example.com' });
    const first = conn.opening();
    conn.opened();
    t.clock.advance(1_000);
    conn.closed({ code: 1006, clean: false });
    t.clock.advance(300);
    // A failed attempt in between: it does not restart the outage, but it counts as an attempt.
    const failed = conn.opening();
    conn.error('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1');
    conn.closed({ code: 1006, clean: false });
    t.clock.advance(1_200);
    const second = conn.opening();
    t.clock.advance(10);
    conn.opened();
    expect(new Set([first, failed, second]).size).toBe(3);
    const events = t.events();
    expect(events.map((e) => e.name)).toEqual(['conn.opening', 'conn.open', 'conn.close', 'conn.opening', 'conn.error', 'conn.close', 'conn.opening', 'conn.open']);
    expect(events[3]?.attributes['tv.connection.attempt']).toBe(1);
    expect(events[4]).toMatchObject({ severity: 'ERROR', body: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(events[4]?.attributes).toEqual({ ...identity(failed), 'server.address': 'ws.example.com', 'error.type': 'ECONNREFUSED', 'tv.connection.attempt': 1 });
    expect(events[6]?.attributes['tv.connection.attempt']).toBe(2);
    expect(events[7]?.attributes).toEqual({ ...identity(second), 'tv.connection.attempt': 2, 'tv.connection.downtime_ms': 1_510 });

    expect(await t.points(METRIC_RECONNECTS.name)).toEqual([
      { attributes: { [ATTR_SERVER_ADDRESS]: 'ws.example.com', [ATTR_ROLE]: 'client', [ATTR_CLOSE_CODE]: 1006 }, value: 1 },
    ]);
    const [downtime] = await t.histogram(METRIC_RECONNECT_DURATION.name);
    expect(downtime?.value).toMatchObject({ count: 1, sum: 1_510 });
    const metric = await t.metric(METRIC_RECONNECT_DURATION.name);
    expect(metric?.descriptor.unit).toBe('ms');
  });

  it('counts active connections up on open and down on close and dispose, with low-cardinality attributes only', async () => {
    const a = tracker.connection({ serverAddress: 'ws.example.com' });
    const b = tracker.connection({ serverAddress: 'ws.example.com', sessionId: 'other-session', userId: 'u-2' });
    a.opening();
    a.opened();
    b.opened();
    expect(await t.points(METRIC_CONNECTIONS_ACTIVE.name)).toEqual([{ attributes: { 'server.address': 'ws.example.com', 'tv.role': 'client' }, value: 2 }]);
    a.closed({ code: 1000, clean: true });
    b.dispose();
    expect(await t.points(METRIC_CONNECTIONS_ACTIVE.name)).toEqual([{ attributes: { 'server.address': 'ws.example.com', 'tv.role': 'client' }, value: 0 }]);
    const descriptor = (await t.metric(METRIC_CONNECTIONS_ACTIVE.name))?.descriptor;
    expect(descriptor).toMatchObject({ unit: '{connection}', type: 'UP_DOWN_COUNTER' });
    // dispose emits nothing and makes the handle inert.
    const before = t.events().length;
    b.closed({ code: 1000 });
    b.opening();
    expect(t.events()).toHaveLength(before);
  });

  it('counts an opened() without a closed() in between only once', async () => {
    const conn = tracker.connection();
    conn.opening();
    conn.opened();
    conn.opened();
    conn.opening();
    conn.opened();
    expect(await t.points(METRIC_CONNECTIONS_ACTIVE.name)).toEqual([{ attributes: { 'tv.role': 'client' }, value: 1 }]);
    expect(t.eventNames()).toEqual(['conn.opening', 'conn.open', 'conn.opening', 'conn.open']);
  });

  it('emits conn.state, conn.reconnect.scheduled, conn.reconnect.gave_up, conn.heartbeat.missed and session.resume', () => {
    const conn = tracker.connection({ serverAddress: 'ws.example.com' });
    const id = conn.opening();
    conn.stateChanged('connecting', 'open');
    conn.reconnectScheduled({ attempt: 2, delayMs: 1_340.5, jitterMs: -12.25 });
    conn.reconnectScheduled({ attempt: 3, delayMs: 2_000 });
    conn.gaveUp(5);
    conn.heartbeat(42.5);
    conn.heartbeatMissed(2);
    conn.resumed({ lastSeq: 41, replayed: 3, ok: true });
    conn.resumed({ lastSeq: 7, replayed: 0, ok: false });
    const events = t.events();
    const own = (i: number) => {
      const { [ATTR_SESSION_ID]: s, [ATTR_CONNECTION_ID]: c, [ATTR_SERVER_ADDRESS]: a, [ATTR_ROLE]: r, ...rest } = events[i]!.attributes;
      expect({ s, c, a, r }).toEqual({ s: 'sess-1', c: id, a: 'ws.example.com', r: 'client' });
      return { name: events[i]!.name, severity: events[i]!.severity, ...rest };
    };
    expect([1, 2, 3, 4, 5, 6, 7].map(own)).toEqual([
      { name: 'conn.state', severity: 'INFO', 'tv.state.from': 'connecting', 'tv.state.to': 'open' },
      { name: 'conn.reconnect.scheduled', severity: 'INFO', 'tv.reconnect.attempt': 2, 'tv.reconnect.delay_ms': 1_340.5, 'tv.reconnect.jitter_ms': -12.25 },
      { name: 'conn.reconnect.scheduled', severity: 'INFO', 'tv.reconnect.attempt': 3, 'tv.reconnect.delay_ms': 2_000 },
      { name: 'conn.reconnect.gave_up', severity: 'WARN', 'tv.reconnect.attempt': 5 },
      { name: 'conn.heartbeat.missed', severity: 'WARN', 'tv.heartbeat.missed': 2, 'tv.heartbeat.rtt_ms': 42.5 },
      { name: 'session.resume', severity: 'INFO', 'tv.resume.outcome': 'ok', 'tv.resume.last_seq': 41, 'tv.resume.replayed': 3 },
      { name: 'session.resume', severity: 'WARN', 'tv.resume.outcome': 'failed', 'tv.resume.last_seq': 7, 'tv.resume.replayed': 0 },
    ]);
  });

  it('records heartbeat RTT and queue depth as metrics only, the depth summed over connections', async () => {
    const a = tracker.connection({ serverAddress: 'ws.example.com' });
    const b = tracker.connection({ serverAddress: 'ws.example.com' });
    a.heartbeat(20);
    a.heartbeat(80);
    a.queueDepth(3);
    b.queueDepth(4);
    expect(t.events()).toEqual([]);
    const [rtt] = await t.histogram(METRIC_HEARTBEAT_RTT.name);
    expect(rtt?.attributes).toEqual({ 'server.address': 'ws.example.com', 'tv.role': 'client' });
    expect(rtt?.value).toMatchObject({ count: 2, sum: 100, min: 20, max: 80 });
    expect(await t.points(METRIC_QUEUE_DEPTH.name)).toEqual([{ attributes: { 'server.address': 'ws.example.com', 'tv.role': 'client' }, value: 7 }]);
    a.queueDepth(1);
    b.dispose();
    expect(await t.points(METRIC_QUEUE_DEPTH.name)).toEqual([{ attributes: { 'server.address': 'ws.example.com', 'tv.role': 'client' }, value: 1 }]);
  });

  it('emits msg.received, msg.duplicate and msg.gap', () => {
    const conn = tracker.connection();
    const id = conn.opening();
    conn.received('m-9', { seq: 9, channel: 'chat', size: 120 });
    conn.duplicate('m-9', { seq: 9 });
    conn.gap(10, 13);
    const base = { 'session.id': 'sess-1', 'tv.connection.id': id, 'tv.role': 'client' };
    expect(t.events().slice(1).map((e) => ({ name: e.name, severity: e.severity, attributes: e.attributes }))).toEqual([
      { name: 'msg.received', severity: 'INFO', attributes: { ...base, 'tv.message.id': 'm-9', 'tv.message.seq': 9, 'tv.message.channel': 'chat', 'tv.message.size': 120 } },
      { name: 'msg.duplicate', severity: 'INFO', attributes: { ...base, 'tv.message.id': 'm-9', 'tv.message.seq': 9 } },
      { name: 'msg.gap', severity: 'WARN', attributes: { ...base, 'tv.message.expected_seq': 10, 'tv.message.got_seq': 13 } },
    ]);
  });

  it('puts per-connection session, user and extra attributes on events, and a server role', () => {
    const server = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider, role: 'server', now: t.clock.now });
    expect(server.sessionId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const conn = server.connection({ sessionId: 'client-sess', userId: 'u-7', serverAddress: 'node-3', attributes: { 'tv.message.channel': 'lobby', region: 'eu' } });
    conn.opened();
    expect(t.events()[0]?.attributes).toEqual({
      'session.id': 'client-sess',
      'user.id': 'u-7',
      'tv.connection.id': conn.connectionId,
      'server.address': 'node-3',
      'tv.role': 'server',
      'tv.message.channel': 'lobby',
      region: 'eu',
      'tv.connection.attempt': 1,
    });
  });

  it('applies setUserId to open connections, and clears it', () => {
    const conn = tracker.connection();
    conn.opening();
    tracker.setUserId('u-1');
    conn.opened();
    tracker.setUserId(undefined);
    conn.closed({ code: 1000 });
    const [opening, open, close] = t.events();
    expect(opening?.attributes).not.toHaveProperty('user.id');
    expect(open?.attributes['user.id']).toBe('u-1');
    expect(close?.attributes).not.toHaveProperty('user.id');
  });
});
