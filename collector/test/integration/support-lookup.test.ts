import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRecord, logsRequest, type AttrValue } from '@tunnelvision/test-support';
import type { RunningCollector } from '../../src/collector.js';
import type { TimelineResponse } from '../../src/api-types.js';
import { hashUserId } from '../../src/query/hashed-user-id.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';

/**
 * The support lookup tells one story per message and per connection
 * (issue 10): journeys of a reused message id kept apart by session, events
 * of one instant in the order they happened, failed attempts worded by why
 * they failed, a hint when a user id is stored hashed, both sides of one
 * connection, and drops of in-flight messages and replays on the app's own
 * socket in words.
 */

const data = freshDataDir();
let collector: RunningCollector;
const MINUTE = 60_000;
const at = Math.floor((Date.now() - 3 * 60 * MINUTE) / MINUTE) * MINUTE;
const range = `from=${at - 60 * MINUTE}&to=${at + 2 * 60 * MINUTE}`;
const RAW_USER = 'alice@example.com';

async function post(resource: Record<string, AttrValue>, records: Record<string, unknown>[]): Promise<void> {
  const response = await fetch(`${collector.url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(logsRequest(resource, records)),
  });
  expect(response.status).toBe(200);
}

const timeline = async (query: string) => {
  const response = await getJson<TimelineResponse>(collector.url, `/api/v1/timeline?${query}&${range}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  const client = { 'service.name': 'chat-web', 'tv.role': 'client' };
  // Two runs of a load script that both counted message ids from 1: alice-msg-12 is lost in run 1 and delivered in run 2.
  const run1 = { 'session.id': 'run-1', 'tv.connection.id': 'run-1-c1' };
  const run2 = { 'session.id': 'run-2', 'tv.connection.id': 'run-2-c1' };
  await post(client, [
    eventRecord('msg.sent', { ...run1, 'tv.message.id': 'alice-msg-12' }, at),
    eventRecord('conn.close', { ...run1, 'tv.close.code': 1006, 'tv.connection.duration_ms': 5_000 }, at + 100),
    eventRecord('msg.dropped', { ...run1, 'tv.message.id': 'alice-msg-12', 'tv.message.drop_reason': 'connection_lost' }, at + 100),
    // Long after run 1's message: not part of its story.
    eventRecord('conn.heartbeat.missed', { ...run1, 'tv.heartbeat.missed': 1 }, at + 30 * MINUTE),
    eventRecord('msg.sent', { ...run2, 'tv.message.id': 'alice-msg-12' }, at + 60 * MINUTE),
    eventRecord('msg.acked', { ...run2, 'tv.message.id': 'alice-msg-12', 'tv.message.latency_ms': 25 }, at + 60 * MINUTE + 25),
  ]);

  // Events of one millisecond: a producer with tv.event.seq, and an older one without.
  const seq = { 'session.id': 'order-1', 'tv.connection.id': 'order-1-c1' };
  const old = { 'session.id': 'order-2', 'tv.connection.id': 'order-2-c1' };
  await post(client, [
    eventRecord('conn.open', { ...seq, 'tv.event.seq': 2 }, at + MINUTE),
    eventRecord('conn.opening', { ...seq, 'tv.event.seq': 1 }, at + MINUTE),
    eventRecord('msg.sent', { ...seq, 'tv.message.id': 'o-1', 'tv.event.seq': 4 }, at + MINUTE + 50),
    eventRecord('conn.heartbeat.missed', { ...seq, 'tv.heartbeat.missed': 1, 'tv.event.seq': 3 }, at + MINUTE + 50),
    eventRecord('conn.open', old, at + 2 * MINUTE),
    eventRecord('conn.opening', old, at + 2 * MINUTE),
    eventRecord('conn.close', { ...old, 'tv.close.code': 1006, 'tv.connection.duration_ms': 900 }, at + 2 * MINUTE + 900),
    eventRecord('conn.error', { ...old, 'error.type': 'ECONNRESET' }, at + 2 * MINUTE + 900),
  ]);

  // Attempts that never opened: refused, rejected with 401, and an older producer's DNS failure reported on conn.error.
  const fail = { 'session.id': 'fail-1' };
  await post({ 'service.name': 'flaky-app' }, [
    eventRecord('conn.close', { ...fail, 'tv.connection.id': 'f-1', 'tv.close.code': 1006, 'tv.connection.failure': 'refused', 'error.type': 'ECONNREFUSED' }, at + 3 * MINUTE),
    eventRecord('conn.close', { ...fail, 'tv.connection.id': 'f-2', 'tv.close.code': 1006, 'tv.connection.failure': 'rejected', 'error.type': '401', 'http.response.status_code': 401 }, at + 3 * MINUTE + 1_000),
    eventRecord('conn.error', { ...fail, 'tv.connection.id': 'f-3', 'error.type': 'ENOTFOUND' }, at + 3 * MINUTE + 2_000),
    eventRecord('conn.close', { ...fail, 'tv.connection.id': 'f-3', 'tv.close.code': 1006 }, at + 3 * MINUTE + 2_000),
  ]);

  // A service that hashes user ids.
  const hashed = { 'user.id': hashUserId(RAW_USER), 'tv.user.id_hashed': true, 'session.id': 'hashed-1', 'tv.connection.id': 'h-1' };
  await post({ 'service.name': 'hashing-app' }, [
    eventRecord('conn.opening', hashed, at + 4 * MINUTE),
    eventRecord('conn.open', hashed, at + 4 * MINUTE + 30),
  ]);

  // Both sides of one connection, joined by the handshake's tv_session / tv_connection.
  const duo = { 'session.id': 'duo-1', 'tv.connection.id': 'duo-c1' };
  await post(client, [
    eventRecord('conn.opening', { ...duo, 'tv.event.seq': 1 }, at + 5 * MINUTE),
    eventRecord('conn.open', { ...duo, 'tv.event.seq': 2 }, at + 5 * MINUTE + 20),
    eventRecord('msg.sent', { ...duo, 'tv.message.id': 'duo-m1', 'tv.event.seq': 3 }, at + 5 * MINUTE + 40),
    eventRecord('msg.acked', { ...duo, 'tv.message.id': 'duo-m1', 'tv.message.latency_ms': 12, 'tv.event.seq': 4 }, at + 5 * MINUTE + 52),
  ]);
  await post({ 'service.name': 'gateway', 'tv.role': 'server' }, [
    eventRecord('conn.open', { ...duo, 'server.address': 'ws-eu-1', 'tv.event.seq': 1 }, at + 5 * MINUTE + 18),
    eventRecord('msg.received', { ...duo, 'tv.message.id': 'duo-m1', 'tv.event.seq': 2 }, at + 5 * MINUTE + 45),
  ]);

  // The app's own socket: one message in flight lost with the connection, one sent again on the next connection.
  const app = { 'session.id': 'app-1' };
  await post(client, [
    eventRecord('msg.sent', { ...app, 'tv.connection.id': 'app-c1', 'tv.message.id': 'app-m1' }, at + 6 * MINUTE),
    eventRecord('msg.sent', { ...app, 'tv.connection.id': 'app-c1', 'tv.message.id': 'app-m2' }, at + 6 * MINUTE + 10),
    eventRecord('conn.close', { ...app, 'tv.connection.id': 'app-c1', 'tv.close.code': 1006, 'tv.connection.duration_ms': 60_000 }, at + 6 * MINUTE + 20),
    eventRecord('msg.dropped', { ...app, 'tv.connection.id': 'app-c1', 'tv.message.id': 'app-m2', 'tv.message.drop_reason': 'connection_lost' }, at + 6 * MINUTE + 20),
    eventRecord('conn.open', { ...app, 'tv.connection.id': 'app-c2', 'tv.connection.downtime_ms': 1_000 }, at + 6 * MINUTE + 1_020),
    eventRecord('msg.replayed', { ...app, 'tv.connection.id': 'app-c2', 'tv.message.id': 'app-m1' }, at + 6 * MINUTE + 1_030),
    eventRecord('msg.acked', { ...app, 'tv.connection.id': 'app-c2', 'tv.message.id': 'app-m1', 'tv.message.latency_ms': 1_040 }, at + 6 * MINUTE + 1_040),
  ]);
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('the support lookup', () => {
  it('keeps journeys of one message id in different sessions apart, each with its own verdict, and says the id matched several', async () => {
    const body = await timeline('message_id=alice-msg-12');
    // Before: one verdict, "dropped", first seen in run 1 with run 2's events mixed in.
    expect(body.messages.map((m) => [m.session_id, m.verdict, m.summary])).toEqual([
      ['run-1', 'dropped', 'Dropped, never delivered: it was in flight when the connection dropped and was never resent.'],
      ['run-2', 'delivered', 'Delivered in 25 ms.'],
    ]);
    expect(body.messages[1]!.first_seen).toBe(new Date(at + 60 * MINUTE).toISOString());
    expect(body.lookup.journeys).toBe(2);
    expect(body.notes).toEqual([
      'Message id alice-msg-12 matched 2 separate journeys, in sessions run-1 and run-2: message ids are unique only within a session, so each journey has its own verdict.',
    ]);
    // Each session's connection events only around its own journey.
    expect(body.events.map((e) => e.event)).not.toContain('conn.heartbeat.missed');
    expect(body.events.filter((e) => e.event === 'conn.close').map((e) => e.session_id)).toEqual(['run-1']);

    const single = await timeline('message_id=duo-m1');
    expect(single.lookup.journeys).toBe(1);
    expect(single.notes).toEqual([]);
  });

  it('orders events of one instant by tv.event.seq, and without it in causal order rather than by name', async () => {
    const withSeq = await timeline('session_id=order-1');
    // Before: conn.open, conn.opening (by name); then msg.sent before conn.heartbeat.missed.
    expect(withSeq.events.map((e) => [e.event, e.event_seq])).toEqual([
      ['conn.opening', 1],
      ['conn.open', 2],
      ['conn.heartbeat.missed', 3],
      ['msg.sent', 4],
    ]);
    const older = await timeline('session_id=order-2');
    // Before: conn.open, conn.opening, conn.close, conn.error.
    expect(older.events.map((e) => e.event)).toEqual(['conn.opening', 'conn.open', 'conn.error', 'conn.close']);
  });

  it('words an attempt that never opened by why it failed, never as a lost connection, and counts no close for it', async () => {
    const body = await timeline('session_id=fail-1');
    const closes = body.events.filter((e) => e.event === 'conn.close');
    // Before: "1006: connection lost without a close frame", close_abnormal true.
    expect(closes.map((e) => [e.failed_attempt, e.connection_failure, e.error_type, e.http_status, e.close_meaning, e.close_abnormal])).toEqual([
      [true, 'refused', 'ECONNREFUSED', undefined, 'Never opened: connection refused (ECONNREFUSED)', false],
      [true, 'rejected', '401', 401, 'Never opened: the server rejected the handshake with HTTP 401', false],
      [true, 'dns', 'ENOTFOUND', undefined, 'Never opened: server name not found (DNS) (ENOTFOUND)', false],
    ]);
    const window = `service=flaky-app&from=${at}&to=${at + 10 * MINUTE}`;
    const abnormal = await getJson<{ points: { v: number }[] }>(collector.url, `/api/v1/series?metric=abnormal_closes&step=10m&${window}`);
    expect(abnormal.body.points.reduce((n, p) => n + p.v, 0)).toBe(0);
    const failed = await getJson<{ points: { v: number }[] }>(collector.url, `/api/v1/series?metric=failed_attempts&step=10m&${window}`);
    expect(failed.body.points.reduce((n, p) => n + p.v, 0)).toBe(3);
    const codes = await getJson<{ total: number }>(collector.url, `/api/v1/close-codes?${window}`);
    expect(codes.body.total).toBe(0);
  });

  it('hints at the hash when a raw user id finds nothing and the SDK hashes user ids, and the hash still finds the user', async () => {
    const raw = await timeline(`user_id=${encodeURIComponent(RAW_USER)}`);
    // Before: no events and no hint.
    expect(raw.events).toEqual([]);
    expect(raw.user_id_hint).toEqual({ hashed_user_id: hashUserId(RAW_USER), hashed_matches: 2, hashing_services: ['hashing-app'] });
    expect(raw.notes[0]).toBe(
      `No events under this user id, but 2 under its hash ${hashUserId(RAW_USER)}: the SDK hashes user ids, so look up the hash. hashing-app hash user ids (tv.user.id_hashed) in this range.`,
    );
    const byHash = await timeline(`user_id=${hashUserId(RAW_USER)}`);
    expect(byHash.events.map((e) => e.event)).toEqual(['conn.opening', 'conn.open']);
    expect(byHash.user_id_hint).toBeUndefined();

    const unknown = await timeline('user_id=nobody');
    expect(unknown.user_id_hint).toMatchObject({ hashed_matches: 0, hashing_services: ['hashing-app'] });
    const session = await timeline('session_id=nobody');
    expect(session.user_id_hint).toBeUndefined();
  });

  it('shows both sides of one connection, each event marked with its role, in each side\'s own order', async () => {
    const body = await timeline('connection_id=duo-c1');
    expect(body.events.map((e) => [e.role, e.event])).toEqual([
      ['client', 'conn.opening'],
      ['server', 'conn.open'],
      ['client', 'conn.open'],
      ['client', 'msg.sent'],
      ['server', 'msg.received'],
      ['client', 'msg.acked'],
    ]);
    expect(body.messages).toHaveLength(1);
    expect(body.messages[0]).toMatchObject({ session_id: 'duo-1', verdict: 'delivered' });
  });

  it('words a message lost with its connection and one replayed on the app\'s own socket', async () => {
    const body = await timeline('session_id=app-1');
    const verdict = (id: string) => body.messages.find((m) => m.message_id === id);
    // Before: 'Dropped, never delivered: reason "connection_lost".'
    expect(verdict('app-m2')).toMatchObject({ verdict: 'dropped', drop_reason: 'connection_lost', summary: 'Dropped, never delivered: it was in flight when the connection dropped and was never resent.' });
    expect(verdict('app-m1')).toMatchObject({ verdict: 'replayed', resends: 1, summary: 'Delivered in 1040 ms after being replayed when the connection came back.' });
    // The close comes before the drop it caused, in the same millisecond.
    expect(body.events.map((e) => e.event).slice(2, 4)).toEqual(['conn.close', 'msg.dropped']);
  });
});
