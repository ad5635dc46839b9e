/** Event names (the `event.name` attribute of an OTLP log record), see docs/semconv.md. */
export const EVENT_CONN_OPENING = 'conn.opening';
export const EVENT_CONN_OPEN = 'conn.open';
export const EVENT_CONN_CLOSE = 'conn.close';
export const EVENT_CONN_ERROR = 'conn.error';
export const EVENT_CONN_STATE = 'conn.state';
export const EVENT_CONN_RECONNECT_SCHEDULED = 'conn.reconnect.scheduled';
export const EVENT_CONN_RECONNECT_GAVE_UP = 'conn.reconnect.gave_up';
export const EVENT_CONN_HEARTBEAT_MISSED = 'conn.heartbeat.missed';
export const EVENT_SESSION_RESUME = 'session.resume';
export const EVENT_MSG_SENT = 'msg.sent';
export const EVENT_MSG_QUEUED = 'msg.queued';
export const EVENT_MSG_ACKED = 'msg.acked';
export const EVENT_MSG_RECEIVED = 'msg.received';
export const EVENT_MSG_RETRIED = 'msg.retried';
export const EVENT_MSG_REPLAYED = 'msg.replayed';
export const EVENT_MSG_DROPPED = 'msg.dropped';
export const EVENT_MSG_DUPLICATE = 'msg.duplicate';
export const EVENT_MSG_GAP = 'msg.gap';

/** Every event name the conventions define, for validation and docs. */
export const EVENT_NAMES = [
  EVENT_CONN_OPENING,
  EVENT_CONN_OPEN,
  EVENT_CONN_CLOSE,
  EVENT_CONN_ERROR,
  EVENT_CONN_STATE,
  EVENT_CONN_RECONNECT_SCHEDULED,
  EVENT_CONN_RECONNECT_GAVE_UP,
  EVENT_CONN_HEARTBEAT_MISSED,
  EVENT_SESSION_RESUME,
  EVENT_MSG_SENT,
  EVENT_MSG_QUEUED,
  EVENT_MSG_ACKED,
  EVENT_MSG_RECEIVED,
  EVENT_MSG_RETRIED,
  EVENT_MSG_REPLAYED,
  EVENT_MSG_DROPPED,
  EVENT_MSG_DUPLICATE,
  EVENT_MSG_GAP,
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

/** Values of `tv.message.drop_reason`. */
export const DROP_REASONS = ['queue_full', 'ttl_expired', 'resume_failed', 'outbox_full', 'attempts_exhausted', 'policy', 'connection_lost'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Values of `tv.resume.outcome`. */
export const RESUME_OUTCOMES = ['ok', 'failed'] as const;
export type ResumeOutcome = (typeof RESUME_OUTCOMES)[number];

/** Connection states of `conn.state` (`tv.state.from` / `tv.state.to`). */
export const CONNECTION_STATES = ['connecting', 'open', 'reconnecting', 'offline', 'closed'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/**
 * Values of `tv.connection.failure`: why a connection attempt never opened.
 * `refused` (nothing listening, ECONNREFUSED), `dns` (name not resolved),
 * `tls` (certificate or handshake), `timeout` (no answer in time),
 * `rejected` (the server answered the upgrade with an HTTP error, e.g. 401/403/503),
 * `network` (unreachable, reset), `unknown` (the platform does not say, as browsers do not).
 */
export const CONNECTION_FAILURES = ['refused', 'dns', 'tls', 'timeout', 'rejected', 'network', 'unknown'] as const;
export type ConnectionFailure = (typeof CONNECTION_FAILURES)[number];
