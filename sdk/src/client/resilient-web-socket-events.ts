import type { ConnectionState, DropReason } from '@tunnelvision/semconv';

/** A message from the server, delivered once and in sequence order. */
export interface ResilientMessageEvent {
  /** The app payload. */
  body: unknown;
  /** Per-session sequence number. */
  seq: number;
  /** The server's message id. */
  id: string;
  /** Channel, when the server set one. */
  channel?: string;
}

/** The session is usable (after the server's welcome). */
export interface ResilientOpenEvent {
  /** true when this open resumed an earlier connection of the session. */
  resumed: boolean;
  /** Server messages replayed because of the resume. */
  replayed: number;
}

/** One underlying socket closed. */
export interface ResilientCloseEvent {
  /** WebSocket close code (1006 when no close frame arrived). */
  code: number;
  /** Close reason, '' when none. */
  reason: string;
  /** Whether the closing handshake completed (false when unknown). */
  wasClean: boolean;
}

/** The state machine moved. */
export interface ResilientStateEvent {
  /** Previous state. */
  from: ConnectionState;
  /** New state. */
  to: ConnectionState;
}

/**
 * The server could not resume the session: messages after `lastSeq` up to
 * `seq` are lost to this client, so the app should fetch a full snapshot.
 */
export interface ResilientResyncEvent {
  /** Last sequence number the client had. */
  lastSeq: number;
  /** The server's current sequence number; delivery continues after it. */
  seq: number;
}

/** A message sent with `send()` was acknowledged by the server. */
export interface ResilientAckEvent {
  /** The id `send()` returned. */
  id: string;
}

/** A message sent with `send()` will not be delivered. */
export interface ResilientDropEvent {
  /** The id `send()` returned. */
  id: string;
  /** Why (queue_full, ttl_expired, attempts_exhausted, policy). */
  reason: DropReason;
}

/** A transport error (usually followed by a close). */
export interface ResilientErrorEvent {
  /** Short error class, such as ECONNREFUSED or TimeoutError. */
  errorType: string;
  /** Human-readable detail, when known. */
  message?: string;
}

/** Events of `ResilientWebSocket.on()`. */
export interface ResilientWebSocketEventMap {
  /** The session is usable (after every successful (re)connect). */
  open: ResilientOpenEvent;
  /** A server message, once, in order. */
  message: ResilientMessageEvent;
  /** An underlying socket closed (the client may reconnect). */
  close: ResilientCloseEvent;
  /** The state machine moved. */
  state: ResilientStateEvent;
  /** The session could not be resumed; do a full sync. */
  resync: ResilientResyncEvent;
  /** A sent message was acknowledged. */
  ack: ResilientAckEvent;
  /** A sent message was given up on. */
  drop: ResilientDropEvent;
  /** A transport error. */
  error: ResilientErrorEvent;
}

/** Options of one `send()`. */
export interface ResilientSendOptions {
  /** Channel / topic of the message (tv.message.channel). */
  channel?: string;
}
