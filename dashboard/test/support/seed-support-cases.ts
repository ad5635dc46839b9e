import { createHash } from 'node:crypto';
import { double, eventRecord, logsRequest, type AttrValue } from '@tunnelvision/test-support';

/**
 * Support cases for the Lookup page (issue 10), three hours before the
 * chart window so no chart, deploy impact or alert counts them:
 * - `alice-msg-12` sent by two runs (sessions run-1 and run-2) that both
 *   counted ids from 1: lost with its connection in run 1, delivered in run 2;
 * - a user whose id the SDK hashes (`tv.user.id_hashed`), looked up raw;
 * - session duo-1 reported by both sides of its connections (the
 *   handshake's tv_session / tv_connection): one message delivered, one
 *   lost in flight when the connection dropped, one replayed on the app's
 *   own socket after the drop.
 */
export interface SeededSupportCases {
  reusedMessageId: string;
  rawUserId: string;
  hashedUserId: string;
  duoSessionId: string;
}

async function postLogs(base: string, body: unknown): Promise<void> {
  const response = await fetch(`${base}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST /v1/logs answered ${response.status}: ${await response.text()}`);
}

export async function seedSupportCases(collectorUrl: string, chartStart: number): Promise<SeededSupportCases> {
  const t0 = chartStart - 3 * 3_600_000;
  const client: Record<string, AttrValue> = { 'service.name': 'chat-web', 'service.version': '2.14.0', 'deployment.environment.name': 'production', 'tv.role': 'client' };
  const server: Record<string, AttrValue> = { 'service.name': 'chat-gateway', 'deployment.environment.name': 'production', 'tv.role': 'server' };
  const rawUserId = 'alice@example.com';
  const hashedUserId = createHash('sha256').update(rawUserId).digest('hex').slice(0, 32);

  const run1 = { 'session.id': 'run-1', 'tv.connection.id': 'run-1-c1' };
  const run2 = { 'session.id': 'run-2', 'tv.connection.id': 'run-2-c1' };
  const hashed = { 'user.id': hashedUserId, 'tv.user.id_hashed': true, 'session.id': 'hashed-1', 'tv.connection.id': 'hashed-1-c1' };
  const c1 = { 'session.id': 'duo-1', 'tv.connection.id': 'duo-c1', 'server.address': 'ws-eu-1' };
  const c2 = { 'session.id': 'duo-1', 'tv.connection.id': 'duo-c2', 'server.address': 'ws-eu-1' };
  const d = t0 + 10 * 60_000;
  await postLogs(
    collectorUrl,
    logsRequest(client, [
      eventRecord('msg.sent', { ...run1, 'tv.message.id': 'alice-msg-12' }, t0),
      eventRecord('conn.close', { ...run1, 'tv.close.code': 1006, 'tv.close.clean': false, 'tv.connection.duration_ms': double(5_000) }, t0 + 100),
      eventRecord('msg.dropped', { ...run1, 'tv.message.id': 'alice-msg-12', 'tv.message.drop_reason': 'connection_lost' }, t0 + 100),
      eventRecord('msg.sent', { ...run2, 'tv.message.id': 'alice-msg-12' }, t0 + 40 * 60_000),
      eventRecord('msg.acked', { ...run2, 'tv.message.id': 'alice-msg-12', 'tv.message.latency_ms': double(25) }, t0 + 40 * 60_000 + 25),
      eventRecord('conn.opening', { ...hashed, 'tv.connection.attempt': 1 }, t0 + 5 * 60_000),
      eventRecord('conn.open', { ...hashed, 'tv.connection.attempt': 1 }, t0 + 5 * 60_000 + 30),
      eventRecord('conn.opening', { ...c1, 'tv.connection.attempt': 1, 'tv.event.seq': 1 }, d),
      eventRecord('conn.open', { ...c1, 'tv.connection.attempt': 1, 'tv.event.seq': 2 }, d + 20),
      eventRecord('msg.sent', { ...c1, 'tv.message.id': 'duo-m1', 'tv.event.seq': 3 }, d + 40),
      eventRecord('msg.acked', { ...c1, 'tv.message.id': 'duo-m1', 'tv.message.latency_ms': double(12), 'tv.event.seq': 4 }, d + 52),
      eventRecord('msg.sent', { ...c1, 'tv.message.id': 'duo-m2', 'tv.event.seq': 5 }, d + 1_000),
      eventRecord('msg.sent', { ...c1, 'tv.message.id': 'duo-m3', 'tv.event.seq': 6 }, d + 1_010),
      eventRecord('conn.close', { ...c1, 'tv.close.code': 1006, 'tv.close.clean': false, 'tv.connection.duration_ms': double(1_000), 'tv.event.seq': 7 }, d + 1_020),
      eventRecord('msg.dropped', { ...c1, 'tv.message.id': 'duo-m3', 'tv.message.drop_reason': 'connection_lost', 'tv.event.seq': 8 }, d + 1_020),
      eventRecord('conn.open', { ...c2, 'tv.connection.attempt': 1, 'tv.connection.downtime_ms': double(1_980), 'tv.event.seq': 1 }, d + 3_000),
      eventRecord('msg.replayed', { ...c2, 'tv.message.id': 'duo-m2', 'tv.event.seq': 2 }, d + 3_010),
      eventRecord('msg.acked', { ...c2, 'tv.message.id': 'duo-m2', 'tv.message.latency_ms': double(2_030), 'tv.event.seq': 3 }, d + 3_030),
    ]),
  );
  await postLogs(
    collectorUrl,
    logsRequest(server, [
      eventRecord('conn.open', { ...c1, 'tv.event.seq': 1 }, d + 18),
      eventRecord('msg.received', { ...c1, 'tv.message.id': 'duo-m1', 'tv.event.seq': 2 }, d + 45),
      eventRecord('conn.close', { ...c1, 'tv.close.code': 1006, 'tv.close.clean': false, 'tv.connection.duration_ms': double(1_400), 'tv.event.seq': 3 }, d + 1_420),
      eventRecord('conn.open', { ...c2, 'tv.event.seq': 1 }, d + 2_998),
      eventRecord('msg.received', { ...c2, 'tv.message.id': 'duo-m2', 'tv.event.seq': 2 }, d + 3_020),
    ]),
  );
  return { reusedMessageId: 'alice-msg-12', rawUserId, hashedUserId, duoSessionId: 'duo-1' };
}
