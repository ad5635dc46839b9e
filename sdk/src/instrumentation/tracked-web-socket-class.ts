import { createFailureReporter, guarded } from '../tracker/failure-reporter.js';
import type { ConnectionOptions, Tracker } from '../tracker/tracker-types.js';
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
 * its downtime. Everything else behaves as the original class; a failure
 * of the instrumentation never breaks the socket.
 */
export function trackedWebSocketClass<C extends WebSocketClass>(WebSocketClass: C, tracker: Tracker, options: TrackedWebSocketClassOptions = {}): C {
  const { connection, ...instrumentation } = options;
  const pool = new ConnectionHandlePool(tracker, connection);
  const report = createFailureReporter();
  const Tracked = class extends WebSocketClass {
    constructor(...args: any[]) {
      super(...args);
      guarded(report, 'tracking a new WebSocket', undefined, () => {
        const { handle, release } = pool.acquire(args[0]);
        const onClose = () => {
          release();
          this.removeEventListener('close', onClose);
        };
        this.addEventListener('close', onClose);
        instrumentWebSocket(this, handle, { ...instrumentation, role: 'client' });
      });
    }
  };
  Object.defineProperty(Tracked, 'name', { value: WebSocketClass.name });
  return Tracked;
}
