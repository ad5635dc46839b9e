import type { WebSocketServer } from 'ws';
import type { Tracker } from '../tracker/tracker-types.js';
import type { SessionStore } from './session-store.js';

/** Options of `ResilientServer`. Every field is optional; defaults are in `RESILIENT_SERVER_DEFAULTS`. */
export interface ResilientServerOptions {
  /** Port to listen on when the server creates its own WebSocketServer; 0 picks a free one. Default 0. */
  port?: number;
  /** Host to listen on. Default: all interfaces (Node's default). */
  host?: string;
  /** Only accept upgrades on this path. Default: any path. */
  path?: string;
  /**
   * Use this WebSocketServer instead of creating one (for your own HTTP
   * server, authentication in verifyClient, ...). `port`, `host`, `path`
   * and `maxPayloadBytes` are then ignored, and `close()` leaves it open.
   */
  webSocketServer?: WebSocketServer;
  /** Sessions; pass the same store to a new server to resume sessions across a restart. Default: a new store. */
  store?: SessionStore;
  /** Where telemetry goes (use a tracker with role 'server'). Default: none. */
  tracker?: Tracker;
  /** server.address on every event. Default: the host name. */
  serverAddress?: string;
  /** Open connections beyond which new ones are refused with 1013. Default 10 000. */
  maxConnections?: number;
  /** Un-acked messages kept per session for replay; beyond it the oldest is evicted (outbox_full). Default 1000. */
  maxOutboxSize?: number;
  /** Un-acked messages older than this are evicted (ttl_expired). Default 300 000 ms. */
  outboxTtlMillis?: number;
  /** A session with no connection for this long is forgotten. Default 300 000 ms. */
  sessionTtlMillis?: number;
  /** Client message ids remembered per session for de-duplication. Default 1000. */
  dedupWindowSize?: number;
  /** A connection that sends no hello within this is closed (4003). Default 10 000 ms. */
  helloTimeoutMillis?: number;
  /** A connection that sends nothing (not even a ping) for this long is dropped (4006); 0 turns it off. Default 60 000 ms. */
  idleTimeoutMillis?: number;
  /** How often expiry (outbox TTL, idle sessions, idle connections) is checked. Default 1000 ms. */
  sweepIntervalMillis?: number;
  /** On close(), how long clients get to finish the 1001 closing handshake before they are cut. Default 5000 ms. */
  shutdownTimeoutMillis?: number;
  /** Largest frame accepted, in bytes, when the server creates its own WebSocketServer. Default 1 MiB. */
  maxPayloadBytes?: number;
}

/** The defaults of every numeric `ResilientServerOptions` field. */
export const RESILIENT_SERVER_DEFAULTS = {
  port: 0,
  maxConnections: 10_000,
  maxOutboxSize: 1_000,
  outboxTtlMillis: 300_000,
  sessionTtlMillis: 300_000,
  dedupWindowSize: 1_000,
  helloTimeoutMillis: 10_000,
  idleTimeoutMillis: 60_000,
  sweepIntervalMillis: 1_000,
  shutdownTimeoutMillis: 5_000,
  maxPayloadBytes: 1_048_576,
} as const;

type NumericKey = keyof typeof RESILIENT_SERVER_DEFAULTS;

/** Options after defaults and validation. */
export type ResolvedResilientServerOptions = { -readonly [K in NumericKey]: number } & {
  /** Host to listen on, if given. */
  host: string | undefined;
  /** Upgrade path, if given. */
  path: string | undefined;
  /** Caller's WebSocketServer, if given. */
  webSocketServer: WebSocketServer | undefined;
  /** Caller's store, if given. */
  store: SessionStore | undefined;
  /** Tracker, if given. */
  tracker: Tracker | undefined;
  /** server.address for events, if given. */
  serverAddress: string | undefined;
};

/** Smallest accepted value of each numeric option (all must be integers). */
const MINIMUMS: Readonly<Record<NumericKey, number>> = {
  port: 0,
  maxConnections: 0,
  maxOutboxSize: 1,
  outboxTtlMillis: 1,
  sessionTtlMillis: 1,
  dedupWindowSize: 1,
  helloTimeoutMillis: 1,
  idleTimeoutMillis: 0,
  sweepIntervalMillis: 1,
  shutdownTimeoutMillis: 0,
  maxPayloadBytes: 1,
};

/** Applies defaults; an explicit bad value throws a RangeError naming the option. */
export function resolveResilientServerOptions(options: ResilientServerOptions): ResolvedResilientServerOptions {
  const numeric = {} as { -readonly [K in NumericKey]: number };
  for (const key of Object.keys(RESILIENT_SERVER_DEFAULTS) as NumericKey[]) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) {
      numeric[key] = RESILIENT_SERVER_DEFAULTS[key];
      continue;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MINIMUMS[key] || (key === 'port' && value > 65_535)) {
      throw new RangeError(`ResilientServer: options.${key} must be an integer >= ${MINIMUMS[key]}${key === 'port' ? ' and <= 65535' : ''}, got ${String(value)}.`);
    }
    numeric[key] = value;
  }
  return {
    ...numeric,
    host: options.host,
    path: options.path,
    webSocketServer: options.webSocketServer,
    store: options.store,
    tracker: options.tracker,
    serverAddress: options.serverAddress,
  };
}
