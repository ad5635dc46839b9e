/** A client message, delivered to the server app once. */
export interface InboundMessage {
  /** The client's session. */
  sessionId: string;
  /** The client's message id. */
  id: string;
  /** The app payload. */
  body: unknown;
  /** Channel, when the client set one. */
  channel?: string;
}

/** A client (re)attached its session. */
export interface SessionConnectedEvent {
  /** The session. */
  sessionId: string;
  /** true when an existing session resumed with its messages replayed. */
  resumed: boolean;
  /** Messages replayed to the client. */
  replayed: number;
}

/** A session's connection closed (the session lives on until it expires). */
export interface SessionDisconnectedEvent {
  /** The session. */
  sessionId: string;
  /** Close code (the one the server sent, when it closed). */
  code: number;
  /** Close reason. */
  reason: string;
}

/** A session had no connection for sessionTtlMillis and was forgotten. */
export interface SessionExpiredEvent {
  /** The session. */
  sessionId: string;
}

/** Events of `ResilientServer.on()`. */
export interface ResilientServerEventMap {
  /** A client message, once per message id (duplicates are acked and suppressed). */
  message: InboundMessage;
  /** A client attached (or re-attached) its session. */
  connection: SessionConnectedEvent;
  /** A session's connection closed. */
  disconnect: SessionDisconnectedEvent;
  /** A session expired. */
  'session-expired': SessionExpiredEvent;
}

/** Options of `ResilientServer.send()` and `broadcast()`. */
export interface ResilientServerSendOptions {
  /** Channel / topic of the message. */
  channel?: string;
}
