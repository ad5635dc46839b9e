import { handshakeIdentity } from '../../instrumentation/handshake-ids.js';
import { createFailureReporter, guarded } from '../../tracker/failure-reporter.js';
import { warningsOf } from '../../tracker/tracker-warnings.js';
import type { ConnectionOptions, Tracker } from '../../tracker/tracker-types.js';
import { READY_STATE } from '../../shared/web-socket-like.js';
import { instrumentServerSocket, type ServerMessageIds } from './instrument-server-socket.js';
import type { UpgradeRequestLike, WsServerLike, WsServerSocketLike } from './ws-server-types.js';

/** Options of instrumentWebSocketServer. */
export interface InstrumentWebSocketServerOptions extends ServerMessageIds {
  /** The tracker the connections are reported to; give it `role: 'server'`. */
  tracker: Tracker;
  /**
   * Options of each connection's handle, from its upgrade request (to add
   * the app's own session or user id). Default: handshakeIdentity(request),
   * i.e. the client's tv_session / tv_connection handshake parameters and
   * server.address / server.port from the Host header; what you return is
   * merged over that.
   */
  connection?(request: UpgradeRequestLike | undefined): ConnectionOptions | undefined;
}

/** Stops instrumenting new connections (sockets already tracked keep reporting until they close). */
export type DetachServerInstrumentation = () => void;

/**
 * Reports every connection of a `ws` WebSocketServer the app already has,
 * without the app adopting the SDK's server protocol: per connection
 * (tv.role server when the tracker says so) conn.opening + conn.open,
 * conn.close with code, reason, clean and initiator (the server if the app
 * called close() first, else the client), heartbeats from the app's own
 * ping() / 'pong' (round trip as tv.heartbeat.rtt; a terminate() with a
 * ping unanswered as conn.heartbeat.missed and a close carrying
 * tv.heartbeat.missed), message counts and the peak bufferedAmount on
 * conn.close, and message journeys when the ids options are given.
 * Connections open before the call are picked up too. Never throws into
 * the app.
 */
export function instrumentWebSocketServer(server: WsServerLike, options: InstrumentWebSocketServerOptions): DetachServerInstrumentation {
  const report = createFailureReporter(warningsOf(options.tracker));
  const track = (socket: WsServerSocketLike, request: UpgradeRequestLike | undefined) =>
    guarded(report, 'instrumentWebSocketServer connection', undefined, () => {
      if (socket.readyState !== READY_STATE.OPEN) return;
      const identity = request ? handshakeIdentity(request) : {};
      const handle = options.tracker.connection({ ...identity, ...options.connection?.(request) });
      handle.opening();
      handle.opened();
      instrumentServerSocket(socket, handle, options, report);
    });
  return guarded(
    report,
    'instrumentWebSocketServer',
    () => {},
    () => {
      const onConnection = (socket: WsServerSocketLike, request: UpgradeRequestLike) => track(socket, request);
      for (const socket of server.clients ?? []) track(socket as WsServerSocketLike, undefined);
      server.on('connection', onConnection);
      return () => guarded(report, 'detaching instrumentWebSocketServer', undefined, () => void server.off('connection', onConnection));
    },
  );
}
