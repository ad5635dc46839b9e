import type { WebSocketLike } from '../../shared/web-socket-like.js';

/**
 * What partysocket's and reconnecting-websocket's ReconnectingWebSocket
 * (and PartySocket, a subclass) have in common, typed structurally so the
 * SDK imports neither. Both also keep their options as `_options`
 * (protected in partysocket's typings, so read through a cast, see
 * optionsOf) and the current socket as `_ws` (see watchAttempts).
 */
export interface ReconnectingSocketLike extends WebSocketLike {
  /** Retries of the current connect cycle (reset to 0 once a connection stayed up for minUptime). */
  readonly retryCount: number;
  reconnect?(code?: number, reason?: string): void;
}

/** The options of theirs the instrumentation reads (from `_options`). */
export interface ReconnectingSocketOptions {
  maxRetries?: number | undefined;
  maxEnqueuedMessages?: number | undefined;
}

/** The instance's own options, or none when the library keeps them elsewhere. */
export function optionsOf(socket: ReconnectingSocketLike): ReconnectingSocketOptions {
  const options = (socket as { _options?: unknown })._options;
  return options && typeof options === 'object' ? (options as ReconnectingSocketOptions) : {};
}
