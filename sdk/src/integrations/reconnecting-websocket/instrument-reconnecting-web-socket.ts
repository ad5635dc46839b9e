import type { ConnectionState } from '@tunnelvision/semconv';
import { serverOfUrl } from '../../instrumentation/handshake-ids.js';
import { instrumentWebSocket } from '../../instrumentation/instrument-web-socket.js';
import { createFailureReporter, guarded } from '../../tracker/failure-reporter.js';
import { warningsOf } from '../../tracker/tracker-warnings.js';
import { noopConnectionHandle } from '../../tracker/noop-handles.js';
import type { ConnectionHandle, ConnectionOptions, Tracker } from '../../tracker/tracker-types.js';
import { READY_STATE, type WebSocketLike } from '../../shared/web-socket-like.js';
import { attemptHandle, isConnectTimeout, type AttemptHandle } from './connect-timeout.js';
import { OfflineQueueWatch } from './offline-queue-watch.js';
import { optionsOf, type ReconnectingSocketLike } from './reconnecting-socket-types.js';
import { watchAttempts } from './watch-attempts.js';

/** Options of instrumentReconnectingWebSocket. */
export interface InstrumentReconnectingWebSocketOptions {
  tracker: Tracker;
  /** Options of the logical connection; server.address / server.port default to each attempt's URL. */
  connection?: ConnectionOptions;
  /** The id of an outgoing message (msg.sent / queued / replayed / dropped), or undefined not to track it. */
  messageId?(data: unknown): string | undefined;
  /** The id of the message an incoming message acknowledges (msg.acked with latency). */
  ackId?(data: unknown): string | undefined;
}

/**
 * Reports a partysocket or reconnecting-websocket ReconnectingWebSocket
 * (PartySocket too) as one logical connection: each attempt as
 * conn.opening (tv.connection.attempt from the library's retry count) and
 * conn.open or conn.close with the real socket's code, reason, initiator
 * and, for an attempt that never opened, its failure (refused, timeout
 * when the library's own connectionTimeout gave up on it, ...);
 * every retry as conn.reconnect.scheduled with the library's retry count
 * and the wait measured from the close to the next attempt (their backoff
 * draws a random minimum by default, so it is measured, not computed);
 * reconnects with downtime; maxRetries reached as conn.reconnect.gave_up;
 * the state machine (connecting, open, reconnecting, closed) as
 * conn.state; and their offline queue (send() while not open) as
 * tv.queue.depth, with msg.queued / msg.dropped (queue_full) / msg.replayed
 * for messages `messageId` names. Call it right after constructing the
 * socket. Never throws into the app.
 *
 * @returns the connection handle, to report what only the app knows.
 */
export function instrumentReconnectingWebSocket(socket: ReconnectingSocketLike, options: InstrumentReconnectingWebSocketOptions): ConnectionHandle {
  const report = createFailureReporter(warningsOf(options.tracker));
  return guarded(report, 'instrumentReconnectingWebSocket', noopConnectionHandle(), () => {
    const handle = options.tracker.connection({ initialState: 'connecting', ...options.connection });
    const libraryOptions = optionsOf(socket);
    const maxRetries = libraryOptions.maxRetries ?? Number.POSITIVE_INFINITY;
    const queue = new OfflineQueueWatch(handle, libraryOptions.maxEnqueuedMessages ?? Number.POSITIVE_INFINITY, options.messageId);
    const addressGiven = options.connection?.serverAddress !== undefined;
    let state: ConnectionState = 'connecting';
    let everOpened = false;
    let appClosed = false;
    let attemptRetryCount = -1;
    let attempt: AttemptHandle | undefined;
    let retryWaitFrom: number | undefined;
    const move = (to: ConnectionState) => {
      if (state === to) return;
      handle.stateChanged(state, to);
      state = to;
    };
    const safely =
      <A extends unknown[]>(where: string, fn: (...args: A) => void) =>
      (...args: A) =>
        guarded(report, where, undefined, () => fn(...args));

    // The libraries count from 0 on the first try and restart at 1 for the first retry after a drop,
    // so until a connection has opened the attempt is one more than their count.
    const attemptNumber = () => (everOpened ? Math.max(1, socket.retryCount) : socket.retryCount + 1);
    const onAttempt = (ws: WebSocketLike) => {
      attemptRetryCount = socket.retryCount;
      if (retryWaitFrom !== undefined) {
        handle.reconnectScheduled({ attempt: attemptNumber(), delayMs: performance.now() - retryWaitFrom });
        retryWaitFrom = undefined;
      }
      if (!addressGiven) {
        const { serverAddress, serverPort } = serverOfUrl(String((ws as { url?: unknown }).url ?? ''));
        if (serverAddress !== undefined) handle.setAttributes({ 'server.address': serverAddress, ...(serverPort ? { 'server.port': serverPort } : {}) });
      }
      handle.opening(attemptNumber());
      attempt = attemptHandle(handle);
      instrumentWebSocket(ws, attempt.handle, { role: 'client', announced: true, ...(options.ackId ? { ackId: options.ackId } : {}) });
      ws.addEventListener(
        'open',
        safely('reconnecting socket open', () => {
          everOpened = true;
          move('open');
        }),
      );
    };
    if (!watchAttempts(socket, onAttempt, report)) report('instrumentReconnectingWebSocket', new Error('this library version keeps no _ws field: attempts are not visible'));

    // The library has flushed its queue onto the new connection by the time it dispatches 'open'.
    socket.addEventListener('open', safely('reconnecting socket open', () => queue.flushed()));
    // The connectionTimeout fired: the library has just closed the attempt's socket, whose close event is still to come.
    socket.addEventListener(
      'error',
      safely('reconnecting socket error', (event: unknown) => {
        if (isConnectTimeout(event)) attempt?.timedOut();
      }),
    );
    // Dispatched after the library decided whether to retry (it calls its _connect first).
    socket.addEventListener(
      'close',
      safely('reconnecting socket close', () => {
        if (appClosed) return move('closed');
        // maxRetries reached: the library did not start another attempt, so its count did not move.
        if (socket.retryCount >= maxRetries && socket.retryCount === attemptRetryCount) {
          handle.gaveUp(socket.retryCount);
          return move('closed');
        }
        // partysocket's shouldReconnectOnClose said no.
        if ((socket as { shouldReconnect?: unknown }).shouldReconnect === false) return move('closed');
        retryWaitFrom ??= performance.now();
        if (everOpened) move('reconnecting');
      }),
    );

    const target = socket as unknown as Record<'send' | 'close' | 'reconnect', (...args: unknown[]) => unknown>;
    const originalSend = target.send;
    target.send = function (this: unknown, ...args: unknown[]): unknown {
      const open = guarded(report, 'reconnecting socket send', false, () => socket.readyState === READY_STATE.OPEN);
      const result = originalSend.apply(this, args);
      guarded(report, 'reconnecting socket send', undefined, () => (open ? queue.sentNow(args[0]) : queue.buffered(args[0])));
      return result;
    };
    const originalClose = target.close;
    target.close = function (this: unknown, ...args: unknown[]): unknown {
      appClosed = true;
      return originalClose.apply(this, args);
    };
    const originalReconnect = target.reconnect;
    if (typeof originalReconnect === 'function') {
      target.reconnect = function (this: unknown, ...args: unknown[]): unknown {
        appClosed = false;
        return originalReconnect.apply(this, args);
      };
    }
    return handle;
  });
}
