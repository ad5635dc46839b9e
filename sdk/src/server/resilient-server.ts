import { hostname } from 'node:os';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import {
  CLOSE_ABNORMAL,
  CLOSE_GOING_AWAY,
  CLOSE_HELLO_TIMEOUT,
  CLOSE_IDLE_TIMEOUT,
  CLOSE_SESSION_TAKEN_OVER,
  CLOSE_TRY_AGAIN_LATER,
} from '../protocol/close-codes.js';
import { parseClientFrame, type HelloFrame } from '../protocol/frames.js';
import { TypedListeners } from '../shared/typed-listeners.js';
import { unrefInterval, unrefTimeout, type TimerHandle } from '../shared/unref-timers.js';
import type { CloseInfo } from '../tracker/tracker-types.js';
import { receiveClientMessage } from './client-messages.js';
import { OutboxDelivery } from './outbox-delivery.js';
import type { ResilientServerEventMap, ResilientServerSendOptions } from './resilient-server-events.js';
import {
  resolveResilientServerOptions,
  type ResilientServerOptions,
  type ResolvedResilientServerOptions,
} from './resilient-server-options.js';
import { closeWebSocket, ServerConnection } from './server-connection.js';
import { SessionStore, type Session, type SessionLimits } from './session-store.js';
import { SessionTelemetry } from './session-telemetry.js';
import { handshakeIdentity } from '../instrumentation/handshake-ids.js';
import type { IncomingMessage } from 'node:http';
import { closeWebSocketServer, listenWebSocketServer } from './web-socket-listener.js';

/** Lifecycle of the server itself. */
type ServerPhase = 'idle' | 'running' | 'stopping' | 'stopped';

/**
 * The server side of the resilience protocol (Node, on `ws`): sessions that
 * survive reconnects (keyed by the client's session id, expiring after an
 * idle TTL), per-session sequence numbers, an outbox (size and TTL limits)
 * replayed on resume, de-duplication of client messages by id with an ack
 * either way, heartbeat replies, overload refusal with 1013 and graceful
 * shutdown with 1001. Reports to an optional tracker of role 'server', one
 * ConnectionHandle per session (each physical connection is an opening()).
 *
 * This class owns connections and sessions; delivery through the outbox
 * (`OutboxDelivery`), de-duplication of client messages
 * (`receiveClientMessage`) and the per-session telemetry
 * (`SessionTelemetry`) live beside it.
 *
 * Never throws into the app after construction.
 */
export class ResilientServer {
  private readonly options: ResolvedResilientServerOptions;
  private readonly store: SessionStore;
  private readonly limits: SessionLimits;
  private readonly listeners = new TypedListeners<ResilientServerEventMap>();
  private readonly connections = new Set<ServerConnection>();
  /** The live connection of each session that has one. */
  private readonly attached = new Map<string, ServerConnection>();
  private readonly telemetry: SessionTelemetry;
  private readonly delivery: OutboxDelivery;
  private wss: WebSocketServer | undefined;
  private phase: ServerPhase = 'idle';
  private overloaded = false;
  private sweepTimer: TimerHandle | undefined;
  private drained: (() => void) | undefined;
  private readonly onConnection = (ws: WebSocket, request?: IncomingMessage): void => {
    this.safely(() => this.accept(ws, request));
  };

  /** Validates options (RangeError on a bad explicit value); call start() to listen. */
  constructor(options: ResilientServerOptions = {}) {
    this.options = resolveResilientServerOptions(options);
    this.store = this.options.store ?? new SessionStore();
    this.limits = {
      maxSize: this.options.maxOutboxSize,
      ttlMillis: this.options.outboxTtlMillis,
      dedupWindowSize: this.options.dedupWindowSize,
    };
    this.telemetry = new SessionTelemetry(this.options.tracker, this.options.serverAddress ?? safeHostname());
    this.delivery = new OutboxDelivery(this.telemetry);
  }

  /** The port listened on (after start()); undefined when unknown. */
  get port(): number | undefined {
    const address = this.wss?.address();
    return typeof address === 'object' && address !== null ? address.port : undefined;
  }

  /** Open connections, including ones still waiting for their hello. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Sessions held (connected or not). */
  get sessionCount(): number {
    return this.store.size;
  }

  /** Whether new connections are being refused with 1013. */
  get isOverloaded(): boolean {
    return this.overloaded || this.connections.size >= this.options.maxConnections;
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof ResilientServerEventMap>(event: K, listener: (event: ResilientServerEventMap[K]) => void): () => void {
    return this.listeners.on(event, listener);
  }

  /**
   * Starts accepting connections: listens on `port` (resolves once
   * listening; rejects if the port is taken) or attaches to the given
   * `webSocketServer`. Calling it again is a no-op.
   */
  async start(): Promise<void> {
    if (this.phase !== 'idle') return;
    this.phase = 'running';
    const wss = this.options.webSocketServer ?? (await this.listen());
    this.wss = wss;
    wss.on('connection', this.onConnection);
    this.sweepTimer = unrefInterval(() => this.sweep(Date.now()), this.options.sweepIntervalMillis);
  }

  private async listen(): Promise<WebSocketServer> {
    try {
      return await listenWebSocketServer(this.options);
    } catch (error) {
      this.phase = 'idle';
      throw error;
    }
  }

  /** Refuses new connections with 1013 ("try again later") while true; open ones stay. */
  setOverloaded(overloaded: boolean): void {
    this.overloaded = overloaded === true;
  }

  /**
   * Sends `body` (any JSON value) to a session: it gets the next sequence
   * number, waits in the outbox until acked, and goes out now if the
   * session is connected (else on resume). Returns the message id, or
   * undefined when the session is unknown or the body cannot be serialized.
   */
  send(sessionId: string, body: unknown, options: ResilientServerSendOptions = {}): string | undefined {
    try {
      const session = this.store.get(sessionId);
      if (session === undefined || this.phase === 'stopped') return undefined;
      return this.sendTo(session, body, typeof options.channel === 'string' ? options.channel : undefined);
    } catch {
      return undefined;
    }
  }

  /** Sends `body` to every session (connected or not) that `filter` accepts; returns how many. */
  broadcast(body: unknown, filter?: (sessionId: string) => boolean, options: ResilientServerSendOptions = {}): number {
    let count = 0;
    try {
      const channel = typeof options.channel === 'string' ? options.channel : undefined;
      for (const session of this.store.values()) {
        let accepted = true;
        try {
          accepted = filter === undefined || filter(session.id);
        } catch {
          accepted = false;
        }
        if (accepted && this.sendTo(session, body, channel) !== undefined) count++;
      }
    } catch {
      // Never throw into the app.
    }
    return count;
  }

  /**
   * Graceful shutdown: refuses new connections, closes every client with
   * 1001 (they reconnect promptly, to another instance or to this one
   * restarted), waits up to shutdownTimeoutMillis for the closing
   * handshakes, cuts the rest, then stops listening. Sessions stay in the
   * store. Resolves when done; never rejects.
   */
  async close(): Promise<void> {
    if (this.phase !== 'running') return;
    this.phase = 'stopping';
    for (const connection of this.connections) connection.close(CLOSE_GOING_AWAY, 'server shutting down');
    await this.waitForDrain(this.options.shutdownTimeoutMillis);
    for (const connection of this.connections) connection.terminate();
    await this.waitForDrain(1_000);
    await this.stopListening();
  }

  /**
   * Abrupt stop, as if the process died: every connection is cut without a
   * close frame (clients see 1006), then the server stops listening.
   * Sessions stay in the store.
   */
  async terminate(): Promise<void> {
    if (this.phase !== 'running') return;
    this.phase = 'stopping';
    for (const connection of this.connections) connection.terminate();
    await this.waitForDrain(1_000);
    await this.stopListening();
  }

  private accept(ws: WebSocket, request: IncomingMessage | undefined): void {
    ws.on('error', () => {
      // Always followed by 'close'; a listener must exist or ws would throw.
    });
    if (this.phase !== 'running') {
      closeWebSocket(ws, CLOSE_GOING_AWAY, 'server shutting down');
      return;
    }
    if (this.isOverloaded) {
      closeWebSocket(ws, CLOSE_TRY_AGAIN_LATER, 'try again later');
      return;
    }
    const connection = new ServerConnection(ws, Date.now());
    // The client's connection id from the handshake (tv_connection), so both sides report one connection.
    if (request) connection.clientConnectionId = handshakeIdentity(request).connectionId;
    this.connections.add(connection);
    connection.helloTimer = unrefTimeout(() => {
      if (connection.sessionId === undefined) connection.close(CLOSE_HELLO_TIMEOUT, 'hello timeout');
    }, this.options.helloTimeoutMillis);
    ws.on('message', (data: RawData, isBinary: boolean) => this.safely(() => this.onFrame(connection, data, isBinary)));
    ws.on('close', (code: number, reason: Buffer) => this.safely(() => this.onClose(connection, code, reason.toString())));
  }

  private onFrame(connection: ServerConnection, data: RawData, isBinary: boolean): void {
    connection.lastInboundAt = Date.now();
    // Binary frames are not part of the protocol; a connection the server is closing is done.
    if (isBinary || connection.serverClose !== undefined) return;
    const frame = parseClientFrame(rawToString(data));
    if (frame === undefined) return;
    if (frame.t === 'ping') {
      connection.send({ t: 'pong', n: frame.n });
      return;
    }
    if (frame.t === 'hello') {
      if (connection.sessionId === undefined) this.onHello(connection, frame);
      return;
    }
    const session = this.attachedSession(connection);
    if (session === undefined) return;
    session.lastActiveAt = connection.lastInboundAt;
    if (frame.t === 'ack') {
      this.delivery.acknowledge(session, Math.min(frame.seq, session.seq));
      return;
    }
    const message = receiveClientMessage(session, this.telemetry.connection(session.id), frame);
    if (message !== undefined) this.listeners.emit('message', message);
    // Acked either way: a duplicate means the client missed our first ack.
    connection.send({ t: 'ack', id: frame.id });
  }

  private onHello(connection: ServerConnection, hello: HelloFrame): void {
    connection.clearHelloTimer();
    const now = Date.now();
    const existing = this.store.get(hello.sid);
    const session = existing ?? this.store.create(hello.sid, this.limits, now);
    session.lastActiveAt = now;
    const handle = this.telemetry.connection(session.id);
    const previous = this.attached.get(session.id);
    if (previous !== undefined) {
      // The same session connected again (its old connection is probably
      // half-open): the newer connection wins.
      this.attached.delete(session.id);
      previous.sessionId = undefined;
      handle.closed({ code: CLOSE_SESSION_TAKEN_OVER, reason: 'session taken over', clean: false, initiator: 'server' });
      previous.close(CLOSE_SESSION_TAKEN_OVER, 'session taken over');
    }
    connection.sessionId = session.id;
    this.attached.set(session.id, connection);
    handle.opening(undefined, connection.clientConnectionId);
    handle.opened();
    const replayed = this.delivery.resume(session, connection, hello.lastSeq);
    if (replayed === undefined) {
      handle.resumed({ lastSeq: hello.lastSeq, replayed: 0, ok: false });
      this.listeners.emit('connection', { sessionId: session.id, resumed: false, replayed: 0 });
      return;
    }
    if (existing !== undefined) handle.resumed({ lastSeq: hello.lastSeq, replayed, ok: true });
    this.listeners.emit('connection', { sessionId: session.id, resumed: existing !== undefined, replayed });
  }

  private onClose(connection: ServerConnection, code: number, reason: string): void {
    this.connections.delete(connection);
    connection.clearHelloTimer();
    const sessionId = connection.sessionId;
    if (sessionId !== undefined && this.attached.get(sessionId) === connection) {
      this.attached.delete(sessionId);
      const session = this.store.get(sessionId);
      if (session !== undefined) session.lastActiveAt = Date.now();
      const sent = connection.serverClose;
      // When the server closed, report the code it sent; otherwise the
      // client's code, or 1006 when no close frame arrived at all.
      const info: CloseInfo =
        sent !== undefined
          ? { code: sent.code, reason: sent.reason, clean: code !== CLOSE_ABNORMAL, initiator: 'server' }
          : code === CLOSE_ABNORMAL
            ? { code, reason, clean: false }
            : { code, reason, clean: true, initiator: 'client' };
      this.telemetry.connection(sessionId).closed(info);
      this.listeners.emit('disconnect', { sessionId, code: info.code, reason: info.reason ?? '' });
    }
    if (this.connections.size === 0) this.drained?.();
  }

  private sendTo(session: Session, body: unknown, channel: string | undefined): string | undefined {
    return this.delivery.send(session, this.attached.get(session.id), body, channel);
  }

  /** Expires idle connections, outbox messages past their TTL, and sessions without a connection for sessionTtlMillis. */
  private sweep(now: number): void {
    const idle = this.options.idleTimeoutMillis;
    if (idle > 0) {
      for (const connection of this.connections) {
        if (now - connection.lastInboundAt >= idle) {
          connection.serverClose = { code: CLOSE_IDLE_TIMEOUT, reason: 'idle timeout' };
          connection.terminate();
        }
      }
    }
    for (const session of this.store.values()) {
      this.delivery.expire(session, now);
      if (this.attached.has(session.id) || now - session.lastActiveAt < this.options.sessionTtlMillis) continue;
      this.store.delete(session.id);
      this.delivery.abandon(session);
      this.telemetry.forget(session.id);
      this.listeners.emit('session-expired', { sessionId: session.id });
    }
  }

  /** The session `connection` is the live connection of, if any. */
  private attachedSession(connection: ServerConnection): Session | undefined {
    const sessionId = connection.sessionId;
    if (sessionId === undefined || this.attached.get(sessionId) !== connection) return undefined;
    return this.store.get(sessionId);
  }

  private async waitForDrain(timeoutMillis: number): Promise<void> {
    if (this.connections.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = unrefTimeout(done, timeoutMillis);
      this.drained = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
    this.drained = undefined;
  }

  private async stopListening(): Promise<void> {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.telemetry.disposeAll();
    this.attached.clear();
    const wss = this.wss;
    this.wss = undefined;
    this.phase = 'stopped';
    if (wss === undefined) return;
    wss.off('connection', this.onConnection);
    if (this.options.webSocketServer === undefined) await closeWebSocketServer(wss);
  }

  /** Runs `fn`, swallowing any error: the server never throws into the host app. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // Keep serving the other connections.
    }
  }
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function safeHostname(): string {
  try {
    return hostname();
  } catch {
    return 'localhost';
  }
}
