import { createFailureReporter, guarded } from '../tracker/failure-reporter.js';
import { warningsOf } from '../tracker/tracker-warnings.js';
import { noopConnectionHandle } from '../tracker/noop-handles.js';
import type { ConnectionHandle, ConnectionOptions, Tracker } from '../tracker/tracker-types.js';
import { withHandshakeIds } from './handshake-ids.js';
import { ConnectionHandlePool } from './connection-handle-pool.js';
import { instrumentWebSocket, type InstrumentWebSocketOptions } from './instrument-web-socket.js';
import type { WebSocketLike } from '../shared/web-socket-like.js';

/** Options of trackedWebSocketClass. */
export interface TrackedWebSocketClassOptions extends Omit<InstrumentWebSocketOptions, 'role'> {
  /**
   * Options of the logical connection each endpoint gets. server.address
   * defaults to the host name of the URL the socket is constructed with.
   */
  connection?: ConnectionOptions;
  /**
   * Puts the session and connection ids in each socket's URL (query
   * parameters tv_session and tv_connection, see withHandshakeIds) so a
   * server using handshakeIdentity() reports the connection under the same
   * ids. Default false.
   */
  handshakeIds?: boolean;
}

/** What a tracked socket adds to the WebSocket it is. */
export interface TrackedWebSocket {
  /**
   * The socket's logical connection handle: report what only the app
   * knows, e.g. `ws.tunnelvision.message(id).dropped('policy')`, or
   * `.message(id).acked()` for acks `ackId` does not recognise.
   */
  readonly tunnelvision: ConnectionHandle;
}

/**
 * A WebSocket class: the browser's `WebSocket`, or `WebSocket` from `ws`.
 * `any[]` because a subclass must accept whatever the base constructor
 * does (TypeScript's rule for mixin classes).
 */
export type WebSocketClass = new (...args: any[]) => WebSocketLike;

/**
 * Returns a subclass of `WebSocketClass` whose instances report
 * themselves to `tracker`: `const WS = trackedWebSocketClass(WebSocket,
 * tracker)`, then use `new WS(url)` as before. Sockets to the same
 * endpoint (URL without query) share a logical connection, so a new
 * socket after the previous one closed is reported as a reconnect with
 * its downtime. Each instance has `tunnelvision`, its connection handle
 * (TrackedWebSocket). Everything else behaves as the original class; a failure
 * of the instrumentation never breaks the socket.
 */
export function trackedWebSocketClass<C extends WebSocketClass>(
  WebSocketClass: C,
  tracker: Tracker,
  options: TrackedWebSocketClassOptions = {},
): (new (...args: ConstructorParameters<C>) => InstanceType<C> & TrackedWebSocket) & C {
  const { connection, handshakeIds, ...instrumentation } = options;
  const pool = new ConnectionHandlePool(tracker, connection);
  const report = createFailureReporter(warningsOf(tracker));
  const Tracked = class extends WebSocketClass {
    declare readonly tunnelvision: ConnectionHandle;
    constructor(...args: any[]) {
      const acquired = guarded(report, 'tracking a new WebSocket', undefined, () => {
        const taken = pool.acquire(args[0]);
        if (handshakeIds) {
          const connectionId = taken.handle.opening();
          args[0] = withHandshakeIds(args[0], { sessionId: connection?.sessionId ?? tracker.sessionId, connectionId });
        }
        return taken;
      });
      try {
        super(...args);
      } catch (error) {
        // The socket never existed (a bad URL): give the handle back.
        acquired?.release();
        throw error;
      }
      const handle = acquired?.handle ?? noopConnectionHandle();
      Object.defineProperty(this, 'tunnelvision', { value: handle });
      guarded(report, 'tracking a new WebSocket', undefined, () => {
        const onClose = () => {
          acquired?.release();
          this.removeEventListener('close', onClose);
        };
        this.addEventListener('close', onClose);
        instrumentWebSocket(this, handle, { ...instrumentation, role: 'client', announced: handshakeIds === true });
      });
    }
  };
  Object.defineProperty(Tracked, 'name', { value: WebSocketClass.name });
  return Tracked as unknown as (new (...args: ConstructorParameters<C>) => InstanceType<C> & TrackedWebSocket) & C;
}
