/**
 * Synthetic TunnelVision events generated inside ClickHouse, for benches that
 * need millions of rows in the store: `INSERT INTO <db>.logs … SELECT … FROM
 * numbers(offset, rows)` in chunks, so no rows are built in JS and the rollup
 * materialized views (events_1m, latency_1m, events_10s, latency_10s) fill
 * exactly as they do for OTLP ingest.
 *
 * The week it draws: three services (two client apps and the gateway, which
 * reports as `tv.role` server), production and staging, six servers, 100,000
 * users, and sessions of about 200 events within two hours of their start
 * (so the number of sessions grows with the events asked for, as a real
 * app's sessions stay short whatever its traffic); ordinary traffic follows
 * a daily cycle (peak about 3× the trough, the same time of day on every
 * day, so anomaly baselines have real history) and reaches up to "now", so
 * the last minutes and the last hour have data. The chunks go in oldest
 * first, each covering the next stretch of the week, as a collector
 * receives events: every part a chunk writes, in `logs` and in each rollup,
 * holds a short span of time, as in a real store.
 * 1.5 % of events are reconnect storms after the deploys marked `spike`, one
 * of them 40 minutes before "now". Every random draw is a hash of the row
 * number: a run is reproducible for a given "now".
 *
 * Used by dashboard/bench/overview-at-scale.ts (as
 * `@tunnelvision/collector/bench/synthetic-events`) and
 * collector/bench/alert-bench.ts.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { ATTRIBUTES_IN_COLUMNS } from '../src/store/attributes-in-columns.js';

const DAY_MS = 86_400_000;
/** The generated events span this long, ending at the load's "now". */
export const SYNTHETIC_SPAN_MILLIS = 7 * DAY_MS;
const SPAN_MS = SYNTHETIC_SPAN_MILLIS;
const USERS = 100_000;
/** A session's events on average: a chat session of up to 2 hours (messages sent, acked and received, reconnects). */
const EVENTS_PER_SESSION = 200;
/** A session's events fall within this long after its start. */
const SESSION_MS = 2 * 3_600_000;

/** A deploy of the synthetic week, placed relative to the load's "now". */
export interface SyntheticDeploy {
  service: string;
  environment: string;
  version: string;
  /** Milliseconds before the load's "now". */
  agoMs: number;
  commit: string;
  description: string;
  /** A reconnect storm follows this deploy. */
  spike: boolean;
}

export const SYNTHETIC_SERVICES = [
  { name: 'chat-web', role: 'client', initialVersion: '2.14.0' },
  { name: 'chat-mobile', role: 'client', initialVersion: '1.8.0' },
  { name: 'chat-gateway', role: 'server', initialVersion: '5.1.0' },
] as const;
const SERVICES = SYNTHETIC_SERVICES;

export const SYNTHETIC_DEPLOYS: readonly SyntheticDeploy[] = [
  { service: 'chat-web', environment: 'production', version: '2.15.0', agoMs: 5 * DAY_MS + 3_600_000 * 3, commit: '1a2b3c4', description: 'New composer', spike: false },
  { service: 'chat-gateway', environment: 'production', version: '5.2.0', agoMs: 3 * DAY_MS + 3_600_000 * 5, commit: '7d8e9f0', description: 'Resume v2', spike: true },
  { service: 'chat-mobile', environment: 'production', version: '1.9.0', agoMs: 2 * DAY_MS, commit: '4c5d6e7', description: 'Offline queue', spike: false },
  { service: 'chat-web', environment: 'production', version: '2.15.1', agoMs: DAY_MS + 3_600_000 * 2, commit: 'b1c2d3e', description: 'Fix typing indicator', spike: false },
  { service: 'chat-gateway', environment: 'staging', version: '5.2.1-rc.1', agoMs: 6 * 3_600_000, commit: '9f1c2aa', description: 'Heartbeat tuning', spike: false },
  { service: 'chat-gateway', environment: 'production', version: '5.2.1', agoMs: 40 * 60_000, commit: '9f1c2ab', description: 'Heartbeat tuning', spike: true },
];
const DEPLOYS = SYNTHETIC_DEPLOYS;

export const SYNTHETIC_SERVERS = ['ws-eu-1.example.com', 'ws-eu-2.example.com', 'ws-eu-3.example.com', 'ws-us-1.example.com', 'ws-us-2.example.com', 'ws-us-3.example.com'] as const;
const SERVERS = SYNTHETIC_SERVERS;
const SPIKE_SHARE = 0.015;
const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const sqlArray = (items: readonly string[]) => `[${items.map(sqlString).join(', ')}]`;
/** Database names are interpolated into SQL, so only a plain identifier is accepted (as CLICKHOUSE_DATABASE). */
const identifier = (name: string) => {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) throw new RangeError(`database must be a plain identifier, got ${JSON.stringify(name)}`);
  return name;
};

/** Options of {@link insertSyntheticEvents}. */
export interface SyntheticEventsOptions {
  /** Database holding `logs` (the collector's CLICKHOUSE_DATABASE). */
  database: string;
  /** Events to insert into `logs`. */
  events: number;
  /**
   * Rows per INSERT … SELECT statement. Each chunk writes a part per day of
   * the week into `logs` and each daily rollup, so small chunks mean many
   * small parts for background merges to catch up with; on 2 cores 1M rows
   * per chunk loaded 10M events a little faster than 500k (150 s against
   * 160 s) with the process under 1 GB of RSS.
   */
  chunkRows: number;
  /** The end of the synthetic week, epoch ms; every event is before it. */
  nowMs: number;
  /** Called after each chunk, e.g. to print progress. */
  onChunk?: (inserted: number, total: number, chunkMillis: number) => void;
}

/** Inserts the synthetic week's events in chunks; returns how long the inserts took. */
export async function insertSyntheticEvents(client: ClickHouseClient, options: SyntheticEventsOptions): Promise<{ millis: number }> {
  const database = identifier(options.database);
  const started = performance.now();
  for (let offset = 0; offset < options.events; offset += options.chunkRows) {
    const rows = Math.min(options.chunkRows, options.events - offset);
    const t = performance.now();
    await client.command({ query: insertChunkSql(database, offset, rows, options.events, options.nowMs) });
    options.onChunk?.(offset + rows, options.events, performance.now() - t);
  }
  return { millis: performance.now() - started };
}

/** A per-minute `tv.connection.active` counter per client service, environment and server over the week, into metrics_sum. */
export async function insertActiveConnections(client: ClickHouseClient, database: string, nowMs: number): Promise<void> {
  await client.command({ query: activeConnectionsSql(identifier(database), nowMs) });
}

/** Posts the week's deploy markers through the collector's public API, as CI would. */
export async function postSyntheticDeploys(collectorUrl: string, nowMs: number): Promise<void> {
  for (const d of DEPLOYS) {
    const response = await fetch(`${collectorUrl}/api/v1/deploys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: d.service, version: d.version, environment: d.environment, commit: d.commit, description: d.description, time: nowMs - d.agoMs }),
    });
    if (response.status !== 201) throw new Error(`POST /api/v1/deploys answered ${response.status}: ${await response.text()}`);
  }
}

/** AttributesInColumns of a synthetic row: the bit of each typed column whose condition holds. */
function attributesInColumnsSql(conditions: Partial<Record<(typeof ATTRIBUTES_IN_COLUMNS)[number][1], string>>): string {
  const bits = ATTRIBUTES_IN_COLUMNS.flatMap(([, column], i) => (conditions[column] ? [`if(${conditions[column]}, ${2 ** i}, 0)`] : []));
  return `toUInt32(${bits.join(' + ')})`;
}

/** ServiceVersion as a function of `svc` and `ts_ms`: the newest production deploy of the service before the event. */
function versionExpression(): string {
  const branches = SERVICES.map((service) => {
    const deploys = DEPLOYS.filter((d) => d.service === service.name && d.environment === 'production').sort((a, b) => a.agoMs - b.agoMs);
    const arms = deploys.flatMap((d) => [`ts_ms >= now_ms - ${d.agoMs}`, sqlString(d.version)]);
    return arms.length > 0 ? `multiIf(${arms.join(', ')}, ${sqlString(service.initialVersion)})` : sqlString(service.initialVersion);
  });
  return `multiIf(${SERVICES.slice(0, -1).map((s, i) => `svc = ${sqlString(s.name)}, ${branches[i]}`).join(', ')}, ${branches[branches.length - 1]})`;
}

/**
 * One chunk of `logs` rows, generated by ClickHouse from numbers(offset, rows).
 * Every random draw is a hash of the row number, so a run is reproducible for
 * a given "now". Row n of `events` lies at n / events of the week, oldest
 * first, warped into a daily cycle (peak about 3× the trough), and belongs to
 * one of the sessions that started within SESSION_MS before it; a
 * SPIKE_SHARE of events are reconnect storms (closes with 1001/1006 and
 * conn.open with downtime) decaying over ~10 minutes after the deploys
 * marked `spike`, whatever their row. About 1 % of ordinary events are
 * conn.heartbeat.missed, so the heartbeat alert has groups to evaluate.
 */
function insertChunkSql(database: string, offset: number, rows: number, events: number, nowMs: number): string {
  const spikes = DEPLOYS.filter((d) => d.spike).map((d) => d.agoMs);
  const sessions = Math.max(1, Math.round(events / EVENTS_PER_SESSION));
  const u = (k: number) => `(cityHash64(n, ${k}) % 1000003) / 1000003.0`;
  // Standard normal via Box-Muller from two uniforms (kept away from 0).
  const z = (a: number, b: number) => `(sqrt(-2 * log(${u(a)} + 1e-9)) * cos(2 * pi() * ${u(b)}))`;
  return `
INSERT INTO ${database}.logs (Timestamp, ObservedTimestamp, SeverityText, SeverityNumber, ServiceName, Body, ResourceAttributes, ScopeName, ScopeVersion,
  LogAttributes, AttributesInColumns, EventName, ServiceVersion, Environment, ServerAddress, Role, UserId, SessionId, ConnectionId, MessageId, MessageSeq, Channel,
  CloseCode, CloseClean, Attempt, LatencyMs, DurationMs, DowntimeMs, DropReason, MissedCount)
SELECT
  fromUnixTimestamp64Nano(ts_ns) AS Timestamp,
  fromUnixTimestamp64Nano(ts_ns + toInt64(2000000 + cityHash64(n, 30) % 500000000)) AS ObservedTimestamp,
  if(event = 'msg.dropped' OR close_code = 1006, 'WARN', 'INFO') AS SeverityText,
  toUInt8(if(SeverityText = 'WARN', 13, 9)) AS SeverityNumber,
  svc AS ServiceName,
  -- The SDK leaves the body empty except for transport errors, which this week has none of.
  '' AS Body,
  map('service.name', svc, 'service.version', version, 'deployment.environment.name', env, 'telemetry.sdk.name', 'tunnelvision',
      'telemetry.sdk.language', if(role = 'client', 'webjs', 'nodejs')) AS ResourceAttributes,
  '@tunnelvision/sdk' AS ScopeName,
  '0.1.0' AS ScopeVersion,
  -- Stored as the collector stores them: attributes their typed columns hold live only there.
  map('server.address', server) AS LogAttributes,
  ${attributesInColumnsSql({
    SessionId: "1", ConnectionId: "1", UserId: "1", Role: "1",
    MessageId: "message_id != ''", Channel: "channel != ''", DropReason: "drop_reason != ''",
    LatencyMs: 'isNotNull(latency)', CloseCode: 'close_code != 0', DurationMs: 'isNotNull(duration)', DowntimeMs: 'isNotNull(downtime)',
    MissedCount: "event = 'conn.heartbeat.missed'",
  })} AS AttributesInColumns,
  event AS EventName,
  version AS ServiceVersion,
  env AS Environment,
  server AS ServerAddress,
  role AS Role,
  user_id AS UserId,
  session_id AS SessionId,
  connection_id AS ConnectionId,
  message_id AS MessageId,
  if(event IN ('msg.sent', 'msg.acked', 'msg.received'), toNullable(toInt64(n % 100000)), NULL) AS MessageSeq,
  channel AS Channel,
  close_code AS CloseCode,
  if(event = 'conn.close', toNullable(close_code != 1006), NULL) AS CloseClean,
  attempt AS Attempt,
  latency AS LatencyMs,
  duration AS DurationMs,
  downtime AS DowntimeMs,
  drop_reason AS DropReason,
  toUInt32(if(event = 'conn.heartbeat.missed', 1 + cityHash64(n, 53) % 3, 0)) AS MissedCount
FROM
(
  SELECT
    n, now_ms, ts_ns, ts_ms, event, sid, uid, svc, env, role, version, server,
    concat('sess-', lower(hex(sid))) AS session_id,
    concat('u_', substring(lower(hex(cityHash64(uid, 99))), 1, 8)) AS user_id,
    concat('conn-', lower(hex(cityHash64(sid, intDiv(ts_ms, 1200000)) % 100000000))) AS connection_id,
    if(event LIKE 'msg.%', concat('m-', lower(hex(n))), '') AS message_id,
    if(event LIKE 'msg.%', ['chat', 'chat', 'chat', 'presence', 'typing'][1 + cityHash64(n, 40) % 5], '') AS channel,
    multiIf(event != 'conn.close', toUInt16(0), is_spike OR failed_attempt, toUInt16(if(${u(41)} < 0.6, 1006, 1001)),
            toUInt16(multiIf(${u(41)} < 0.62, 1000, ${u(41)} < 0.88, 1001, 1006))) AS close_code,
    multiIf(event IN ('conn.open', 'conn.reconnect.scheduled'), toUInt32(1 + least(9, floor(-log(${u(42)} + 1e-9) * 0.8))),
            event IN ('msg.sent', 'msg.acked', 'msg.dropped'), toUInt32(if(${u(42)} < 0.97, 1, 2 + cityHash64(n, 43) % 3)), toUInt32(0)) AS attempt,
    -- Delivery latency: log-normal around ~30 ms, 1% slow tail (×20), slower during storms.
    if(event = 'msg.acked', toNullable(round(exp(3.4 + 0.9 * ${z(44, 45)}) * if(${u(46)} < 0.01, 20, 1) * if(is_spike, 6, 1), 3)), NULL) AS latency,
    if(event = 'conn.close' AND NOT failed_attempt, toNullable(round(exp(11.5 + 1.6 * ${z(47, 48)}))), NULL) AS duration,
    if(event = 'conn.open' AND (is_spike OR ${u(49)} < 0.25), toNullable(round(exp(7 + 1.0 * ${z(50, 51)}) * if(is_spike, 4, 1))), NULL) AS downtime,
    if(event = 'msg.dropped',
       ['queue_full', 'queue_full', 'queue_full', 'queue_full', 'queue_full', 'queue_full', 'queue_full',
        'ttl_expired', 'ttl_expired', 'ttl_expired', 'ttl_expired', 'ttl_expired', 'ttl_expired',
        'attempts_exhausted', 'attempts_exhausted', 'attempts_exhausted', 'resume_failed', 'resume_failed', 'outbox_full', 'policy'][1 + cityHash64(n, 52) % 20],
       '') AS drop_reason
  FROM
  (
    SELECT
      n, now_ms, ts_ns, intDiv(ts_ns, 1000000) AS ts_ms, is_spike, sid, uid,
      ${sqlArray(SERVICES.map((s) => s.name))}[1 + multiIf(uid % 10 < 5, 0, uid % 10 < 8, 1, 2)] AS svc,
      if(uid % 5 = 0, 'staging', 'production') AS env,
      if(svc = 'chat-gateway', 'server', 'client') AS role,
      ${versionExpression()} AS version,
      ${sqlArray(SERVERS)}[1 + cityHash64(uid, 7) % ${SERVERS.length}] AS server,
      ${u(10)} < 0.05 AND event_raw = 'conn.close' AND NOT is_spike AS failed_attempt,
      event_raw AS event
    FROM
    (
      SELECT
        number AS n,
        toInt64(${nowMs}) AS now_ms,
        ${u(1)} < ${SPIKE_SHARE} AS is_spike,
        ${u(4)} AS e,
        -- Where the row lies in the week, as a share of it counted back from now: 1 is the week's start.
        1 - (n + 0.5) / ${events} AS position,
        -- Sessions start evenly over the same shares; this row's is one of those that started at most
        -- SESSION_MS before it (a session starting before the week wraps round to its end).
        toUInt64(ceil(${sessions} * (position + ${SESSION_MS / SPAN_MS} * ${u(5)}))) % ${sessions} AS sid,
        cityHash64(sid, 98) % ${USERS} AS uid,
        if(is_spike,
           -- Storm: closes, reconnect attempts and re-opens decaying over ~10 minutes after a deploy.
           multiIf(e < 0.45, 'conn.close', e < 0.55, 'conn.reconnect.scheduled', e < 0.95, 'conn.open', 'msg.acked'),
           multiIf(e < 0.40, 'msg.sent', e < 0.78, 'msg.acked', e < 0.85, 'conn.open', e < 0.92, 'conn.close',
                   e < 0.95, 'conn.reconnect.scheduled', e < 0.965, 'msg.dropped', e < 0.975, 'conn.heartbeat.missed',
                   'msg.received')) AS event_raw,
        -- Milliseconds before now: right after a spike deploy, or the row's position warped into a daily cycle.
        if(is_spike,
           [${spikes.join(', ')}][1 + cityHash64(n, 2) % ${spikes.length}] - least(600000.0, -log(${u(3)} + 1e-9) * 150000.0),
           (position * ${SPAN_MS}) + (0.5 * ${DAY_MS} / (2 * pi())) * sin(2 * pi() * position * 7)) AS ago_ms,
        -- Whole milliseconds, as the SDK stamps events.
        toInt64(${nowMs} * 1000000) - toInt64(round(greatest(1.0, least(${SPAN_MS - 1}.0, ago_ms)))) * 1000000 AS ts_ns
      FROM numbers(${offset}, ${rows})
    )
  )
)
-- The rollup views run one after another on each block by default; side by
-- side they use the second core (about a fifth off the load on 2 cores).
-- A query-level setting, so the session keeps its default.
SETTINGS parallel_view_processing = 1`;
}

/**
 * tv.connection.active, one point per minute over the 7 days for each client
 * service, environment and server (the SDK's up-down counter, as reported by
 * client-side instances; the overview shows client-side data).
 */
function activeConnectionsSql(database: string, nowMs: number): string {
  const minutes = SPAN_MS / 60_000;
  const clients = SERVICES.filter((s) => s.role === 'client').map((s) => s.name);
  const perMinute = clients.length * 2 * SERVERS.length;
  return `
INSERT INTO ${database}.metrics_sum (ResourceAttributes, ScopeName, ServiceName, ServiceVersion, Environment, MetricName, MetricDescription, MetricUnit,
  Attributes, StartTimeUnix, TimeUnix, Value, AggregationTemporality, IsMonotonic)
SELECT
  map('service.name', svc, 'deployment.environment.name', env, 'service.instance.id', concat(svc, '-', server), 'tv.role', 'client'),
  '@tunnelvision/sdk', svc, '', env, 'tv.connection.active', 'Open connections', '{connection}',
  map('server.address', server),
  fromUnixTimestamp64Milli(toInt64(${nowMs - SPAN_MS})),
  fromUnixTimestamp64Milli(ts),
  round(if(env = 'production', 1500, 250) * if(svc = 'chat-web', 1, 0.6) * (1 + 0.45 * cos(2 * pi() * (ts % ${DAY_MS}) / ${DAY_MS})) + cityHash64(number) % 50),
  2, false
FROM
(
  SELECT number, toInt64(${nowMs}) - toInt64(intDiv(number, ${perMinute}) * 60000) - 30000 AS ts,
         ${sqlArray(SERVERS)}[1 + number % ${SERVERS.length}] AS server,
         if(intDiv(number, ${SERVERS.length}) % 2 = 0, 'production', 'staging') AS env,
         ${sqlArray(clients)}[1 + intDiv(number, ${SERVERS.length * 2}) % ${clients.length}] AS svc
  FROM numbers(${minutes * perMinute})
)`;
}
