import { hostname } from 'node:os';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { CloseInfo, ConnectionHandle, MessageHandle } from '../tracker/tracker-types.js';
import type { DropReason } from '../semconv/events.js';
import { createNoopConnectionHandle } from '../client/noop-connection-handle.js';
import { TypedListeners } from '../client/typed-listeners.js';
import {
  CLOSE_ABNORMAL,
  CLOSE_GOING_AWAY,
  CLOSE_HELLO_TIMEOUT,
  CLOSE_IDLE_TIMEOUT,
  CLOSE_SESSION_TAKEN_OVER,
  CLOSE_TRY_AGAIN_LATER,
} from '../protocol/close-codes.js';
import {
  encodeFrame,
  parseClientFrame,
  type ClientMessageFrame,
  type HelloFrame,
  type ServerFrame,
} from '../protocol/frames.js';
import { randomId } from '../shared/random-id.js';
import { utf8ByteLength } from '../protocol/utf8-byte-length.js';
import type { OutboxEntry } from './outbox.js';
import {
  resolveResilientServerOptions,
  type ResilientServerOptions,
  type ResolvedResilientServerOptions,
} from './resilient-server-options.js';
import { SessionStore, type Session, type SessionLimits } from './session-store.js';

/** A client message, delivered to the server app once. */
export interface InboundMessage {
  /** The client's session. */
  sessionId: string;
  /** The client's message id. */
  id: string;
  /** The app payload. */
  body: unknown;
  /** Channel, when the client set one. */
  channel?: string;
}

/** A client (re)attached its session. */
export interface SessionConnectedEvent {
  /** The session. */
  sessionId: string;
  /** true when an existing session resumed with its messages replayed. */
  resumed: boolean;
  /** Messages replayed to the client. */
  replayed: number;
}

/** A session's connection closed (the session lives on until it expires). */
export interface SessionDisconnectedEvent {
  /** The session. */
  sessionId: string;
  /** Close code (the one the server sent, when it closed). */
  code: number;
  /** Close reason. */
  reason: string;
}

/** A session had no connection for sessionTtlMillis and was forgotten. */
export interface SessionExpiredEvent {
  /** The session. */
  sessionId: string;
}

/** Events of `ResilientServer.on()`. */
export interface ResilientServerEventMap {
  /** A client message, once per message id (duplicates are acked and suppressed). */
  message: InboundMessage;
  /** A client attached (or re-attached) its session. */
  connection: SessionConnectedEvent;
  /** A session's connection closed. */
  disconnect: SessionDisconnectedEvent;
  /** A session expired. */
  'session-expired': SessionExpiredEvent;
}

/** Options of `ResilientServer.send()` and `broadcast()`. */
export interface ResilientServerSendOptions {
  /** Channel / topic of the message. */
  channel?: string;
}

/** One physical connection. */
interface Connection {
  readonly ws: WebSocket;
  /** Session attached by the hello; undefined before it. */
  sessionId: string | undefined;
  lastInboundAt: number;
  helloTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set when the server started the close (code and reason it sent). */
  serverClose: { code: number; reason: string } | undefined;
}

/** This process's view of a session: its telemetry handle and live connection. */
interface SessionRuntime {
  readonly handle: ConnectionHandle;
  /** Outbound message handles by sequence number (only for messages in the outbox). */
  readonly messages: Map<number, MessageHandle>;
  connection: Connection | undefined;
}

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
 * Never throws into the app after construction.
 */
export class ResilientServer {
  private readonly options: ResolvedResilientServerOptions;
  private readonly store: SessionStore;
  private readonly limits: SessionLimits;
  private readonly listeners = new TypedListeners<ResilientServerEventMap>();
  private readonly connections = new Set<Connection>();
  private readonly runtimes = new Map<string, SessionRuntime>();
  private readonly serverAddress: string;
  private wss: WebSocketServer | undefined;
  private phase: ServerPhase = 'idle';
  private overloaded = false;
  private sweepTimer: ReturnType<typeof setInterval> | undefined;
  private drained: (() => void) | undefined;
  private readonly onConnection = (ws: WebSocket): void => {
    this.safely(() => this.accept(ws));
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
    this.serverAddress = this.options.serverAddress ?? safeHostname();
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
    this.sweepTimer = setInterval(() => this.safely(() => this.sweep(Date.now())), this.options.sweepIntervalMillis);
    this.sweepTimer.unref();
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
    for (const connection of this.connections) this.closeConnection(connection, CLOSE_GOING_AWAY, 'server shutting down');
    await this.waitForDrain(this.options.shutdownTimeoutMillis);
    for (const connection of this.connections) this.safely(() => connection.ws.terminate());
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
    for (const connection of this.connections) this.safely(() => connection.ws.terminate());
    await this.waitForDrain(1_000);
    await this.stopListening();
  }

  // ---- connections -------------------------------------------------------

  private async listen(): Promise<WebSocketServer> {
    const { port, host, path, maxPayloadBytes } = this.options;
    return await new Promise<WebSocketServer>((resolve, reject) => {
      const wss = new WebSocketServer({
        port,
        maxPayload: maxPayloadBytes,
        ...(host === undefined ? {} : { host }),
        ...(path === undefined ? {} : { path }),
      });
      const onError = (error: Error): void => {
        this.phase = 'idle';
        wss.close();
        reject(error);
      };
      wss.once('error', onError);
      wss.once('listening', () => {
        wss.off('error', onError);
        // Later server errors are ignored rather than crashing the host.
        wss.on('error', () => {});
        resolve(wss);
      });
    });
  }

  private accept(ws: WebSocket): void {
    ws.on('error', () => {
      // Always followed by 'close'; a listener must exist or ws would throw.
    });
    if (this.phase !== 'running') {
      safeClose(ws, CLOSE_GOING_AWAY, 'server shutting down');
      return;
    }
    if (this.isOverloaded) {
      safeClose(ws, CLOSE_TRY_AGAIN_LATER, 'try again later');
      return;
    }
    const connection: Connection = {
      ws,
      sessionId: undefined,
      lastInboundAt: Date.now(),
      helloTimer: undefined,
      serverClose: undefined,
    };
    this.connections.add(connection);
    connection.helloTimer = setTimeout(() => {
      if (connection.sessionId === undefined) this.closeConnection(connection, CLOSE_HELLO_TIMEOUT, 'hello timeout');
    }, this.options.helloTimeoutMillis);
    connection.helloTimer.unref();
    ws.on('message', (data: RawData, isBinary: boolean) => this.safely(() => this.onFrame(connection, data, isBinary)));
    ws.on('close', (code: number, reason: Buffer) => this.safely(() => this.onClose(connection, code, reason.toString())));
  }

  private onFrame(connection: Connection, data: RawData, isBinary: boolean): void {
    connection.lastInboundAt = Date.now();
    // Binary frames are not part of the protocol; a connection the server is closing is done.
    if (isBinary || connection.serverClose !== undefined) return;
    const frame = parseClientFrame(rawToString(data));
    if (frame === undefined) return;
    if (frame.t === 'ping') {
      this.write(connection, { t: 'pong', n: frame.n });
      return;
    }
    if (frame.t === 'hello') {
      if (connection.sessionId === undefined) this.onHello(connection, frame);
      return;
    }
    const runtime = this.attachedRuntime(connection);
    const session = connection.sessionId === undefined ? undefined : this.store.get(connection.sessionId);
    if (runtime === undefined || session === undefined) return;
    session.lastActiveAt = connection.lastInboundAt;
    if (frame.t === 'msg') this.onClientMessage(connection, session, runtime, frame);
    else this.onSequenceAck(session, runtime, frame.seq);
  }

  private onHello(connection: Connection, hello: HelloFrame): void {
    if (connection.helloTimer !== undefined) clearTimeout(connection.helloTimer);
    connection.helloTimer = undefined;
    const now = Date.now();
    const existing = this.store.get(hello.sid);
    const session = existing ?? this.store.create(hello.sid, this.limits, now);
    session.lastActiveAt = now;
    const runtime = this.runtimeFor(session.id);
    const previous = runtime.connection;
    if (previous !== undefined) {
      // The same session connected again (its old connection is probably
      // half-open): the newer connection wins.
      runtime.connection = undefined;
      previous.sessionId = undefined;
      runtime.handle.closed({ code: CLOSE_SESSION_TAKEN_OVER, reason: 'session taken over', clean: false, initiator: 'server' });
      this.closeConnection(previous, CLOSE_SESSION_TAKEN_OVER, 'session taken over');
    }
    connection.sessionId = session.id;
    runtime.connection = connection;
    runtime.handle.opening();
    runtime.handle.opened();

    const oldestAvailable = session.outbox.oldestSeq ?? session.seq + 1;
    const canResume = hello.lastSeq <= session.seq && hello.lastSeq + 1 >= oldestAvailable;
    if (!canResume) {
      for (const entry of session.outbox.drain()) this.finish(runtime, entry, 'resume_failed');
      session.ackedSeq = session.seq;
      this.write(connection, { t: 'resume-failed', sid: session.id, seq: session.seq });
      runtime.handle.resumed({ lastSeq: hello.lastSeq, replayed: 0, ok: false });
      this.listeners.emit('connection', { sessionId: session.id, resumed: false, replayed: 0 });
      return;
    }
    this.acknowledge(session, runtime, hello.lastSeq);
    const missed = session.outbox.after(hello.lastSeq);
    this.write(connection, { t: 'welcome', sid: session.id, replay: missed.length });
    for (const entry of missed) {
      this.messageHandle(runtime, entry).replayed();
      this.writeText(connection, entry.frame);
    }
    if (existing !== undefined) runtime.handle.resumed({ lastSeq: hello.lastSeq, replayed: missed.length, ok: true });
    this.listeners.emit('connection', { sessionId: session.id, resumed: existing !== undefined, replayed: missed.length });
  }

  private onClientMessage(connection: Connection, session: Session, runtime: SessionRuntime, frame: ClientMessageFrame): void {
    const info = frame.ch === undefined ? {} : { channel: frame.ch };
    if (session.seenIds.has(frame.id)) {
      runtime.handle.duplicate(frame.id, info);
    } else {
      session.seenIds.add(frame.id);
      runtime.handle.received(frame.id, info);
      this.listeners.emit(
        'message',
        frame.ch === undefined
          ? { sessionId: session.id, id: frame.id, body: frame.body }
          : { sessionId: session.id, id: frame.id, body: frame.body, channel: frame.ch },
      );
    }
    // Acked either way: a duplicate means the client missed our first ack.
    this.write(connection, { t: 'ack', id: frame.id });
  }

  private onSequenceAck(session: Session, runtime: SessionRuntime, seq: number): void {
    this.acknowledge(session, runtime, Math.min(seq, session.seq));
  }

  /** The client has everything up to `seq`: those messages leave the outbox as acked. */
  private acknowledge(session: Session, runtime: SessionRuntime, seq: number): void {
    if (seq > session.ackedSeq) session.ackedSeq = seq;
    for (const entry of session.outbox.ackUpTo(seq)) {
      const handle = runtime.messages.get(entry.seq);
      runtime.messages.delete(entry.seq);
      handle?.acked();
    }
  }

  private onClose(connection: Connection, code: number, reason: string): void {
    this.connections.delete(connection);
    if (connection.helloTimer !== undefined) clearTimeout(connection.helloTimer);
    connection.helloTimer = undefined;
    const runtime = this.attachedRuntime(connection);
    const sessionId = connection.sessionId;
    if (runtime !== undefined && sessionId !== undefined) {
      runtime.connection = undefined;
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
      runtime.handle.closed(info);
      this.listeners.emit('disconnect', { sessionId, code: info.code, reason: info.reason ?? '' });
    }
    if (this.connections.size === 0) this.drained?.();
  }

  // ---- outbound ----------------------------------------------------------

  private sendTo(session: Session, body: unknown, channel: string | undefined): string | undefined {
    const id = randomId();
    const seq = session.seq + 1;
    let frame: string;
    try {
      const message: ServerFrame = { t: 'msg', seq, id, body: body === undefined ? null : body, ...(channel === undefined ? {} : { ch: channel }) };
      frame = encodeFrame(message);
    } catch {
      return undefined;
    }
    session.seq = seq;
    const entry: OutboxEntry = { seq, id, frame, createdAt: Date.now(), channel, size: utf8ByteLength(frame) };
    const runtime = this.runtimeFor(session.id);
    const handle = this.messageHandle(runtime, entry);
    const evicted = session.outbox.push(entry);
    const connection = runtime.connection;
    if (connection !== undefined && this.writeText(connection, frame)) handle.sent();
    else handle.queued(session.outbox.size);
    for (const old of evicted) this.finish(runtime, old, 'outbox_full');
    return id;
  }

  private messageHandle(runtime: SessionRuntime, entry: OutboxEntry): MessageHandle {
    let handle = runtime.messages.get(entry.seq);
    if (handle === undefined) {
      handle = runtime.handle.message(entry.id, {
        seq: entry.seq,
        size: entry.size,
        ...(entry.channel === undefined ? {} : { channel: entry.channel }),
      });
      runtime.messages.set(entry.seq, handle);
    }
    return handle;
  }

  /** An outbox message leaves without an ack. */
  private finish(runtime: SessionRuntime, entry: OutboxEntry, reason: DropReason): void {
    const handle = runtime.messages.get(entry.seq);
    runtime.messages.delete(entry.seq);
    (handle ?? runtime.handle.message(entry.id, { seq: entry.seq })).dropped(reason);
  }

  // ---- housekeeping ------------------------------------------------------

  private sweep(now: number): void {
    const idle = this.options.idleTimeoutMillis;
    if (idle > 0) {
      for (const connection of this.connections) {
        if (now - connection.lastInboundAt >= idle) {
          connection.serverClose = { code: CLOSE_IDLE_TIMEOUT, reason: 'idle timeout' };
          this.safely(() => connection.ws.terminate());
        }
      }
    }
    for (const session of this.store.values()) {
      const expired = session.outbox.takeExpired(now);
      if (expired.length > 0) {
        const runtime = this.runtimeFor(session.id);
        for (const entry of expired) this.finish(runtime, entry, 'ttl_expired');
      }
      const attached = this.runtimes.get(session.id)?.connection !== undefined;
      if (attached || now - session.lastActiveAt < this.options.sessionTtlMillis) continue;
      this.store.delete(session.id);
      const abandoned = session.outbox.drain();
      if (abandoned.length > 0) {
        const runtime = this.runtimeFor(session.id);
        for (const entry of abandoned) this.finish(runtime, entry, 'ttl_expired');
      }
      this.runtimes.get(session.id)?.handle.dispose();
      this.runtimes.delete(session.id);
      this.listeners.emit('session-expired', { sessionId: session.id });
    }
  }

  private runtimeFor(sessionId: string): SessionRuntime {
    let runtime = this.runtimes.get(sessionId);
    if (runtime === undefined) {
      runtime = { handle: this.createHandle(sessionId), messages: new Map(), connection: undefined };
      this.runtimes.set(sessionId, runtime);
    }
    return runtime;
  }

  private attachedRuntime(connection: Connection): SessionRuntime | undefined {
    if (connection.sessionId === undefined) return undefined;
    const runtime = this.runtimes.get(connection.sessionId);
    return runtime?.connection === connection ? runtime : undefined;
  }

  private createHandle(sessionId: string): ConnectionHandle {
    const tracker = this.options.tracker;
    if (tracker === undefined) return createNoopConnectionHandle();
    try {
      return tracker.connection({ serverAddress: this.serverAddress, sessionId });
    } catch {
      return createNoopConnectionHandle();
    }
  }

  private closeConnection(connection: Connection, code: number, reason: string): void {
    connection.serverClose ??= { code, reason };
    safeClose(connection.ws, code, reason);
  }

  private write(connection: Connection, frame: ServerFrame): boolean {
    return this.writeText(connection, encodeFrame(frame));
  }

  private writeText(connection: Connection, text: string): boolean {
    if (connection.ws.readyState !== connection.ws.OPEN) return false;
    try {
      connection.ws.send(text);
      return true;
    } catch {
      return false;
    }
  }

  private async waitForDrain(timeoutMillis: number): Promise<void> {
    if (this.connections.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMillis);
      timer.unref();
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
    for (const runtime of this.runtimes.values()) runtime.handle.dispose();
    this.runtimes.clear();
    const wss = this.wss;
    this.wss = undefined;
    this.phase = 'stopped';
    if (wss === undefined) return;
    wss.off('connection', this.onConnection);
    if (this.options.webSocketServer !== undefined) return;
    await new Promise<void>((resolve) => {
      try {
        wss.close(() => resolve());
      } catch {
        resolve();
      }
    });
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

function safeClose(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    try {
      ws.terminate();
    } catch {
      // Already gone.
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
