import { CLOSE_ABNORMAL } from '../protocol/close-codes.js';
import { createFailureReporter, guarded, type FailureReporter } from '../tracker/failure-reporter.js';
import { warningsOf } from '../tracker/tracker-warnings.js';
import type { ConnectionHandle } from '../tracker/tracker-types.js';
import { describeConnectionFailure } from '../shared/connection-failure.js';
import { describeErrorEvent, type ErrorDescription } from '../shared/error-type.js';
import { payloadSize } from './payload-size.js';
import { READY_STATE, type CloseEventLike, type ErrorEventLike, type MessageEventLike, type WebSocketLike } from '../shared/web-socket-like.js';

/** Options of instrumentWebSocket. */
export interface InstrumentWebSocketOptions {
  /**
   * Which side this socket is: `client` (default) for a socket the app
   * opened, `server` for one a WebSocket server accepted. Used to name
   * who initiated a close (tv.close.initiator).
   */
  role?: 'client' | 'server';
  /**
   * The id of an outgoing message (its tv.message.id), or undefined for
   * messages not to track. When given, each `send(data)` on an open socket
   * with an id starts that message's journey (msg.sent).
   */
  messageId?(data: unknown): string | undefined;
  /**
   * The id of the message an incoming message acknowledges, or undefined
   * when it is not an ack. A match acks that journey (msg.acked with the
   * latency since its first send).
   */
  ackId?(data: unknown): string | undefined;
  /**
   * true when the caller already reported this socket's attempt with
   * `handle.opening()` (to put the connection id in the URL, see
   * withHandshakeIds); otherwise a connecting socket is reported as
   * opening here. Default false.
   */
  announced?: boolean;
}

/** Stops the instrumentation of one socket. */
export type DetachInstrumentation = () => void;

type Listener = (event: any) => void;

/**
 * Reports a WebSocket's lifecycle to a connection handle: conn.opening (or
 * opening and open, for a socket that is already open) right away, then
 * conn.open, conn.close with code / reason / clean / initiator, and
 * conn.error as the socket's events arrive. With `messageId` / `ackId` it
 * also tracks message delivery: a message sent again with the same id is
 * msg.retried on the same socket and msg.replayed on a later one (of the
 * same handle or session), and one the connection took with it unacked is
 * msg.dropped with connection_lost unless sent again in time; report what
 * only the app knows through `handle.message(id)`. A close before the
 * socket opened carries tv.connection.failure and error.type from the
 * socket's error (ECONNREFUSED, an HTTP status, ...; browsers say
 * nothing: unknown). To see sends and local closes it wraps
 * the instance's `send` and `close` (own properties shadowing the
 * prototype's); nothing else of the socket changes, and a failure inside
 * the instrumentation never reaches the socket's caller.
 *
 * @returns a function that removes the listeners and wrappers again.
 */
export function instrumentWebSocket(socket: WebSocketLike, handle: ConnectionHandle, options: InstrumentWebSocketOptions = {}): DetachInstrumentation {
  const report = createFailureReporter(warningsOf(handle));
  return guarded(report, 'instrumentWebSocket', () => {}, () => attach(socket, handle, options, report));
}

function attach(socket: WebSocketLike, handle: ConnectionHandle, options: InstrumentWebSocketOptions, report: FailureReporter): DetachInstrumentation {
  const role = options.role === 'server' ? 'server' : 'client';
  const peer = role === 'client' ? 'server' : 'client';
  const { messageId, ackId } = options;
  let closedLocally = false;
  let detached = false;
  let lastError: ErrorDescription | undefined;
  const safely = (where: string, fn: () => void) => () => guarded(report, where, undefined, fn);

  const listeners: [type: 'open' | 'close' | 'error' | 'message', listener: Listener][] = [
    ['open', () => guarded(report, 'open listener', undefined, () => handle.opened())],
    [
      'close',
      (event: CloseEventLike) =>
        guarded(report, 'close listener', undefined, () => {
          const code = typeof event.code === 'number' ? event.code : 1005;
          // 1006: no close frame was exchanged, so nobody initiated one.
          const initiator = code === CLOSE_ABNORMAL ? undefined : closedLocally ? role : peer;
          handle.closed({
            ...describeConnectionFailure(lastError),
            code,
            ...(typeof event.reason === 'string' ? { reason: event.reason } : {}),
            ...(typeof event.wasClean === 'boolean' ? { clean: event.wasClean } : {}),
            ...(initiator ? { initiator } : {}),
          });
        }),
    ],
    [
      'error',
      (event: ErrorEventLike) =>
        guarded(report, 'error listener', undefined, () => {
          lastError = describeErrorEvent(event);
          handle.error(lastError.errorType, lastError.message);
        }),
    ],
  ];
  if (ackId) {
    listeners.push([
      'message',
      (event: MessageEventLike) =>
        guarded(report, 'message listener', undefined, () => {
          const id = ackId(event.data);
          if (typeof id === 'string') handle.message(id).acked();
        }),
    ]);
  }
  for (const [type, listener] of listeners) socket.addEventListener(type, listener);

  const target = socket as unknown as Record<'send' | 'close', (...args: unknown[]) => unknown>;
  const hadOwn = { send: Object.prototype.hasOwnProperty.call(socket, 'send'), close: Object.prototype.hasOwnProperty.call(socket, 'close') };
  const originalSend = target.send;
  const originalClose = target.close;
  const wrappedClose = function (this: unknown, ...args: unknown[]): unknown {
    // `ws` itself calls close() to answer the peer's close frame, after setting
    // its (long-standing, private) _closeFrameReceived flag: that is not our side's doing.
    if (!detached && (socket as { _closeFrameReceived?: unknown })._closeFrameReceived !== true) closedLocally = true;
    return originalClose.apply(this, args);
  };
  const wrappedSend = function (this: unknown, ...args: unknown[]): unknown {
    // Only a send on an open socket reaches the wire; browsers and `ws` drop the others.
    const open = socket.readyState === READY_STATE.OPEN;
    const result = originalSend.apply(this, args);
    if (open && !detached && messageId) {
      safely('tracking a sent message', () => {
        const id = messageId(args[0]);
        if (typeof id !== 'string') return;
        const size = payloadSize(args[0]);
        handle.message(id, size === undefined ? undefined : { size }).sent();
      })();
    }
    return result;
  };
  target.close = wrappedClose;
  if (messageId) target.send = wrappedSend;

  if (socket.readyState === READY_STATE.CONNECTING) {
    if (!options.announced) handle.opening();
  } else if (socket.readyState === READY_STATE.OPEN) {
    if (!options.announced) handle.opening();
    handle.opened();
  }

  return safely('detaching instrumentation', () => {
    if (detached) return;
    detached = true;
    for (const [type, listener] of listeners) socket.removeEventListener(type, listener);
    // Unwrap only if nobody wrapped on top of us; otherwise our wrapper stays, inert.
    if (target.close === wrappedClose) restore(target, 'close', hadOwn.close, originalClose);
    if (target.send === wrappedSend) restore(target, 'send', hadOwn.send, originalSend);
  });
}

function restore(target: Record<string, unknown>, key: 'send' | 'close', hadOwn: boolean, original: unknown): void {
  if (hadOwn) target[key] = original;
  else delete target[key];
}
