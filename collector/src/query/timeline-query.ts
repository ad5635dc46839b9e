import type { ClickHouseClient } from '@clickhouse/client';
import { ABNORMAL_CLOSE_CODES, describeCloseCode } from '@tunnelvision/semconv';
import { z } from 'zod';
import { QueryParamError } from '../errors.js';
import type { LookupKind, TimelineEvent, TimelineResponse } from '../api-types.js';
import { messageVerdicts } from './message-verdict.js';
import { instant, parseParams, resolveRange } from './query-params.js';

const KEYS = { user_id: 'UserId', session_id: 'SessionId', connection_id: 'ConnectionId', message_id: 'MessageId' } as const;
type LookupKey = LookupKind;

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
  'LogAttributes AS attributes',
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

  let where = `${KEYS[key]} = {value:String} AND ${timeFilter}`;
  if (key === 'message_id') {
    // Widen to the carrying sessions' connection lifecycle around the message.
    where = `${timeFilter} AND (MessageId = {value:String} OR (
        EventName != '' AND EventName NOT LIKE 'msg.%'
        AND (SessionId, Timestamp) IN (
          SELECT SessionId, Timestamp FROM ${database}.logs
          WHERE ${timeFilter} AND SessionId IN (
            SELECT DISTINCT SessionId FROM ${database}.logs WHERE MessageId = {value:String} AND SessionId != '' AND ${timeFilter}
          )
          AND Timestamp BETWEEN
            (SELECT min(Timestamp) - INTERVAL 5 MINUTE FROM ${database}.logs WHERE MessageId = {value:String} AND ${timeFilter})
            AND (SELECT max(Timestamp) + INTERVAL 5 MINUTE FROM ${database}.logs WHERE MessageId = {value:String} AND ${timeFilter})
        )))`;
  }
  const result = await client.query({
    query: `SELECT ${SELECT} FROM ${database}.logs WHERE ${where} ORDER BY Timestamp, EventName LIMIT {limit:UInt32}`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  const truncated = rows.length > p.limit;
  const events = rows.slice(0, p.limit).map(compactEvent);
  return {
    lookup: { key, value },
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    events,
    messages: messageVerdicts(events, { lateAfterMillis: p.late_ms, ackWindowMillis: 60_000, now }),
    truncated,
  };
}

// Non-nullable columns whose 0 means "not applicable" (0 is no close code or attempt).
const ZERO_MEANS_ABSENT = new Set(['close_code', 'attempt', 'missed_count']);
// Int64 columns arrive as strings (64-bit integers are quoted); sequences fit in a double.
const INT64_FIELDS = new Set(['message_seq', 'resume_last_seq', 'expected_seq', 'got_seq']);

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
  if (typeof event.close_code === 'number') {
    event.close_meaning = describeCloseCode(event.close_code);
    event.close_abnormal = ABNORMAL_CLOSE_CODES.includes(event.close_code);
  }
  return event as unknown as TimelineEvent;
}
