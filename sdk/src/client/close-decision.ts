import {
  CLOSE_GOING_AWAY,
  CLOSE_NORMAL,
  CLOSE_POLICY_VIOLATION,
  CLOSE_SERVICE_RESTART,
  CLOSE_SESSION_TAKEN_OVER,
  CLOSE_TRY_AGAIN_LATER,
} from '../protocol/close-codes.js';
import type { ClosedReason } from './client-state.js';

/** How the next reconnect delay is computed: the usual backoff, or a longer one for an overloaded server. */
export type RetryKind = 'normal' | 'try_again_later';

/** What the client does after a close it did not start. */
export type CloseDecision =
  /** Enter `closed` for `reason`; `gaveUp` also reports conn.reconnect.gave_up. */
  | { action: 'stop'; reason: ClosedReason; gaveUp: boolean }
  /** Reconnect after a backoff of kind `retry`; `resetRetries` starts the backoff again from its first (small) delay. */
  | { action: 'reconnect'; retry: RetryKind; resetRetries: boolean };

/**
 * Decides what follows a close the client did not start, from its close
 * code. Only for an application code (4000-4999) other than 4002 does the
 * app get a say: `appAllowsReconnect` is called then, and only then.
 *
 * - 1000 normal closure: stop; the server meant it.
 * - 1008 policy violation: stop and give up; retrying would not help.
 * - 4002 session taken over: stop and give up; only another live client
 *   with our session id causes it, and fighting back would only loop.
 * - other 4000-4999 the app refuses: stop and give up.
 * - 1001 going away, 1012 service restart: a deliberate restart, so
 *   reconnect promptly, with the first jittered delay.
 * - 1013 try again later: reconnect, backing off longer than usual.
 * - anything else (1006, 1011, an accepted 4xxx, ...): reconnect with the
 *   usual backoff.
 */
export function decideAfterClose(code: number, appAllowsReconnect: () => boolean): CloseDecision {
  if (code === CLOSE_NORMAL) return { action: 'stop', reason: 'closed_by_server', gaveUp: false };
  if (code === CLOSE_POLICY_VIOLATION) return { action: 'stop', reason: 'policy', gaveUp: true };
  if (code === CLOSE_SESSION_TAKEN_OVER) return { action: 'stop', reason: 'taken_over', gaveUp: true };
  if (code >= 4000 && code <= 4999 && !appAllowsReconnect()) return { action: 'stop', reason: 'rejected', gaveUp: true };
  return {
    action: 'reconnect',
    retry: code === CLOSE_TRY_AGAIN_LATER ? 'try_again_later' : 'normal',
    resetRetries: code === CLOSE_GOING_AWAY || code === CLOSE_SERVICE_RESTART,
  };
}
