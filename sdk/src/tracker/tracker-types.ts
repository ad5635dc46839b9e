import type { LoggerProvider } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/api';
import type { ConnectionFailure, ConnectionState, DropReason } from '@tunnelvision/semconv';

/**
 * The tracker's public contract: a small, transport-agnostic API an app or
 * a library calls as things happen to its connections and messages. It
 * emits the events and metrics of docs/semconv.md through the OpenTelemetry
 * APIs. No method ever throws into the caller.
 */

/** How per-message events are sampled so high-volume apps can afford them. */
export interface MessageSamplingOptions {
  /**
   * Share (0..1) of successful message journeys whose events are kept
   * (msg.sent, msg.acked, msg.received). Failures (msg.dropped, msg.retried,
   * msg.replayed, msg.duplicate, msg.gap) are always kept, and so is a
   * sampled-out message's whole journey once it fails. Default 1.
   */
  successRatio?: number;
  /**
   * Messages slower than this are kept even when sampled out (their
   * msg.acked is emitted with the latency). Default 1000 ms.
   */
  slowThresholdMillis?: number;
}

export interface TrackerOptions {
  /**
   * Where events go; default: OpenTelemetry's global provider, or with
   * `createTracker` from `@tunnelvision/sdk/browser` the page's
   * `setupBrowserTelemetry`.
   */
  loggerProvider?: LoggerProvider;
  /** Where metrics go; the default as for loggerProvider. */
  meterProvider?: MeterProvider;
  /** Which side is reporting: `client` (default) or `server` (tv.role). */
  role?: 'client' | 'server';
  /** Session id for every connection of this tracker; default: a random id. */
  sessionId?: string;
  /** User id (user.id). Hashed before it leaves the process when `hashUserId` is set. */
  userId?: string;
  /**
   * Hash user ids with SHA-256 (hex, first 32 chars) before emitting, so a
   * raw id never leaves the device; or a function of your own. Default false.
   */
  hashUserId?: boolean | ((userId: string) => string);
  /**
   * How long a message sent but not acked when its connection ended stays
   * at risk: sent again with the same id on a later connection it is
   * msg.replayed (and an ack still reports latency from the first send);
   * neither resent nor acked within this time it is msg.dropped with reason
   * connection_lost and counts in tv.message.lost. Default 30000 ms.
   */
  atRiskTimeoutMillis?: number;
  /** Per-message sampling; default keeps everything. */
  sampling?: MessageSamplingOptions;
  /**
   * Feature flags this app runs with, flag key to variant (`{ checkout_v2: 'on' }`):
   * each is sent as `feature_flag.<key>` on every event and metric point of this
   * tracker, so reliability can be compared by cohort. Fixed for the tracker's
   * lifetime (a metric series keeps its attributes). At most 10 flags; keys are
   * 1-64 letters, digits, `_` or `-` and not `key`, `variant`, `version` or
   * `provider_name`; variants are cut to 64 characters; others are left out.
   */
  featureFlags?: Record<string, string>;
  /** Clock in epoch milliseconds; default Date.now (tests pass a fake). */
  now?: () => number;
}

/** Options for one logical connection (a client object that may reconnect many times). */
export interface ConnectionOptions {
  /** server.address reported on every event: the host name alone, lowercased. */
  serverAddress?: string;
  /** server.port reported on every event. */
  serverPort?: number;
  /**
   * tv.connection.id of the first physical connection, instead of a random
   * one: how a server adopts the id a client sent in its handshake
   * (handshakeIdentity()).
   */
  connectionId?: string;
  /**
   * Whether messages sent but not acked when a connection ends are kept at
   * risk (replayed or dropped with connection_lost later). Default true;
   * code that reports every message's fate itself (the resilient client and
   * server) turns it off.
   */
  trackAtRisk?: boolean;
  /**
   * The state machine's first state, counted in tv.connection.state until
   * the first stateChanged(); no conn.state event is emitted for it. The
   * resilient client passes 'connecting', so a client that never connects
   * counts as wanted and not connected. Default: counted nowhere until the
   * first stateChanged().
   */
  initialState?: ConnectionState;
  /** Overrides the tracker's session id for this connection (servers track many sessions). */
  sessionId?: string;
  /** Overrides the tracker's user id for this connection. */
  userId?: string;
  /** Extra attributes on every event of this connection (e.g. tv.message.channel). */
  attributes?: Record<string, string | number | boolean>;
}

export interface CloseInfo {
  /** WebSocket close code (1000, 1001, 1006, ...). */
  code: number;
  reason?: string;
  /** Whether the closing handshake completed. */
  clean?: boolean;
  /** Who started the close; omitted when unknown. */
  initiator?: 'client' | 'server';
  /** For an attempt that never opened: why (tv.connection.failure); default unknown. */
  failure?: ConnectionFailure;
  /** For an attempt that never opened: error.type (ECONNREFUSED, an HTTP status); default the last error() reported. */
  errorType?: string;
  /**
   * When the client closed because heartbeats went unanswered: the consecutive
   * misses that led to it (tv.heartbeat.missed), which marks a zombie connection.
   */
  heartbeatMissed?: number;
}

export interface ReconnectInfo {
  /** 1 for the first retry after a drop. */
  attempt: number;
  /** The delay actually waited, jitter included. */
  delayMs: number;
  /** The part of delayMs that is random jitter (can be negative). */
  jitterMs?: number;
}

export interface ResumeInfo {
  /** Last sequence number the client had received before resuming; omit when the protocol does not say (Socket.IO's offsets are opaque). */
  lastSeq?: number;
  /** Messages the server replayed; omit when unknown. */
  replayed?: number;
  /** false when the server could not resume (the app must resync). */
  ok: boolean;
}

export interface MessageInfo {
  /** Sequence number, when the protocol has one. */
  seq?: number;
  /** Conversation / channel / topic. */
  channel?: string;
  /** Payload size in bytes. */
  size?: number;
}

/**
 * One logical connection. Each `opening()` starts a new physical
 * connection with a fresh tv.connection.id; state like time-to-reconnect
 * is carried across them.
 */
export interface ConnectionHandle {
  /** Current physical connection id (tv.connection.id); '' before the first opening(). */
  readonly connectionId: string;
  /** A connection attempt starts (conn.opening); returns the new connection id: `connectionId` when given (a server adopting the client's, see handshakeIdentity), else a random one. */
  opening(attempt?: number, connectionId?: string): string;
  /** The socket is open (conn.open); after a drop this carries downtime and counts as a reconnect. */
  opened(): void;
  /** The socket closed (conn.close) with its code; counts an active connection down. */
  closed(info: CloseInfo): void;
  /** A transport error (conn.error). */
  error(errorType: string, message?: string): void;
  /** The client's state machine moved (conn.state); from the first call on, the connection counts in tv.connection.state under `to`. */
  stateChanged(from: ConnectionState, to: ConnectionState): void;
  /** A reconnect was scheduled (conn.reconnect.scheduled). */
  reconnectScheduled(info: ReconnectInfo): void;
  /** The client stopped retrying (conn.reconnect.gave_up). */
  gaveUp(attempts: number): void;
  /** A heartbeat round trip completed (tv.heartbeat.rtt histogram; no event). */
  heartbeat(rttMs: number): void;
  /** Heartbeats went unanswered (conn.heartbeat.missed). */
  heartbeatMissed(missed: number): void;
  /** A resume finished (session.resume). */
  resumed(info: ResumeInfo): void;
  /** Outbound queue depth now (tv.queue.depth gauge). */
  queueDepth(depth: number): void;
  /** A message this side sends, tracked from first send to ack or drop. */
  message(messageId: string, info?: MessageInfo): MessageHandle;
  /** A message arrived from the peer (msg.received, sampled). */
  received(messageId: string, info?: MessageInfo): void;
  /** A message arrived twice and was suppressed (msg.duplicate). */
  duplicate(messageId: string, info?: MessageInfo): void;
  /** A sequence gap was seen (msg.gap). */
  gap(expectedSeq: number, gotSeq: number): void;
  /**
   * Adds or replaces attributes on this connection's later events, for what
   * changes during a connection (Socket.IO's transport upgrade from polling
   * to websocket). Same value rules as ConnectionOptions.attributes.
   */
  setAttributes(attributes: Record<string, string | number | boolean>): void;
  /** Stops tracking: closes an open connection's accounting without an event. */
  dispose(): void;
}

/** One outbound message's journey. */
export interface MessageHandle {
  readonly messageId: string;
  /**
   * Put on the wire: the first call is msg.sent and starts the latency
   * clock; a later call on the same connection is msg.retried, on another
   * connection (after the one it was sent on ended) msg.replayed.
   */
  sent(): void;
  /** Held in the offline queue (msg.queued). */
  queued(queueDepth: number): void;
  /** Sent again after no ack (msg.retried). */
  retried(attempt: number): void;
  /** Sent again from the queue after a reconnect (msg.replayed). */
  replayed(): void;
  /** Acknowledged by the peer (msg.acked with latency since first send; delivery latency histogram). */
  acked(): void;
  /** Given up on (msg.dropped, tv.message.lost counter). */
  dropped(reason: DropReason): void;
}

export interface Tracker {
  /** Starts tracking a logical connection. */
  connection(options?: ConnectionOptions): ConnectionHandle;
  /** Sets (or clears) the user id for connections created afterwards and open ones. */
  setUserId(userId: string | undefined): void;
  /** The session id events carry. */
  readonly sessionId: string;
}
