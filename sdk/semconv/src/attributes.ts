/**
 * Attribute keys of the TunnelVision semantic conventions (docs/semconv.md).
 * Standard OpenTelemetry keys are reused where one exists; everything
 * TunnelVision-specific lives under the `tv.` namespace so it never collides
 * with another producer's attributes.
 */

/** Version of these conventions; sent as the instrumentation scope's schema URL suffix. */
export const SEMCONV_VERSION = '1.1.0';
export const SEMCONV_SCHEMA_URL = `https://tunnelvision.dev/schemas/${SEMCONV_VERSION}`;

// Identity: resource attributes (standard OpenTelemetry keys).
export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_VERSION = 'service.version';
export const ATTR_DEPLOYMENT_ENVIRONMENT = 'deployment.environment.name';

// Identity: who and which connection (log-record or resource attributes).
export const ATTR_SESSION_ID = 'session.id';
export const ATTR_USER_ID = 'user.id';
/** true when `user.id` is the SDK's SHA-256 hash of the app's id (hex, first 32 characters), so a lookup can offer the hash. */
export const ATTR_USER_ID_HASHED = 'tv.user.id_hashed';
export const ATTR_SERVER_ADDRESS = 'server.address';
/** The server's port (standard OpenTelemetry key); server.address then holds the host name alone, lowercased. */
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_CONNECTION_ID = 'tv.connection.id';
/** `client` or `server`: which side of the connection reported the event. */
export const ATTR_ROLE = 'tv.role';

// Every event.
export const ATTR_EVENT_NAME = 'event.name';
/**
 * Per-connection emission order, assigned by the SDK as each event is
 * emitted (1, 2, 3, ... per connection handle): timelines order by time,
 * then by this, so events of the same millisecond keep the order they happened in.
 */
export const ATTR_EVENT_SEQ = 'tv.event.seq';

// Connection lifecycle.
export const ATTR_CONNECTION_ATTEMPT = 'tv.connection.attempt';
export const ATTR_CONNECTION_DURATION_MS = 'tv.connection.duration_ms';
export const ATTR_CONNECTION_DOWNTIME_MS = 'tv.connection.downtime_ms';
export const ATTR_CLOSE_CODE = 'tv.close.code';
export const ATTR_CLOSE_REASON = 'tv.close.reason';
export const ATTR_CLOSE_CLEAN = 'tv.close.clean';
export const ATTR_CLOSE_INITIATOR = 'tv.close.initiator';
export const ATTR_STATE_FROM = 'tv.state.from';
export const ATTR_STATE_TO = 'tv.state.to';
/** The state a tv.connection.state point counts: one of CONNECTION_STATES but `closed`. */
export const ATTR_STATE = 'tv.state';
export const ATTR_RECONNECT_ATTEMPT = 'tv.reconnect.attempt';
export const ATTR_RECONNECT_DELAY_MS = 'tv.reconnect.delay_ms';
export const ATTR_RECONNECT_JITTER_MS = 'tv.reconnect.jitter_ms';
export const ATTR_HEARTBEAT_RTT_MS = 'tv.heartbeat.rtt_ms';
export const ATTR_HEARTBEAT_MISSED = 'tv.heartbeat.missed';
export const ATTR_RESUME_LAST_SEQ = 'tv.resume.last_seq';
export const ATTR_RESUME_REPLAYED = 'tv.resume.replayed';
export const ATTR_RESUME_OUTCOME = 'tv.resume.outcome';
export const ATTR_ERROR_TYPE = 'error.type';
/** Why an attempt never opened (conn.close without a duration): one of CONNECTION_FAILURES. */
export const ATTR_CONNECTION_FAILURE = 'tv.connection.failure';

// Cohorts: feature flags (docs/semconv.md#feature-flags).
/**
 * Prefix of the per-flag attributes: `feature_flag.<key>` = the variant the
 * reporting app runs (`feature_flag.checkout_v2` = `on`), on every event and
 * metric point, so reliability can be compared by cohort. Named in the spirit
 * of OpenTelemetry's `feature_flag.*` namespace; keys never contain a dot and
 * never take OpenTelemetry's own names (FEATURE_FLAG_KEY_PATTERN).
 */
export const ATTR_FEATURE_FLAG_PREFIX = 'feature_flag.';
/** Most feature flags one producer attaches (each is an attribute on every event and point). */
export const MAX_FEATURE_FLAGS = 10;
/** Longest variant kept; a longer one is cut to this many characters. */
export const MAX_FEATURE_FLAG_VARIANT_LENGTH = 64;
/**
 * A valid flag key: 1-64 letters, digits, `_` or `-` (no dot, so
 * `feature_flag.<key>` never collides with OpenTelemetry's
 * `feature_flag.result.variant`, `feature_flag.provider.name`, ...), and
 * none of OpenTelemetry's single-word `feature_flag.*` names.
 */
export const FEATURE_FLAG_KEY_PATTERN = /^(?!(?:key|variant|version|provider_name)$)[\w-]{1,64}$/;

// Message delivery.
export const ATTR_MESSAGE_ID = 'tv.message.id';
export const ATTR_MESSAGE_SEQ = 'tv.message.seq';
export const ATTR_MESSAGE_CHANNEL = 'tv.message.channel';
export const ATTR_MESSAGE_SIZE = 'tv.message.size';
export const ATTR_MESSAGE_LATENCY_MS = 'tv.message.latency_ms';
export const ATTR_MESSAGE_ATTEMPT = 'tv.message.attempt';
export const ATTR_MESSAGE_DROP_REASON = 'tv.message.drop_reason';
export const ATTR_MESSAGE_EXPECTED_SEQ = 'tv.message.expected_seq';
export const ATTR_MESSAGE_GOT_SEQ = 'tv.message.got_seq';
export const ATTR_QUEUE_DEPTH = 'tv.queue.depth';
