import { serverOfUrl } from '../instrumentation/handshake-ids.js';
import { diag } from '@opentelemetry/api';
import type { Tracker } from '../tracker/tracker-types.js';
import type { WebSocketConstructor } from '../shared/web-socket-like.js';

/** Options of `ResilientWebSocket`. Every field is optional; defaults are in `RESILIENT_WEB_SOCKET_DEFAULTS`. */
export interface ResilientWebSocketOptions {
  /**
   * The WebSocket class to use. Default `globalThis.WebSocket` (browsers,
   * Node 22+). In Node 20 pass the `ws` package's class:
   * `import { WebSocket } from 'ws'`.
   */
  WebSocket?: WebSocketConstructor;
  /** Subprotocols handed to the WebSocket constructor. Default none. */
  protocols?: string | string[];
  /** Where telemetry goes. Default: none (the client works the same, silently). */
  tracker?: Tracker;
  /** `server.address` on every event. Default: the URL's host name, lowercased (its port goes in server.port). */
  serverAddress?: string;
  /**
   * Puts the session and connection ids in each attempt's URL (query
   * parameters tv_session and tv_connection, see withHandshakeIds) so the
   * server's events carry the client's connection id. Default false.
   */
  handshakeIds?: boolean;
  /**
   * Session id sent in every hello; the server keys its session (outbox,
   * de-duplication) by it. Default: the tracker's session id, else a random
   * id. Clients that share one tracker need ids of their own: a second
   * client on the same session takes it over and the first stops
   * (closedReason 'taken_over').
   */
  sessionId?: string;
  /** Lower end of the range this client's base backoff delay is drawn from. Default 100 ms. */
  minInitialDelayMillis?: number;
  /** Upper end of the range this client's base backoff delay is drawn from. Default 500 ms. */
  maxInitialDelayMillis?: number;
  /** Cap on any reconnect delay, jitter included. Default 30 000 ms; 30-60 s is the usual guidance. */
  maxDelayMillis?: number;
  /** Random share of each delay, either way: 0.5 means ±50%. Default 0.5. */
  jitterRatio?: number;
  /**
   * Reconnect attempts in a row after which the client gives up and stays
   * `closed` (`gaveUp` is true) until `reconnect()`. Default 20; Infinity never gives up.
   */
  maxRetries?: number;
  /** After a 1013 ("try again later") close, the delay is at least this. Default 5000 ms. */
  tryAgainLaterMinDelayMillis?: number;
  /** After a 1013 close, the exponential delay is multiplied by this. Default 4. */
  tryAgainLaterMultiplier?: number;
  /**
   * A connection must stay open this long before the retry counter resets,
   * so a server that accepts and then drops at once still meets growing
   * delays. Default 5000 ms.
   */
  stableAfterMillis?: number;
  /** Time allowed for the socket to open and the server's welcome to arrive. Default 10 000 ms. */
  connectTimeoutMillis?: number;
  /** Time between a pong and the next ping; 0 turns heartbeats off. Default 15 000 ms. */
  heartbeatIntervalMillis?: number;
  /** How long a ping waits for its pong. Default 5000 ms. */
  pongTimeoutMillis?: number;
  /** Consecutive missed pongs after which the connection counts as dead (half-open). Default 2. */
  maxMissedPongs?: number;
  /** How long a sent message waits for its ack before it is sent again. Default 5000 ms. */
  ackTimeoutMillis?: number;
  /**
   * Sends of one message on one connection without an ack (the first send
   * included) before it is dropped as `attempts_exhausted`. Replays after a
   * reconnect start a new count. Default 3.
   */
  maxSendAttempts?: number;
  /** Messages sent and not yet acked at once; more wait in the queue. Default 100. */
  maxInFlight?: number;
  /**
   * Messages held while no connection is open. When full, the OLDEST is
   * dropped (`queue_full`) to make room for the new one. Default 100.
   */
  maxQueueSize?: number;
  /** A message not delivered this long after `send()` is dropped (`ttl_expired`). Default 60 000 ms. */
  queueTtlMillis?: number;
  /** Delay before a cumulative ack of server messages is sent (acks are batched). Default 100 ms. */
  ackBatchDelayMillis?: number;
  /**
   * Decides whether to reconnect after the server closed with an
   * application code (4000-4999, except the protocol's own 4002 "session
   * taken over", which always stops). Default: always reconnect.
   */
  shouldReconnect?: (code: number, reason: string) => boolean;
}

/** The defaults of every `ResilientWebSocketOptions` field that has one. */
export const RESILIENT_WEB_SOCKET_DEFAULTS = {
  minInitialDelayMillis: 100,
  maxInitialDelayMillis: 500,
  maxDelayMillis: 30_000,
  jitterRatio: 0.5,
  maxRetries: 20,
  tryAgainLaterMinDelayMillis: 5_000,
  tryAgainLaterMultiplier: 4,
  stableAfterMillis: 5_000,
  connectTimeoutMillis: 10_000,
  heartbeatIntervalMillis: 15_000,
  pongTimeoutMillis: 5_000,
  maxMissedPongs: 2,
  ackTimeoutMillis: 5_000,
  maxSendAttempts: 3,
  maxInFlight: 100,
  maxQueueSize: 100,
  queueTtlMillis: 60_000,
  ackBatchDelayMillis: 100,
} as const;

type Defaulted = { -readonly [K in keyof typeof RESILIENT_WEB_SOCKET_DEFAULTS]: number };

/** Options after defaults and validation. */
export interface ResolvedResilientWebSocketOptions extends Defaulted {
  /** The WebSocket class in use. */
  WebSocket: WebSocketConstructor;
  /** Subprotocols, if any. */
  protocols: string | string[] | undefined;
  /** The tracker, if any. */
  tracker: Tracker | undefined;
  /** server.address for events. */
  serverAddress: string;
  /** Session id, if given (else chosen by the client). */
  sessionId: string | undefined;
  /** Whether attempt URLs carry the handshake ids. */
  handshakeIds: boolean;
  /** Decides on 4000-4999 closes. */
  shouldReconnect: (code: number, reason: string) => boolean;
}

/**
 * Applies defaults and validates. An explicit bad value throws a RangeError
 * (TypeError for a missing WebSocket class) naming the option; a bad
 * combination that comes from a default is clamped and logged through diag.
 */
export function resolveResilientWebSocketOptions(
  url: string,
  options: ResilientWebSocketOptions,
): ResolvedResilientWebSocketOptions {
  const host = parseUrlHost(url);
  const WebSocketClass =
    options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof WebSocketClass !== 'function') {
    throw new TypeError(
      'ResilientWebSocket: no WebSocket class; pass options.WebSocket (in Node: `import { WebSocket } from "ws"`).',
    );
  }
  if (options.shouldReconnect !== undefined && typeof options.shouldReconnect !== 'function') {
    throw new TypeError('ResilientWebSocket: options.shouldReconnect must be a function.');
  }
  if (options.sessionId !== undefined && (typeof options.sessionId !== 'string' || options.sessionId.length === 0 || options.sessionId.length > 128)) {
    throw new RangeError('ResilientWebSocket: options.sessionId must be a non-empty string of at most 128 characters.');
  }

  const d = RESILIENT_WEB_SOCKET_DEFAULTS;
  const resolved: ResolvedResilientWebSocketOptions = {
    WebSocket: WebSocketClass,
    protocols: options.protocols,
    tracker: options.tracker,
    serverAddress: options.serverAddress ?? host.serverAddress ?? '',
    sessionId: options.sessionId,
    handshakeIds: options.handshakeIds === true,
    shouldReconnect: options.shouldReconnect ?? (() => true),
    minInitialDelayMillis: millis(options, 'minInitialDelayMillis', d.minInitialDelayMillis, 0),
    maxInitialDelayMillis: millis(options, 'maxInitialDelayMillis', d.maxInitialDelayMillis, 0),
    maxDelayMillis: millis(options, 'maxDelayMillis', d.maxDelayMillis, 1),
    jitterRatio: ratio(options, 'jitterRatio', d.jitterRatio),
    maxRetries: count(options, 'maxRetries', d.maxRetries, 0, true),
    tryAgainLaterMinDelayMillis: millis(options, 'tryAgainLaterMinDelayMillis', d.tryAgainLaterMinDelayMillis, 0),
    tryAgainLaterMultiplier: atLeast(options, 'tryAgainLaterMultiplier', d.tryAgainLaterMultiplier, 1),
    stableAfterMillis: millis(options, 'stableAfterMillis', d.stableAfterMillis, 0),
    connectTimeoutMillis: millis(options, 'connectTimeoutMillis', d.connectTimeoutMillis, 1),
    heartbeatIntervalMillis: millis(options, 'heartbeatIntervalMillis', d.heartbeatIntervalMillis, 0),
    pongTimeoutMillis: millis(options, 'pongTimeoutMillis', d.pongTimeoutMillis, 1),
    maxMissedPongs: count(options, 'maxMissedPongs', d.maxMissedPongs, 1, false),
    ackTimeoutMillis: millis(options, 'ackTimeoutMillis', d.ackTimeoutMillis, 1),
    maxSendAttempts: count(options, 'maxSendAttempts', d.maxSendAttempts, 1, false),
    maxInFlight: count(options, 'maxInFlight', d.maxInFlight, 1, false),
    maxQueueSize: count(options, 'maxQueueSize', d.maxQueueSize, 0, false),
    queueTtlMillis: millis(options, 'queueTtlMillis', d.queueTtlMillis, 1),
    ackBatchDelayMillis: millis(options, 'ackBatchDelayMillis', d.ackBatchDelayMillis, 0),
  };

  reconcile(resolved, options, 'minInitialDelayMillis', 'maxInitialDelayMillis');
  reconcile(resolved, options, 'maxInitialDelayMillis', 'maxDelayMillis');
  reconcile(resolved, options, 'minInitialDelayMillis', 'maxInitialDelayMillis');
  reconcile(resolved, options, 'tryAgainLaterMinDelayMillis', 'maxDelayMillis');
  return resolved;
}

type NumericKey = keyof Defaulted;

function parseUrlHost(url: string): ReturnType<typeof serverOfUrl> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`ResilientWebSocket: "${String(url)}" is not a valid URL (expected ws://host/path or wss://host/path).`);
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(parsed.protocol)) {
    throw new RangeError(`ResilientWebSocket: URL scheme "${parsed.protocol}" is not supported (use ws: or wss:).`);
  }
  return serverOfUrl(parsed);
}

function explicit(options: ResilientWebSocketOptions, key: NumericKey): unknown {
  return (options as Record<string, unknown>)[key];
}

function millis(options: ResilientWebSocketOptions, key: NumericKey, fallback: number, min: number): number {
  const value = explicit(options, key);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`ResilientWebSocket: options.${key} must be a finite number of milliseconds >= ${min}, got ${String(value)}.`);
  }
  return value;
}

function ratio(options: ResilientWebSocketOptions, key: NumericKey, fallback: number): number {
  const value = explicit(options, key);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new RangeError(`ResilientWebSocket: options.${key} must be between 0 and 1, got ${String(value)}.`);
  }
  return value;
}

function atLeast(options: ResilientWebSocketOptions, key: NumericKey, fallback: number, min: number): number {
  const value = explicit(options, key);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`ResilientWebSocket: options.${key} must be a finite number >= ${min}, got ${String(value)}.`);
  }
  return value;
}

function count(options: ResilientWebSocketOptions, key: NumericKey, fallback: number, min: number, allowInfinity: boolean): number {
  const value = explicit(options, key);
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    value >= min &&
    (Number.isSafeInteger(value) || (allowInfinity && value === Number.POSITIVE_INFINITY));
  if (!ok) {
    throw new RangeError(
      `ResilientWebSocket: options.${key} must be an integer >= ${min}${allowInfinity ? ' (or Infinity)' : ''}, got ${String(value)}.`,
    );
  }
  return value as number;
}

/** Ensures resolved[low] <= resolved[high]: throws when both were explicit, else clamps the defaulted one. */
function reconcile(resolved: ResolvedResilientWebSocketOptions, options: ResilientWebSocketOptions, low: NumericKey, high: NumericKey): void {
  if (resolved[low] <= resolved[high]) return;
  const lowExplicit = explicit(options, low) !== undefined;
  const highExplicit = explicit(options, high) !== undefined;
  if (lowExplicit && highExplicit) {
    throw new RangeError(`ResilientWebSocket: options.${low} (${resolved[low]}) must not exceed options.${high} (${resolved[high]}).`);
  }
  if (lowExplicit) {
    diag.warn(`ResilientWebSocket: default ${high} (${resolved[high]}) raised to options.${low} (${resolved[low]}).`);
    resolved[high] = resolved[low];
  } else {
    diag.warn(`ResilientWebSocket: default ${low} (${resolved[low]}) lowered to ${high} (${resolved[high]}).`);
    resolved[low] = resolved[high];
  }
}
