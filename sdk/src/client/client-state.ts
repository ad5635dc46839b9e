import type { ConnectionState } from '@tunnelvision/semconv';

/**
 * The client's state machine: which moves between connection states are
 * legal. The client refuses (and ignores) any other move, so a bug shows up
 * as a missing transition rather than as an impossible one in telemetry.
 *
 * connecting   -> open | reconnecting | offline | closed
 * open         -> reconnecting | offline | closed
 * reconnecting -> open | offline | closed
 * offline      -> connecting | reconnecting | closed
 * closed       -> connecting | reconnecting     (reconnect() by the app)
 */
const TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  connecting: ['open', 'reconnecting', 'offline', 'closed'],
  open: ['reconnecting', 'offline', 'closed'],
  reconnecting: ['open', 'offline', 'closed'],
  offline: ['connecting', 'reconnecting', 'closed'],
  closed: ['connecting', 'reconnecting'],
};

/** Whether the state machine may move from `from` to `to`. */
export function canTransition(from: ConnectionState, to: ConnectionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Why a client is in the `closed` state. */
export type ClosedReason =
  /** The app called close(). */
  | 'closed_by_app'
  /** The server closed normally (1000); the client does not reconnect on its own. */
  | 'closed_by_server'
  /** Retries exhausted (maxRetries). */
  | 'gave_up'
  /** The server closed with 1008 (policy violation); retrying would not help. */
  | 'policy'
  /** An application close code (4000-4999) that `shouldReconnect` refused. */
  | 'rejected'
  /** Another client connected with the same session id (4002); fighting back would only loop. */
  | 'taken_over';
