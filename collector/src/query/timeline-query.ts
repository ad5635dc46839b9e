import type { ClickHouseClient } from '@clickhouse/client';
import { ABNORMAL_CLOSE_CODES, describeCloseCode } from '@tunnelvision/semconv';
import { z } from 'zod';
import { QueryParamError } from '../errors.js';
import type { LookupKind, MessageVerdict, TimelineEvent, TimelineResponse } from '../api-types.js';
import { orderTimelineEvents } from './event-order.js';
import { failedAttemptFacts } from './failed-attempt.js';
import { hashedUserIdHint, hashedUserIdNote } from './hashed-user-id.js';
import { idPlacesCondition, type IdPlaces } from './id-places.js';
import { messageVerdicts } from './message-verdict.js';
import { instant, parseParams, resolveRange } from './query-params.js';
import { recordAttributesSql } from '../store/attributes-in-columns.js';

const KEYS = { user_id: 'UserId', session_id: 'SessionId', connection_id: 'ConnectionId', message_id: 'MessageId' } as const;
type LookupKey = LookupKind;
/** Where to read (id_buckets): the looked-up id within the requested range; the sessions that carried a message within their windows. */
const IN_RANGE: IdPlaces = { id: '{value:String}', from: 'fromUnixTimestamp64Milli({from:Int64})', to: 'fromUnixTimestamp64Milli({to:Int64})' };
const CARRIERS: IdPlaces = {
  ids: '{sessions:Array(String)}',
  from: 'fromUnixTimestamp64Nano(toInt64({first:String}))',
  to: 'fromUnixTimestamp64Nano(toInt64({last:String}))',
};

const id = z.string().trim().min(1, 'must not be empty').max(512, 'must be at most 512 characters');
const timelineParamsSchema = z.object({
  user_id: id.optional(),
  session_id: id.optional(),
  connection_id: id.optional(),
  message_id: id.optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /** Delivery slower than this many ms gets the verdict "delivered late". */
  late_ms: z.coerce.number().int().min(1).max(3_600_000).default(1_000),
});

/** Typed columns returned for each event; null / empty / 0 values are left out of the response. */
const COLUMNS: Record<string, string> = {
  event: 'EventName',
  service: 'ServiceName',
  service_version: 'ServiceVersion',
  environment: 'Environment',
  server_address: 'ServerAddress',
  role: 'Role',
  user_id: 'UserId',
  session_id: 'SessionId',
  connection_id: 'ConnectionId',
  message_id: 'MessageId',
  message_seq: 'MessageSeq',
  channel: 'Channel',
  close_code: 'CloseCode',
  close_reason: 'CloseReason',
  close_clean: 'CloseClean',
  attempt: 'Attempt',
  delay_ms: 'DelayMs',
  jitter_ms: 'JitterMs',
  latency_ms: 'LatencyMs',
  duration_ms: 'DurationMs',
  downtime_ms: 'DowntimeMs',
  rtt_ms: 'RttMs',
  missed_count: 'MissedCount',
  state_from: 'StateFrom',
  state_to: 'StateTo',
  drop_reason: 'DropReason',
  resume_outcome: 'ResumeOutcome',
  resume_last_seq: 'ResumeLastSeq',
  replayed_count: 'ReplayedCount',
  expected_seq: 'ExpectedSeq',
  got_seq: 'GotSeq',
  queue_depth: 'QueueDepth',
  severity: 'SeverityText',
  body: 'Body',
};
const SELECT = [
  'toString(toUnixTimestamp64Nano(Timestamp)) AS time_unix_nano',
  ...Object.entries(COLUMNS).map(([alias, column]) => `${column} AS ${alias}`),
  // Record attribute only: the producer's per-connection emission order.
  `toInt64OrNull(LogAttributes['tv.event.seq']) AS event_seq`,
  `${recordAttributesSql()} AS attributes`,
].join(', ');

/**
 * GET /api/v1/timeline: one client's events in time order, looked up by
 * exactly one of user_id, session_id, connection_id or message_id. A
 * message lookup also returns the connection events of the sessions that
 * carried the message, from five minutes before to five after, so the
 * timeline explains what happened to it.
 */
export async function queryTimeline(client: ClickHouseClient, database: string, rawParams: unknown, now = Date.now()): Promise<TimelineResponse> {
  const p = parseParams(timelineParamsSchema, rawParams);
  const given = (Object.keys(KEYS) as LookupKey[]).filter((k) => p[k] !== undefined);
  if (given.length !== 1) {
    throw new QueryParamError([`give exactly one of user_id, session_id, connection_id, message_id (got ${given.length === 0 ? 'none' : given.join(', ')})`]);
  }
  const key = given[0]!;
  const value = p[key]!;
  const { from, to } = resolveRange(p, now, 7 * 86_400_000, 90);
  const params = { value, from, to, limit: p.limit + 1 };
  const timeFilter = `Timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND Timestamp < fromUnixTimestamp64Milli({to:Int64})`;

  // The looked-up id's own rows, read only where id_buckets places it.
  const own = `${KEYS[key]} = {value:String} AND ${timeFilter} AND ${idPlacesCondition(database, key, IN_RANGE)}`;
  // Time orders; ties are settled by orderTimelineEvents (tv.event.seq, then causal order), the rest keeps the cut at `limit`
  // and the order of events equal in all of those (two acks of one instant) the same from one lookup to the next.
  let query = `SELECT ${SELECT} FROM ${database}.logs WHERE ${own}
    ORDER BY Timestamp, ConnectionId, event_seq, EventName, MessageId LIMIT {limit:UInt32}`;
  let queryParams: Record<string, unknown> = params;
  if (key === 'message_id') {
    const windows = await carrierWindows(client, database, own, params);
    if (windows.sessions.length > 0) {
      // Two selects, so each reads only its ids' places (an OR of the two would read every row of the range): the
      // message's own events by its id, and the connection events of each carrying session around its journey.
      // Every condition is computed for every row read, so a row of another session reads its window as 0 ('' parsed), not an error.
      const carried = `${timeFilter} AND EventName != '' AND EventName NOT LIKE 'msg.%' AND MessageId != {value:String}
        AND SessionId IN {sessions:Array(String)}
        AND Timestamp >= fromUnixTimestamp64Nano(toInt64({first:String})) AND Timestamp <= fromUnixTimestamp64Nano(toInt64({last:String}))
        AND ${idPlacesCondition(database, 'session_id', CARRIERS)}
        AND Timestamp BETWEEN fromUnixTimestamp64Nano(toInt64OrZero({lo:Array(String)}[indexOf({sessions:Array(String)}, SessionId)]))
                          AND fromUnixTimestamp64Nano(toInt64OrZero({hi:Array(String)}[indexOf({sessions:Array(String)}, SessionId)]))`;
      query = `SELECT * FROM (
          SELECT ${SELECT} FROM ${database}.logs WHERE ${own}
          UNION ALL
          SELECT ${SELECT} FROM ${database}.logs WHERE ${carried}
        ) ORDER BY toUInt64(time_unix_nano), connection_id, event_seq, event, message_id LIMIT {limit:UInt32}`;
      queryParams = { ...params, ...windows };
    }
  }
  const result = await client.query({ query, query_params: queryParams, format: 'JSONEachRow' });
  const rows = await result.json<Record<string, unknown>>();
  const truncated = rows.length > p.limit;
  const events = orderTimelineEvents(describeFailedAttempts(rows.slice(0, p.limit).map(compactEvent)));
  const messages = messageVerdicts(events, { lateAfterMillis: p.late_ms, ackWindowMillis: 60_000, now });
  const notes: string[] = [];
  const lookup: TimelineResponse['lookup'] = { key, value };
  if (key === 'message_id') {
    const journeys = messages.filter((m) => m.message_id === value);
    lookup.journeys = journeys.length;
    if (journeys.length > 1) notes.push(reusedIdNote(value, journeys));
  }
  const response: TimelineResponse = { lookup, from: new Date(from).toISOString(), to: new Date(to).toISOString(), events, messages, truncated, notes };
  if (key === 'user_id' && events.length === 0) {
    const hint = await hashedUserIdHint(client, database, value, { from, to });
    if (hint) {
      response.user_id_hint = hint;
      notes.push(hashedUserIdNote(hint));
    }
  }
  return response;
}

/** Each session that carried the message, from five minutes before its journey of it to five after (epoch ns, as text). */
interface CarrierWindows {
  sessions: string[];
  lo: string[];
  hi: string[];
  /** The earliest `lo` and the latest `hi`: a range the primary key can prune to. */
  first: string;
  last: string;
}

/** `messageRows`: the condition on the message's own rows. */
async function carrierWindows(client: ClickHouseClient, database: string, messageRows: string, params: Record<string, unknown>): Promise<CarrierWindows> {
  const result = await client.query({
    query: `SELECT SessionId AS session,
              toString(toUnixTimestamp64Nano(min(Timestamp) - INTERVAL 5 MINUTE)) AS lo,
              toString(toUnixTimestamp64Nano(max(Timestamp) + INTERVAL 5 MINUTE)) AS hi
            FROM ${database}.logs WHERE ${messageRows} AND SessionId != ''
            GROUP BY SessionId`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ session: string; lo: string; hi: string }>();
  const ns = (text: string) => BigInt(text);
  return {
    sessions: rows.map((r) => r.session),
    lo: rows.map((r) => r.lo),
    hi: rows.map((r) => r.hi),
    first: rows.reduce((min, r) => (ns(r.lo) < ns(min) ? r.lo : min), rows[0]?.lo ?? '0'),
    last: rows.reduce((max, r) => (ns(r.hi) > ns(max) ? r.hi : max), rows[0]?.hi ?? '0'),
  };
}

/** "Message id m-12 matched 2 separate journeys, in sessions run-1 and run-2: …". */
function reusedIdNote(value: string, journeys: readonly MessageVerdict[]): string {
  const sessions = journeys.map((j) => j.session_id ?? '(no session)');
  const listed = sessions.length === 2 ? sessions.join(' and ') : `${sessions.slice(0, -1).join(', ')} and ${sessions[sessions.length - 1]}`;
  return `Message id ${value} matched ${journeys.length} separate journeys, in sessions ${listed}: message ids are unique only within a session, so each journey has its own verdict.`;
}

// Non-nullable columns whose 0 means "not applicable" (0 is no close code or attempt).
const ZERO_MEANS_ABSENT = new Set(['close_code', 'attempt', 'missed_count']);
// Int64 columns arrive as strings (64-bit integers are quoted); sequences fit in a double.
const INT64_FIELDS = new Set(['message_seq', 'resume_last_seq', 'expected_seq', 'got_seq', 'event_seq']);

/** Drops fields that do not apply to the event, so each carries only its own facts. */
function compactEvent(row: Record<string, unknown>): TimelineEvent {
  const nanos = String(row.time_unix_nano);
  const event: Record<string, unknown> = { time: new Date(Number(BigInt(nanos) / 1_000_000n)).toISOString(), time_unix_nano: nanos };
  for (const [k, v] of Object.entries(row)) {
    if (k === 'time_unix_nano' || v === null || v === '') continue;
    if (v === 0 && ZERO_MEANS_ABSENT.has(k)) continue;
    if (k === 'attributes' && typeof v === 'object' && Object.keys(v as object).length === 0) continue;
    event[k] = INT64_FIELDS.has(k) ? Number(v) : v;
  }
  const errorType = (event.attributes as Record<string, string> | undefined)?.['error.type'];
  if (errorType) event.error_type = errorType;
  if (typeof event.close_code === 'number') {
    event.close_meaning = describeCloseCode(event.close_code);
    event.close_abnormal = ABNORMAL_CLOSE_CODES.includes(event.close_code);
  }
  return event as unknown as TimelineEvent;
}

/**
 * A `conn.close` without a duration ends an attempt that never opened
 * (docs/semconv.md): its code (often 1006 or 1015) says nothing about a
 * lost connection, so such a close is worded by why the attempt failed
 * (`tv.connection.failure`, `error.type`, or the `conn.error` its
 * connection reported) and is never abnormal, as in the rollups.
 */
function describeFailedAttempts(events: TimelineEvent[]): TimelineEvent[] {
  const errors = new Map<string, string>();
  for (const e of events) {
    if (e.event === 'conn.error' && e.connection_id && e.error_type) errors.set(`${e.role ?? ''}\u0000${e.connection_id}`, e.error_type);
  }
  return events.map((e) => {
    if (e.event !== 'conn.close' || e.duration_ms !== undefined) return e;
    const facts = failedAttemptFacts(e.attributes ?? {}, e.close_code, errors.get(`${e.role ?? ''}\u0000${e.connection_id ?? ''}`));
    return {
      ...e,
      failed_attempt: true,
      connection_failure: facts.failure,
      ...(facts.errorType === undefined ? {} : { error_type: facts.errorType }),
      ...(facts.httpStatus === undefined ? {} : { http_status: facts.httpStatus }),
      close_meaning: facts.meaning,
      close_abnormal: false,
    };
  });
}
