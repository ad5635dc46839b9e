import type { Socket } from 'socket.io-client';
import { failureOfErrorType } from '../../shared/connection-failure.js';
import { describeError, type ErrorDescription } from '../../shared/error-type.js';
import { serverOfUrl } from '../../instrumentation/handshake-ids.js';
import { createFailureReporter, guarded, type FailureReporter } from '../../tracker/failure-reporter.js';
import { warningsOf } from '../../tracker/tracker-warnings.js';
import { noopConnectionHandle } from '../../tracker/noop-handles.js';
import type { ConnectionHandle, ConnectionOptions, Tracker } from '../../tracker/tracker-types.js';
import { closeInfoOfDisconnect, reportClose } from './disconnect-reasons.js';
import { addHandshakeIds } from './handshake-auth.js';
import { interceptIncoming } from './incoming-message-ids.js';
import { trackEmits } from './tracked-emits.js';
import { reportTransport } from './transport-attribute.js';

/** Options of instrumentSocketIoClient. */
export interface InstrumentSocketIoClientOptions {
  /** Where the events go. */
  tracker: Tracker;
  /** server.address / server.port (default: from the Manager's URL), session or user id, extra attributes. */
  connection?: Pick<ConnectionOptions, 'serverAddress' | 'serverPort' | 'sessionId' | 'userId' | 'attributes'>;
  /**
   * Send the session and connection ids in the handshake auth (tv_session,
   * tv_connection) so an instrumented server reports the same ids. Default true.
   */
  handshakeIds?: boolean;
  /** The tv.message.id of an emit with an ack, instead of a random one. */
  messageId?(event: string, args: readonly unknown[]): string | undefined;
}

/** A Socket.IO client socket being reported. */
export interface SocketIoInstrumentation {
  /** Its connection handle, for what only the app knows (`handle.message(id).dropped('policy')`). */
  readonly handle: ConnectionHandle;
  /**
   * Whether emits now carry their message id to the server: true once an
   * instrumented server said hello on this socket (see docs/integrations.md).
   */
  readonly carriesMessageIds: boolean;
  /** Stops reporting and restores the socket's emit, auth and event dispatch. */
  detach(): void;
}

/** Socket.IO internals read (never written) where no public API says it: all present throughout 4.x. */
interface ClientInternals {
  flags?: { timeout?: number; fromQueue?: boolean; volatile?: boolean };
  _opts?: { ackTimeout?: number; retries?: number };
  /** Set when the server offers connection state recovery; the next connect then tries to recover. */
  _pid?: string;
  /** The `retries` option's queue: Socket.IO writes the first packet (again on ack timeout or reconnect) until acked, then the next. */
  _queue?: Array<{ tryCount?: number }>;
}

type Phase = 'idle' | 'opening' | 'open';

/** The socket and its Manager as the listeners see them (Socket.IO types each event; these are untyped). */
interface Emitter {
  on(event: string, listener: (arg?: any) => void): unknown;
  off(event: string, listener: (arg?: any) => void): unknown;
}

/** One listener of the instrumentation: where it is added, for which event, and the listener. */
type Listener = [emitter: Emitter, event: string, listener: (arg?: any) => void];

/** engine.io's first transport when the app names none. */
const DEFAULT_FIRST_TRANSPORT = 'polling';

/**
 * Reports a Socket.IO client socket (one namespace of a Manager) to the
 * tracker: conn.opening / conn.open / conn.close per physical connection,
 * disconnect reasons mapped onto close codes, the Manager's reconnection
 * (conn.reconnect.scheduled with the delay it waited, measured;
 * conn.reconnect.gave_up), ping timeouts as missed heartbeats, connection
 * state recovery as session.resume, the transport (polling, websocket) as
 * the `socket.io.transport` attribute, and every emit that asks for an ack as a
 * message journey (see trackEmits). Call it right after `io(...)`, before
 * the first connect completes. Never throws; a failure inside stops only
 * the telemetry.
 */
export function instrumentSocketIoClient(socket: Socket, options: InstrumentSocketIoClientOptions): SocketIoInstrumentation {
  const report = createFailureReporter(warningsOf(options.tracker));
  // A tracker that fails to give a handle leaves the no-op one: the socket is then not instrumented at all.
  let handle: ConnectionHandle = noopConnectionHandle();
  const attached = guarded(report, 'instrumentSocketIoClient', { detach: () => {}, carriesIds: () => false }, () => {
    handle = options.tracker.connection({ ...serverOf(socket), ...options.connection, trackAtRisk: false });
    return attach(socket, handle, options, report);
  });
  return {
    handle,
    get carriesMessageIds() {
      return attached.carriesIds();
    },
    detach: attached.detach,
  };
}

function attach(
  socket: Socket,
  handle: ConnectionHandle,
  options: InstrumentSocketIoClientOptions,
  report: FailureReporter,
): { detach: () => void; carriesIds: () => boolean } {
  const internals = socket as unknown as ClientInternals;
  const manager = socket.io;
  let phase: Phase = 'idle';
  let opens = 0;
  let lastAttempt = 0;
  /** When the Manager last lost or failed a connection: its reconnect timer started then. */
  let waitingSince: number | undefined;
  /** Whether the next connect offers to recover the last one (the server enabled recovery); if it is not `recovered`, the resume failed. */
  let recoveryOffered = false;
  let peerStripsIds = false;
  // Only a server that said hello takes the argument off again.
  const carriesIds = (): boolean => peerStripsIds && incoming.available;

  /** A listener that never throws into Socket.IO: a failure stops only the telemetry, reported once as `where`. */
  const guard =
    <A extends unknown[]>(where: string, fn: (...args: A) => void) =>
    (...args: A): void =>
      guarded(report, `socket.io ${where} listener`, undefined, () => fn(...args));
  const opening = (): void => {
    // Until the engine is open, the transport is the one Socket.IO tries first.
    reportTransport(handle, manager.opts?.transports?.[0] ?? DEFAULT_FIRST_TRANSPORT);
    handle.opening();
    phase = 'opening';
  };

  const incoming = interceptIncoming(
    socket,
    {
      received: (id, event) => handle.received(id, { channel: event }),
      hello: () => {
        peerStripsIds = true;
      },
    },
    report,
  );
  const emits = trackEmits(
    handle,
    {
      errorFirst: (ack) => (internals.flags?.timeout ?? internals._opts?.ackTimeout) !== undefined || ack.withError === true,
      passThrough: () => internals.flags?.fromQueue === true || internals.flags?.volatile === true,
      buffered: () => (Array.isArray(socket.sendBuffer) ? socket.sendBuffer.length : 0) + (internals._queue?.filter((packet) => !packet.tryCount).length ?? 0),
      carryIds: carriesIds,
      // An emit joins the queue last; Socket.IO writes the first, flagged fromQueue.
      retryPacket: (added) => (added ? internals._queue?.at(-1) : internals.flags?.fromQueue ? internals._queue?.[0] : undefined),
    },
    report,
    { messageId: options.messageId?.bind(options) },
  );
  const unwrapEmit = emits.wrap(socket);
  const restoreAuth =
    options.handshakeIds === false
      ? () => {}
      : addHandshakeIds(
          socket,
          () => {
            // A connect the Manager started without an attempt we saw (socket.connect() on an open Manager).
            if (phase === 'idle') opening();
            return { sessionId: options.connection?.sessionId ?? options.tracker.sessionId, connectionId: handle.connectionId };
          },
          report,
        );

  const onUpgrade = guard('upgrade', (transport?: { name?: unknown }) => reportTransport(handle, transport?.name));
  const onConnect = (): void => {
    if (phase === 'idle') opening();
    const engine = manager.engine;
    reportTransport(handle, engine?.transport?.name);
    engine?.on('upgrade', onUpgrade);
    handle.opened();
    phase = 'open';
    opens += 1;
    lastAttempt = 0;
    waitingSince = undefined;
    emits.flushed(opens > 1);
    if (recoveryOffered) handle.resumed({ ok: socket.recovered === true });
    recoveryOffered = false;
  };
  const onDisconnect = (reason: unknown): void => {
    if (phase === 'idle') return;
    const opened = phase === 'open';
    phase = 'idle';
    // Socket.IO (without its `retries` option; 0 turns it off) never resends what it wrote: unacked emits are lost.
    if (!internals._opts?.retries) emits.connectionLost();
    reportClose(handle, opened ? closeInfoOfDisconnect(reason, 'client') : { code: 1006, reason: String(reason), clean: false });
    recoveryOffered = opened && typeof internals._pid === 'string';
  };
  const onConnectError = (error: unknown): void => {
    if (phase === 'open') return;
    if (phase === 'idle') opening();
    phase = 'idle';
    const { code, error: { errorType, message } } = describeSocketIoError(error);
    handle.error(errorType, message);
    // A refusal (a middleware's, or an HTTP status) is `rejected`; the platform's errors (Node's codes) are classified as on any transport.
    handle.closed({ code, clean: false, errorType, failure: code === 1008 || /^\d{3}$/.test(errorType) ? 'rejected' : failureOfErrorType(errorType) });
  };
  const onWaiting = (): void => {
    waitingSince = Date.now();
  };
  const onReconnectAttempt = (attempt: unknown): void => {
    // The Manager reconnects for all its sockets; one the app disconnected is not waiting for it.
    if (!socket.active) return;
    lastAttempt = typeof attempt === 'number' ? attempt : lastAttempt + 1;
    const delayMs = waitingSince === undefined ? 0 : Math.max(0, Date.now() - waitingSince);
    handle.reconnectScheduled({ attempt: lastAttempt, delayMs });
    opening();
  };

  // Every listener on the socket and its Manager, each guarded and reported under its event's name: added here, removed by detach().
  const socketEvents = socket as Emitter;
  const managerEvents = manager as Emitter;
  const listeners = (
    [
      [socketEvents, 'connect', onConnect],
      [socketEvents, 'disconnect', onDisconnect],
      [socketEvents, 'connect_error', onConnectError],
      // The Manager's reconnect timer starts when it loses or fails a connection.
      [managerEvents, 'close', onWaiting],
      [managerEvents, 'error', onWaiting],
      [managerEvents, 'reconnect_error', onWaiting],
      [managerEvents, 'reconnect_attempt', onReconnectAttempt],
      [managerEvents, 'reconnect_failed', () => handle.gaveUp(lastAttempt)],
    ] as Listener[]
  ).map(([emitter, event, listener]): Listener => [emitter, event, guard(event, listener)]);
  for (const [emitter, event, listener] of listeners) emitter.on(event, listener);

  if (socket.connected) {
    opening();
    // Connected before we were called: what the connect listener would have reported.
    guard('connect', onConnect)();
  } else if (socket.active) opening();

  let detached = false;
  const detach = (): void =>
    guarded(report, 'socket.io detach', undefined, () => {
      if (detached) return;
      detached = true;
      for (const [emitter, event, listener] of listeners) emitter.off(event, listener);
      manager.engine?.off('upgrade', onUpgrade);
      unwrapEmit();
      restoreAuth();
      incoming.restore();
    });
  return { detach, carriesIds };
}

/** How a failed connect is reported: a transport that could not connect (1006), or a server that refused it (1008). */
function describeSocketIoError(error: unknown): { code: number; error: ErrorDescription } {
  const e = error as { type?: unknown; message?: unknown; description?: unknown } | undefined;
  const { message } = describeError(e);
  if (e?.message === 'timeout') return { code: 1006, error: { errorType: 'TimeoutError', message } };
  // A connect_error packet: a server middleware refused the connection.
  if (e?.type !== 'TransportError') return { code: 1008, error: { errorType: 'ConnectError', message } };
  // Long-polling keeps the HTTP status (0 when the request failed without one).
  const status = e.description;
  if (typeof status === 'number') return { code: 1006, error: { errorType: status >= 100 ? String(status) : 'TransportError', message } };
  // A WebSocket transport keeps the platform's error (ECONNREFUSED, ...) as `description`, sometimes one level down.
  const cause = status as { error?: unknown; code?: unknown } | undefined;
  const { errorType } = describeError(cause !== undefined && typeof cause.code !== 'string' && cause.error !== undefined ? cause.error : cause);
  return { code: 1006, error: { errorType: errorType === 'WebSocketError' ? 'TransportError' : errorType, message } };
}

/** server.address / server.port of the Manager's URL (Socket.IO keeps it as `uri`). */
function serverOf(socket: Socket): Pick<ConnectionOptions, 'serverAddress' | 'serverPort'> {
  const uri = (socket.io as unknown as { uri?: unknown }).uri;
  return typeof uri === 'string' ? serverOfUrl(uri) : {};
}
