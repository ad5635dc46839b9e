import type { Socket } from 'socket.io-client';
import { describeConnectionFailure } from '../../shared/connection-failure.js';
import { describeError, type ErrorDescription } from '../../shared/error-type.js';
import { serverOfUrl } from '../../instrumentation/handshake-ids.js';
import { createFailureReporter, guarded, type FailureReporter } from '../../tracker/failure-reporter.js';
import { connectionHandleOf } from '../../tracker/noop-handles.js';
import type { CloseInfo, ConnectionHandle, ConnectionOptions, Tracker } from '../../tracker/tracker-types.js';
import { closeInfoOfDisconnect } from './disconnect-reasons.js';
import { addHandshakeIds } from './handshake-auth.js';
import { interceptIncoming } from './incoming-message-ids.js';
import { TrackedEmits } from './tracked-emits.js';
import { TRANSPORT_ATTRIBUTE } from './transport-attribute.js';

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
}

type Phase = 'idle' | 'opening' | 'open';

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
 * message journey (see TrackedEmits). Call it right after `io(...)`, before
 * the first connect completes. Never throws; a failure inside stops only
 * the telemetry.
 */
export function instrumentSocketIoClient(socket: Socket, options: InstrumentSocketIoClientOptions): SocketIoInstrumentation {
  const report = createFailureReporter();
  let handle: ConnectionHandle = connectionHandleOf(undefined, {});
  const attached = guarded(report, 'instrumentSocketIoClient', { detach: () => {}, carriesIds: () => false }, () => {
    handle = connectionHandleOf(options.tracker, { ...serverOf(socket), ...options.connection, trackAtRisk: false });
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

  const safely =
    <A extends unknown[]>(where: string, fn: (...args: A) => void) =>
    (...args: A): void =>
      guarded(report, where, undefined, () => fn(...args));
  const opening = (): void => {
    // Until the engine is open, the transport is the one Socket.IO tries first.
    const first = manager.opts?.transports?.[0] ?? DEFAULT_FIRST_TRANSPORT;
    if (typeof first === 'string') handle.setAttributes({ [TRANSPORT_ATTRIBUTE]: first });
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
  const emits = new TrackedEmits(
    handle,
    {
      errorFirst: (ack) => (internals.flags?.timeout ?? internals._opts?.ackTimeout) !== undefined || ack.withError === true,
      passThrough: () => internals.flags?.fromQueue === true || internals.flags?.volatile === true,
      buffered: () => (Array.isArray(socket.sendBuffer) ? socket.sendBuffer.length : 0),
      carryIds: carriesIds,
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

  const onConnect = safely('connect listener', () => {
    if (phase === 'idle') opening();
    const engine = manager.engine;
    const transport = engine?.transport?.name;
    if (typeof transport === 'string') handle.setAttributes({ [TRANSPORT_ATTRIBUTE]: transport });
    engine?.on('upgrade', onUpgrade);
    handle.opened();
    phase = 'open';
    opens += 1;
    lastAttempt = 0;
    waitingSince = undefined;
    emits.flushed(opens > 1);
    if (recoveryOffered) handle.resumed({ ok: socket.recovered === true });
    recoveryOffered = false;
  });
  const onUpgrade = safely('upgrade listener', (transport: { name?: unknown }) => {
    if (typeof transport?.name === 'string') handle.setAttributes({ [TRANSPORT_ATTRIBUTE]: transport.name });
  });
  const onDisconnect = safely('disconnect listener', (reason: unknown) => {
    if (phase === 'idle') return;
    const opened = phase === 'open';
    phase = 'idle';
    // Socket.IO (without its `retries` option) never resends what it wrote: unacked emits are lost.
    if (internals._opts?.retries === undefined) emits.connectionLost();
    const info: CloseInfo = opened ? closeInfoOfDisconnect(reason, 'client') : { code: 1006, reason: String(reason), clean: false };
    if (info.heartbeatMissed !== undefined) handle.heartbeatMissed(info.heartbeatMissed);
    handle.closed(info);
    recoveryOffered = opened && typeof internals._pid === 'string';
  });
  const onConnectError = safely('connect_error listener', (error: unknown) => {
    if (phase === 'open') return;
    if (phase === 'idle') opening();
    phase = 'idle';
    const described = describeSocketIoError(error);
    handle.error(described.error.errorType, described.error.message);
    handle.closed({ code: described.code, clean: false, ...describeConnectionFailure(described.error), ...described.failure });
  });
  const onWaiting = safely('manager listener', () => {
    waitingSince = Date.now();
  });
  const onReconnectAttempt = safely('reconnect_attempt listener', (attempt: unknown) => {
    // The Manager reconnects for all its sockets; one the app disconnected is not waiting for it.
    if (!socket.active) return;
    lastAttempt = typeof attempt === 'number' ? attempt : lastAttempt + 1;
    const delayMs = waitingSince === undefined ? 0 : Math.max(0, Date.now() - waitingSince);
    handle.reconnectScheduled({ attempt: lastAttempt, delayMs });
    opening();
  });
  const onReconnectFailed = safely('reconnect_failed listener', () => {
    handle.gaveUp(lastAttempt);
  });

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  manager.on('close', onWaiting);
  manager.on('error', onWaiting);
  manager.on('reconnect_error', onWaiting);
  manager.on('reconnect_attempt', onReconnectAttempt);
  manager.on('reconnect_failed', onReconnectFailed);

  if (socket.connected) {
    opening();
    onConnect();
  } else if (socket.active) opening();

  let detached = false;
  const detach = (): void =>
    guarded(report, 'detaching instrumentSocketIoClient', undefined, () => {
      if (detached) return;
      detached = true;
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      manager.off('close', onWaiting);
      manager.off('error', onWaiting);
      manager.off('reconnect_error', onWaiting);
      manager.off('reconnect_attempt', onReconnectAttempt);
      manager.off('reconnect_failed', onReconnectFailed);
      manager.engine?.off('upgrade', onUpgrade);
      unwrapEmit();
      restoreAuth();
      incoming.restore();
    });
  return { detach, carriesIds };
}

/** How a failed connect is reported: a transport that could not connect (1006), or a server that refused it (1008). */
function describeSocketIoError(error: unknown): { code: number; error: ErrorDescription; failure: Partial<CloseInfo> } {
  const e = error as { type?: unknown; message?: unknown; description?: unknown } | undefined;
  if (e?.message === 'timeout') return { code: 1006, error: { errorType: 'TimeoutError', message: 'timeout' }, failure: { failure: 'timeout' } };
  if (e?.type === 'TransportError') {
    // Long-polling keeps the HTTP status (0 when the request failed without one).
    if (typeof e.description === 'number') {
      const status = e.description;
      const error = { errorType: status >= 100 ? String(status) : 'TransportError', message: describeError(e).message };
      return { code: 1006, error, failure: status >= 100 ? { failure: 'rejected', errorType: String(status) } : {} };
    }
    // A WebSocket transport keeps the platform's error (ECONNREFUSED, ...) as `description`, sometimes one level down.
    const cause = e.description as { error?: unknown; code?: unknown } | undefined;
    const inner = cause !== undefined && typeof cause.code !== 'string' && cause.error !== undefined ? cause.error : cause;
    const described = describeError(inner);
    return { code: 1006, error: { errorType: described.errorType === 'WebSocketError' ? 'TransportError' : described.errorType, message: describeError(e).message }, failure: {} };
  }
  // A connect_error packet: a server middleware refused the connection.
  return { code: 1008, error: { errorType: 'ConnectError', message: describeError(e).message }, failure: { failure: 'rejected', errorType: 'ConnectError' } };
}

/** server.address / server.port of the Manager's URL (Socket.IO keeps it as `uri`). */
function serverOf(socket: Socket): Pick<ConnectionOptions, 'serverAddress' | 'serverPort'> {
  const uri = (socket.io as unknown as { uri?: unknown }).uri;
  return typeof uri === 'string' ? serverOfUrl(uri) : {};
}
