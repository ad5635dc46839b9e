import type { CloseInfo, ConnectionHandle } from '../../tracker/tracker-types.js';

/** The message of the error event both libraries dispatch when their own connectionTimeout ends an attempt. */
const CONNECT_TIMEOUT_MESSAGE = 'TIMEOUT';
/** error.type of such an attempt, as the SDK's other clients report a connect timeout. */
const CONNECT_TIMEOUT_ERROR_TYPE = 'TimeoutError';

/** Whether an error event of the reconnecting socket is its own connectionTimeout giving up on the attempt. */
export function isConnectTimeout(event: unknown): boolean {
  return (event as { message?: unknown } | undefined)?.message === CONNECT_TIMEOUT_MESSAGE;
}

/** One attempt's view of the logical connection's handle, see attemptHandle. */
export interface AttemptHandle {
  /** What the attempt's socket reports to: the logical handle, but its conn.close carries the timeout. */
  readonly handle: ConnectionHandle;
  /** The library's connectionTimeout ended this attempt. */
  timedOut(): void;
}

/**
 * Wraps the handle an attempt's socket reports to so that an attempt the
 * library's connectionTimeout ended closes as failure `timeout`. The
 * library aborts the half-open socket itself, so the socket only says it
 * "was closed before the connection was established" (unknown); the
 * library's "TIMEOUT" error event, which it dispatches before that
 * socket's own close event arrives, is what tells it was a timeout.
 */
export function attemptHandle(handle: ConnectionHandle): AttemptHandle {
  let timedOut = false;
  const closed = (info: CloseInfo): void => handle.closed(timedOut ? { ...info, failure: 'timeout', errorType: CONNECT_TIMEOUT_ERROR_TYPE } : info);
  const view = new Proxy(handle, {
    get(target, key) {
      if (key === 'closed') return closed;
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    handle: view,
    timedOut: () => {
      timedOut = true;
    },
  };
}
