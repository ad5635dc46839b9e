import {
  ATTR_CLOSE_CLEAN,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_REASON,
  ATTR_CONNECTION_DOWNTIME_MS,
  ATTR_CONNECTION_DURATION_MS,
  ATTR_CONNECTION_ID,
  ATTR_HEARTBEAT_MISSED,
  ATTR_HEARTBEAT_RTT_MS,
  ATTR_MESSAGE_CHANNEL,
  ATTR_MESSAGE_DROP_REASON,
  ATTR_MESSAGE_EXPECTED_SEQ,
  ATTR_MESSAGE_GOT_SEQ,
  ATTR_MESSAGE_ID,
  ATTR_MESSAGE_LATENCY_MS,
  ATTR_MESSAGE_SEQ,
  ATTR_QUEUE_DEPTH,
  ATTR_RECONNECT_DELAY_MS,
  ATTR_RECONNECT_JITTER_MS,
  ATTR_RESUME_LAST_SEQ,
  ATTR_RESUME_OUTCOME,
  ATTR_RESUME_REPLAYED,
  ATTR_ROLE,
  ATTR_SESSION_ID,
  ATTR_STATE_FROM,
  ATTR_STATE_TO,
  ATTR_USER_ID,
} from '@tunnelvision/semconv';

/**
 * A record attribute whose value its typed column of `logs` holds exactly is
 * stored once, in the column: bit i of `AttributesInColumns` says that the
 * attribute at position i of this list was taken out of `LogAttributes`, and
 * the timeline puts it back from the column when it returns the record's
 * attributes. Ids and numbers kept twice were a third of a stored event's
 * bytes and of the text ClickHouse parses per row.
 *
 * The positions are stored in every row: append new entries, never reorder
 * or remove. server.address stays in the map because the label guard may
 * rewrite its column after mapping.
 */
export const ATTRIBUTES_IN_COLUMNS = [
  [ATTR_SESSION_ID, 'SessionId'],
  [ATTR_CONNECTION_ID, 'ConnectionId'],
  [ATTR_USER_ID, 'UserId'],
  [ATTR_MESSAGE_ID, 'MessageId'],
  [ATTR_MESSAGE_CHANNEL, 'Channel'],
  [ATTR_ROLE, 'Role'],
  [ATTR_CLOSE_REASON, 'CloseReason'],
  [ATTR_STATE_FROM, 'StateFrom'],
  [ATTR_STATE_TO, 'StateTo'],
  [ATTR_MESSAGE_DROP_REASON, 'DropReason'],
  [ATTR_RESUME_OUTCOME, 'ResumeOutcome'],
  [ATTR_MESSAGE_SEQ, 'MessageSeq'],
  [ATTR_CLOSE_CODE, 'CloseCode'],
  [ATTR_CLOSE_CLEAN, 'CloseClean'],
  [ATTR_RECONNECT_DELAY_MS, 'DelayMs'],
  [ATTR_RECONNECT_JITTER_MS, 'JitterMs'],
  [ATTR_MESSAGE_LATENCY_MS, 'LatencyMs'],
  [ATTR_CONNECTION_DURATION_MS, 'DurationMs'],
  [ATTR_CONNECTION_DOWNTIME_MS, 'DowntimeMs'],
  [ATTR_HEARTBEAT_RTT_MS, 'RttMs'],
  [ATTR_HEARTBEAT_MISSED, 'MissedCount'],
  [ATTR_RESUME_LAST_SEQ, 'ResumeLastSeq'],
  [ATTR_RESUME_REPLAYED, 'ReplayedCount'],
  [ATTR_MESSAGE_EXPECTED_SEQ, 'ExpectedSeq'],
  [ATTR_MESSAGE_GOT_SEQ, 'GotSeq'],
  [ATTR_QUEUE_DEPTH, 'QueueDepth'],
] as const;

type TypedColumn = (typeof ATTRIBUTES_IN_COLUMNS)[number][1];

/**
 * Takes out of `attributes` (in place) each attribute its typed column
 * reproduces character for character, ClickHouse's toString of the column
 * being the same text as JavaScript's String of the value for the plain
 * decimals accepted here; returns the bits of the attributes taken out.
 * A value the column changes ("12.50", "1e3", an id the column did not
 * take) stays in the map.
 */
export function moveAttributesToColumns(attributes: Record<string, string>, columns: { readonly [C in TypedColumn]: unknown }): number {
  let moved = 0;
  for (let i = 0; i < ATTRIBUTES_IN_COLUMNS.length; i++) {
    const [key, column] = ATTRIBUTES_IN_COLUMNS[i]!;
    const raw = attributes[key];
    if (raw === undefined) continue;
    const value = columns[column];
    if (value === null || value === undefined) continue;
    if (typeof value === 'number' ? !PLAIN_DECIMAL.test(raw) || String(value) !== raw : String(value) !== raw) continue;
    delete attributes[key];
    moved |= 1 << i;
  }
  return moved >>> 0;
}

/** Decimals both languages print the same way (no exponent, no leading zeros, no trailing zeros after the point). */
const PLAIN_DECIMAL = /^-?(0|[1-9]\d{0,14})(\.\d{0,6}[1-9])?$/;

/**
 * SQL for a row's full record attributes: `LogAttributes` with the
 * attributes its typed columns hold put back, as they arrived.
 */
export function recordAttributesSql(): string {
  const keys = ATTRIBUTES_IN_COLUMNS.map(([key]) => `'${key}'`).join(', ');
  const pairs = ATTRIBUTES_IN_COLUMNS.map(([key, column]) => `'${key}', ifNull(toString(${column}), '')`).join(', ');
  return `mapUpdate(mapFilter((k, v) -> bitTest(AttributesInColumns, indexOf([${keys}], k) - 1), map(${pairs})), LogAttributes)`;
}
