/**
 * WebSocket close codes the resilience protocol sends or acts on
 * (RFC 6455 section 7.4; 4000-4999 are this protocol's own).
 */

/** Normal closure: the client stops (it does not reconnect). */
export const CLOSE_NORMAL = 1000;
/** Going away: the server is shutting down; clients reconnect promptly. */
export const CLOSE_GOING_AWAY = 1001;
/** Connection lost without a close frame (reported locally, never sent). */
export const CLOSE_ABNORMAL = 1006;
/** Policy violation (often authentication): clients do not retry. */
export const CLOSE_POLICY_VIOLATION = 1008;
/** Service restart: treated like 1001. */
export const CLOSE_SERVICE_RESTART = 1012;
/** Try again later: the server is overloaded; clients back off longer. */
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** Sent by the client when heartbeats went unanswered (half-open connection). */
export const CLOSE_HEARTBEAT_TIMEOUT = 4000;
/** Sent by the client when server sequence numbers skipped; it resumes to fill the gap. */
export const CLOSE_SEQUENCE_GAP = 4001;
/** Sent by the server to an older connection when the same session connects again. */
export const CLOSE_SESSION_TAKEN_OVER = 4002;
/** Sent by the server when a connection sent no hello in time. */
export const CLOSE_HELLO_TIMEOUT = 4003;
/** Sent by the client when the handshake (open + welcome) took too long. */
export const CLOSE_CONNECT_TIMEOUT = 4004;
/** Sent by the client when the device went offline. */
export const CLOSE_OFFLINE = 4005;
/** Sent by the server when a connection was silent for too long. */
export const CLOSE_IDLE_TIMEOUT = 4006;
