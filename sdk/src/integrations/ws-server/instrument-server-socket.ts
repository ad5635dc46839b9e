import { CLOSE_ABNORMAL } from '../../protocol/close-codes.js';
import { payloadSize } from '../../instrumentation/payload-size.js';
import { guarded, type FailureReporter } from '../../tracker/failure-reporter.js';
import type { ConnectionHandle } from '../../tracker/tracker-types.js';
import { describeError } from '../../shared/error-type.js';
import { READY_STATE } from '../../shared/web-socket-like.js';
import { HeartbeatWatch } from '../heartbeat-watch.js';
import type { WsServerSocketLike } from './ws-server-types.js';

/** Attributes the integration adds to conn.close (integration-specific, stored in LogAttributes). */
export const ATTR_MESSAGES_SENT = 'tv.ws.messages_sent';
export const ATTR_MESSAGES_RECEIVED = 'tv.ws.messages_received';
export const ATTR_BUFFERED_MAX = 'tv.ws.buffered_amount_max';

/** How to recognise message ids in the app's own protocol; all optional. */
export interface ServerMessageIds {
  /** The id of a message the server sends (msg.sent, then acked or dropped). */
  messageId?(data: unknown): string | undefined;
  /** The id of the server message an incoming message acknowledges (msg.acked). */
  ackId?(data: unknown): string | undefined;
  /** The id of an incoming message (msg.received). */
  receivedId?(data: unknown): string | undefined;
}

type Method = 'send' | 'ping' | 'close' | 'terminate';

/**
 * Reports one accepted socket to `handle` (already opened by the caller):
 * conn.close with code, reason, clean and initiator, conn.error, ping /
 * pong as heartbeats, message counts and the peak of bufferedAmount. It
 * wraps the instance's send, ping, close and terminate (own properties
 * shadowing the prototype's) to see what the app does first.
 */
export function instrumentServerSocket(socket: WsServerSocketLike, handle: ConnectionHandle, ids: ServerMessageIds, report: FailureReporter): void {
  const heartbeat = new HeartbeatWatch(handle);
  let closeCalledHere = false;
  let terminated = false;
  let sent = 0;
  let received = 0;
  let bufferedMax = 0;
  const safely = (where: string, fn: () => void) => guarded(report, where, undefined, fn);

  const target = socket as unknown as Record<Method, (...args: unknown[]) => unknown>;
  const wrap = (method: Method, before: (args: unknown[]) => void, after: (args: unknown[]) => void = () => {}) => {
    const original = target[method];
    if (typeof original !== 'function') return;
    target[method] = function (this: unknown, ...args: unknown[]): unknown {
      safely(`ws ${method} (before)`, () => before(args));
      const result = original.apply(this, args);
      safely(`ws ${method} (after)`, () => after(args));
      return result;
    };
  };

  let openWhenSending = false;
  wrap(
    'send',
    () => {
      openWhenSending = socket.readyState === READY_STATE.OPEN;
    },
    (args) => {
      // ws drops a send on a socket that is not open (and reports it to the callback).
      if (!openWhenSending) return;
      sent++;
      bufferedMax = Math.max(bufferedMax, socket.bufferedAmount);
      const id = ids.messageId?.(args[0]);
      if (typeof id !== 'string') return;
      const size = payloadSize(args[0]);
      handle.message(id, size === undefined ? undefined : { size }).sent();
    },
  );
  wrap('ping', () => {
    if (socket.readyState === READY_STATE.OPEN) heartbeat.pingSent();
  });
  wrap('close', () => {
    // ws calls close() itself to answer the peer's close frame, after setting
    // its (long-standing, private) _closeFrameReceived flag: that is the peer's doing.
    if ((socket as { _closeFrameReceived?: unknown })._closeFrameReceived !== true) closeCalledHere = true;
  });
  wrap('terminate', () => {
    if (socket.readyState === READY_STATE.CLOSED) return;
    terminated = true;
    heartbeat.terminating();
  });

  socket.on('pong', () => safely('ws pong listener', () => heartbeat.pongReceived()));
  socket.on('message', (data: unknown) =>
    safely('ws message listener', () => {
      received++;
      const ackOf = ids.ackId?.(data);
      if (typeof ackOf === 'string') handle.message(ackOf).acked();
      const id = ids.receivedId?.(data);
      if (typeof id === 'string') {
        const size = payloadSize(data);
        handle.received(id, size === undefined ? undefined : { size });
      }
    }),
  );
  socket.on('error', (error: unknown) =>
    safely('ws error listener', () => {
      const { errorType, message } = describeError(error);
      handle.error(errorType, message);
    }),
  );
  socket.on('close', (code: unknown, reason: unknown) =>
    safely('ws close listener', () => {
      const closeCode = typeof code === 'number' ? code : 1005;
      const text = reason === undefined ? '' : String(reason);
      // 1006: no close frame went either way (terminate(), a dropped TCP connection), so there is no initiator.
      const initiator = closeCode === CLOSE_ABNORMAL ? undefined : closeCalledHere ? 'server' : 'client';
      const missed = terminated ? heartbeat.missed : 0;
      handle.setAttributes({ [ATTR_MESSAGES_SENT]: sent, [ATTR_MESSAGES_RECEIVED]: received, [ATTR_BUFFERED_MAX]: bufferedMax });
      handle.closed({
        code: closeCode,
        ...(text ? { reason: text } : {}),
        clean: closeCode !== CLOSE_ABNORMAL,
        ...(initiator ? { initiator } : {}),
        ...(missed > 0 ? { heartbeatMissed: missed } : {}),
      });
      handle.dispose();
    }),
  );
}
