import { activeConnectionsRequest, double, eventRecord, logsRequest, type AttrValue } from '@tunnelvision/test-support';

/**
 * A known half hour of telemetry for the dashboard tests, following
 * docs/semconv.md. The chart window is [start, start + 30 min), 30
 * one-minute buckets. Halfway through, chat-web 2.15.0 is deployed: 20
 * clients are dropped with 1001 and 19 of them come back within the same
 * second (a thundering herd), while the support story's session loses its
 * connection (1006), queues two messages, reconnects after 4 s, resumes and
 * replays one of them; the other (m-1003) outlives its time to live and is
 * dropped. Its first reconnect attempt is refused (a failed attempt, which
 * is not a close of an open connection). Delivery latency goes from ~30 ms to ~260 ms after the deploy.
 */
export interface SeededTelemetry {
  /** Chart window start (a whole minute) and end. */
  start: number;
  end: number;
  /** The deploy of 2.15.0 (mid-minute, in bucket 15) and an older one of 2.14.0 outside the window. */
  deployAt: number;
  deployId: string;
  previousDeployId: string;
  commit: string;
  /** The support story. */
  lostMessageId: string;
  replayedMessageId: string;
  deliveredMessageId: string;
  sessionId: string;
  userId: string;
  expected: {
    buckets: number;
    /** Buckets with an active-connection report (minutes 10 and 11 have none). */
    activeBuckets: number;
    reconnects: number;
    reconnectsOnWsEu2: number;
    abnormalCloses: number;
    closes: number;
    failedAttempts: number;
    lostMessages: number;
    latencyBuckets: number;
    latencyBucketsOnWsEu2: number;
  };
}

const SERVICE = 'chat-web';
const ENVIRONMENT = 'production';
const MINUTE = 60_000;

async function post(base: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  const parsed = text ? (JSON.parse(text) as { partialSuccess?: unknown }) : {};
  if (parsed.partialSuccess) throw new Error(`POST ${path} rejected records: ${text}`);
  return parsed;
}

/** Posts the story to a running collector (OTLP/JSON and the deploys API) and returns what the dashboard should show. */
export async function seedTelemetry(collectorUrl: string, now = Date.now()): Promise<SeededTelemetry> {
  const start = Math.floor(now / MINUTE) * MINUTE - 40 * MINUTE;
  const end = start + 30 * MINUTE;
  const deployAt = start + 15 * MINUTE + 30_000;
  const resource = (version: string): Record<string, AttrValue> => ({
    'service.name': SERVICE,
    'service.version': version,
    'deployment.environment.name': ENVIRONMENT,
  });
  const before: Record<string, unknown>[] = [];
  const after: Record<string, unknown>[] = [];
  const at = (t: number) => (t < deployAt ? before : after);
  const add = (event: string, t: number, attributes: Record<string, AttrValue>) => at(t).push(eventRecord(event, attributes, t));

  // Deliveries every minute; even minutes on ws-eu-1, odd on ws-eu-2.
  for (let m = 0; m < 30; m++) {
    const server = m % 2 === 0 ? 'ws-eu-1' : 'ws-eu-2';
    for (let i = 0; i < 4; i++) {
      const t = start + m * MINUTE + 5_000 + i * 1_000;
      const latency = t < deployAt ? 20 + i * 5 : 200 + i * 20;
      add('msg.acked', t, { 'session.id': `bg-${m}`, 'tv.message.id': `bg-${m}-${i}`, 'server.address': server, 'tv.message.latency_ms': double(latency) });
    }
  }
  // Two abnormal drops on ws-eu-2 before the deploy, each back within a second.
  for (const [i, m] of [5, 8].entries()) {
    const t = start + m * MINUTE + 10_000;
    const ids = { 'session.id': `old-${i}`, 'server.address': 'ws-eu-2' };
    add('conn.close', t, { ...ids, 'tv.connection.id': `old-${i}-a`, 'tv.close.code': 1006, 'tv.close.clean': false, 'tv.connection.duration_ms': double(600_000) });
    add('conn.reconnect.scheduled', t + 2, { ...ids, 'tv.connection.id': `old-${i}-a`, 'tv.reconnect.attempt': 1, 'tv.reconnect.delay_ms': double(800), 'tv.reconnect.jitter_ms': double(200) });
    add('conn.open', t + 900, { ...ids, 'tv.connection.id': `old-${i}-b`, 'tv.connection.attempt': 1, 'tv.connection.downtime_ms': double(900) });
  }
  // The deploy restarts ws-eu-1: 20 clients dropped with 1001, 19 back in the same second.
  for (let i = 0; i < 20; i++) {
    const ids = { 'session.id': `c-${i}`, 'server.address': 'ws-eu-1' };
    add('conn.close', deployAt + 1_000, { ...ids, 'tv.connection.id': `c-${i}-a`, 'tv.close.code': 1001, 'tv.close.reason': 'server restarting', 'tv.close.clean': true, 'tv.connection.duration_ms': double(300_000 + i) });
    if (i < 19) add('conn.open', deployAt + 1_300 + i * 10, { ...ids, 'tv.connection.id': `c-${i}-b`, 'tv.connection.downtime_ms': double(300 + i * 10) });
  }
  // The support story: user u_51c2e0, session sess-7f3a.
  const story = { 'session.id': 'sess-7f3a', 'user.id': 'u_51c2e0', 'server.address': 'ws-eu-1' };
  const c1 = { ...story, 'tv.connection.id': 'conn-1' };
  const c2 = { ...story, 'tv.connection.id': 'conn-2' };
  add('conn.opening', deployAt - 120_000, { ...c1, 'tv.connection.attempt': 1 });
  add('conn.open', deployAt - 119_800, { ...c1, 'tv.connection.attempt': 1 });
  add('msg.sent', deployAt - 60_000, { ...c1, 'tv.message.id': 'm-1001', 'tv.message.seq': 40, 'tv.message.channel': 'chat' });
  add('msg.acked', deployAt - 59_958, { ...c1, 'tv.message.id': 'm-1001', 'tv.message.seq': 40, 'tv.message.latency_ms': double(42) });
  add('conn.close', deployAt + 1_000, { ...c1, 'tv.close.code': 1006, 'tv.close.clean': false, 'tv.connection.duration_ms': double(120_800) });
  add('conn.state', deployAt + 1_002, { ...c1, 'tv.state.from': 'open', 'tv.state.to': 'reconnecting' });
  add('conn.reconnect.scheduled', deployAt + 1_005, { ...c1, 'tv.reconnect.attempt': 1, 'tv.reconnect.delay_ms': double(1_340), 'tv.reconnect.jitter_ms': double(340) });
  add('msg.queued', deployAt + 1_100, { ...story, 'tv.message.id': 'm-1002', 'tv.message.channel': 'chat', 'tv.queue.depth': 1 });
  add('msg.queued', deployAt + 1_200, { ...story, 'tv.message.id': 'm-1003', 'tv.message.channel': 'chat', 'tv.queue.depth': 2 });
  // The first reconnect attempt is refused: an error, then a close without a duration (it never opened).
  add('conn.error', deployAt + 2_350, { ...story, 'tv.connection.id': 'conn-1b', 'error.type': 'ECONNREFUSED', 'tv.connection.attempt': 1 });
  add('conn.close', deployAt + 2_352, { ...story, 'tv.connection.id': 'conn-1b', 'tv.close.code': 1006, 'tv.close.clean': false });
  add('conn.reconnect.scheduled', deployAt + 2_355, { ...c1, 'tv.reconnect.attempt': 2, 'tv.reconnect.delay_ms': double(2_600), 'tv.reconnect.jitter_ms': double(600) });
  add('conn.opening', deployAt + 4_960, { ...c2, 'tv.connection.attempt': 2 });
  add('conn.open', deployAt + 5_000, { ...c2, 'tv.connection.attempt': 2, 'tv.connection.downtime_ms': double(4_000) });
  add('session.resume', deployAt + 5_010, { ...c2, 'tv.resume.outcome': 'ok', 'tv.resume.last_seq': 41, 'tv.resume.replayed': 1 });
  add('msg.replayed', deployAt + 5_020, { ...c2, 'tv.message.id': 'm-1002', 'tv.message.seq': 42 });
  add('msg.acked', deployAt + 5_100, { ...c2, 'tv.message.id': 'm-1002', 'tv.message.seq': 42, 'tv.message.latency_ms': double(4_000) });
  add('msg.dropped', deployAt + 35_000, { ...c2, 'tv.message.id': 'm-1003', 'tv.message.drop_reason': 'ttl_expired', 'tv.message.attempt': 1 });

  await post(collectorUrl, '/v1/logs', logsRequest(resource('2.14.0'), before));
  await post(collectorUrl, '/v1/logs', logsRequest(resource('2.15.0'), after));

  // Active connections from two gateway processes, every minute except 10 and 11.
  for (const [instance, server, base] of [
    ['gw-1', 'ws-eu-1', 120],
    ['gw-2', 'ws-eu-2', 80],
  ] as const) {
    const points = [];
    for (let m = 0; m < 30; m++) {
      if (m === 10 || m === 11) continue;
      const value = server === 'ws-eu-1' && m === 15 ? base - 20 : base + (m % 3);
      points.push({ timeMs: start + m * MINUTE + 20_000, value, attributes: { 'server.address': server } });
    }
    await post(collectorUrl, '/v1/metrics', activeConnectionsRequest({ ...resource('2.14.0'), 'service.instance.id': instance }, points, start - MINUTE));
  }

  const deploy = async (version: string, time: number, commit: string, description: string) =>
    ((await post(collectorUrl, '/api/v1/deploys', { service: SERVICE, version, environment: ENVIRONMENT, commit, description, time })) as { deploy: { id: string } })
      .deploy.id;
  const commit = '9f1c2ab7d3e14b6a';
  const previousDeployId = await deploy('2.14.0', start - 60 * MINUTE, 'a1b2c3d4e5f60718', 'Heartbeat every 20 s');
  const deployId = await deploy('2.15.0', deployAt, commit, 'Enable resume v2');

  return {
    start,
    end,
    deployAt,
    deployId,
    previousDeployId,
    commit,
    lostMessageId: 'm-1003',
    replayedMessageId: 'm-1002',
    deliveredMessageId: 'm-1001',
    sessionId: 'sess-7f3a',
    userId: 'u_51c2e0',
    expected: {
      buckets: 30,
      activeBuckets: 28,
      reconnects: 2 + 19 + 1,
      reconnectsOnWsEu2: 2,
      abnormalCloses: 3,
      closes: 23,
      failedAttempts: 1,
      lostMessages: 1,
      latencyBuckets: 30,
      latencyBucketsOnWsEu2: 15,
    },
  };
}
