import type { Namespace, Server, Socket } from 'socket.io';
import { serverOfUrl } from '../../instrumentation/handshake-ids.js';
import { createFailureReporter, guarded, type FailureReporter } from '../../tracker/failure-reporter.js';
import { warningsOf } from '../../tracker/tracker-warnings.js';
import { connectionHandleOf } from '../../tracker/noop-handles.js';
import type { ConnectionOptions, Tracker } from '../../tracker/tracker-types.js';
import { closeInfoOfDisconnect, reportClose } from './disconnect-reasons.js';
import { interceptIncoming } from './incoming-message-ids.js';
import { AUTH_CONNECTION_KEY, AUTH_SESSION_KEY, HELLO_EVENT } from './message-id-marker.js';
import { trackEmits } from './tracked-emits.js';
import { reportTransport } from './transport-attribute.js';

/** Options of instrumentSocketIoServer. */
export interface InstrumentSocketIoServerOptions {
  /** Where the events go; give it `role: 'server'`. */
  tracker: Tracker;
  /** server.address / server.port (default: from each handshake's Host header), user id, extra attributes. */
  connection?: Pick<ConnectionOptions, 'serverAddress' | 'serverPort' | 'userId' | 'attributes'>;
  /** The tv.message.id of a server emit with an ack, instead of a random one. */
  messageId?(event: string, args: readonly unknown[]): string | undefined;
}

/** Socket.IO internals read where no public API says it (present throughout 4.x). */
interface ServerSocketInternals {
  flags?: { timeout?: number };
}

/**
 * Reports every socket of a Socket.IO server (or one namespace, `io.of('/chat')`)
 * to the tracker, from the server's side: each connection's conn.opening
 * and conn.open, its conn.close with the disconnect reason mapped onto a
 * close code, a ping timeout as a missed heartbeat, connection state
 * recovery (`socket.recovered`) as session.resume, incoming emits that
 * carry a client message id as msg.received, and the server's own emits
 * with an ack as message journeys. A socket whose client is instrumented
 * (its handshake auth has tv_session / tv_connection) is reported under
 * the client's session and connection ids (any other socket under its
 * Socket.IO id as session.id). Sockets that connected before
 * this call are not reported. Never throws.
 *
 * @returns a function that stops reporting new connections.
 */
export function instrumentSocketIoServer(io: Server | Namespace, options: InstrumentSocketIoServerOptions): () => void {
  const report = createFailureReporter(warningsOf(options.tracker));
  return guarded(report, 'instrumentSocketIoServer', () => {}, () => {
    const onConnection = (socket: Socket): void => guarded(report, 'instrumenting a server socket', undefined, () => attach(socket, options, report));
    io.on('connection', onConnection);
    return () => guarded(report, 'detaching instrumentSocketIoServer', undefined, () => void io.off('connection', onConnection));
  });
}

function attach(socket: Socket, options: InstrumentSocketIoServerOptions, report: FailureReporter): void {
  const auth = (socket.handshake?.auth ?? {}) as Record<string, unknown>;
  const sessionId = stringOrUndefined(auth[AUTH_SESSION_KEY]);
  const connectionId = stringOrUndefined(auth[AUTH_CONNECTION_KEY]);
  const host = socket.handshake?.headers?.host;
  const handle = connectionHandleOf(options.tracker, {
    ...(typeof host === 'string' && host !== '' ? serverOfUrl(`http://${host}`) : {}),
    ...options.connection,
    // Without the client's session, one per socket: the tracker's own would merge every client into one.
    sessionId: sessionId ?? socket.id,
    ...(connectionId ? { connectionId } : {}),
    trackAtRisk: false,
  });
  const safely =
    <A extends unknown[]>(where: string, fn: (...args: A) => void) =>
    (...args: A): void =>
      guarded(report, where, undefined, () => fn(...args));

  const incoming = interceptIncoming(socket, { received: (id, event) => handle.received(id, { channel: event }) }, report);
  // An instrumented client strips the id argument; any other would hand it to its handlers.
  const clientInstrumented = connectionId !== undefined && incoming.available;
  const emits = trackEmits(
    handle,
    {
      errorFirst: () => (socket as unknown as ServerSocketInternals).flags?.timeout !== undefined,
      passThrough: () => !socket.connected,
      buffered: () => 0,
      carryIds: () => clientInstrumented,
    },
    report,
    { messageId: options.messageId?.bind(options) },
  );

  reportTransport(handle, socket.conn?.transport?.name);
  handle.opening();
  handle.opened();
  // Recovery was asked for when the connect packet carried the previous session's pid.
  if (socket.recovered) handle.resumed({ ok: true });
  else if (typeof auth.pid === 'string') handle.resumed({ ok: false });
  emits.wrap(socket);

  const onUpgrade = safely('upgrade listener', (upgraded: { name?: unknown }) => {
    reportTransport(handle, upgraded?.name);
  });
  socket.conn?.on('upgrade', onUpgrade);
  socket.on(
    'disconnect',
    safely('disconnect listener', (reason: unknown) => {
      emits.connectionLost();
      reportClose(handle, closeInfoOfDisconnect(reason, 'server'));
      socket.conn?.off('upgrade', onUpgrade);
      // A server socket never reconnects: its journeys and accounting end here.
      handle.dispose();
    }),
  );
  if (clientInstrumented) socket.emit(HELLO_EVENT as never);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
