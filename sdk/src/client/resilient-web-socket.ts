import type { ConnectionState, DropReason } from '../semconv/events.js';
import type { CloseInfo, ConnectionHandle, MessageHandle } from '../tracker/tracker-types.js';
import {
  CLOSE_ABNORMAL,
  CLOSE_CONNECT_TIMEOUT,
  CLOSE_GOING_AWAY,
  CLOSE_HEARTBEAT_TIMEOUT,
  CLOSE_NORMAL,
  CLOSE_OFFLINE,
  CLOSE_POLICY_VIOLATION,
  CLOSE_SEQUENCE_GAP,
  CLOSE_SERVICE_RESTART,
  CLOSE_SESSION_TAKEN_OVER,
  CLOSE_TRY_AGAIN_LATER,
} from '../protocol/close-codes.js';
import { encodeFrame, parseServerFrame, type ServerFrame, type ServerMessageFrame } from '../protocol/frames.js';
import { randomId } from '../shared/random-id.js';
import { utf8ByteLength } from '../protocol/utf8-byte-length.js';
import { computeBackoff, pickBaseDelay } from './backoff.js';
import { canTransition, type ClosedReason } from './client-state.js';
import { Heartbeat } from './heartbeat.js';
import { InboundSequencer } from './inbound-sequencer.js';
import { NetworkStatus } from './network-status.js';
import { createNoopConnectionHandle } from './noop-connection-handle.js';
import { OutboundQueue } from './outbound-queue.js';
import type { ResilientSendOptions, ResilientWebSocketEventMap } from './resilient-web-socket-events.js';
import {
  resolveResilientWebSocketOptions,
  type ResilientWebSocketOptions,
  type ResolvedResilientWebSocketOptions,
} from './resilient-web-socket-options.js';
import { setUnrefTimeout, type TimerHandle } from './timers.js';
import { TypedListeners } from './typed-listeners.js';
import { READY_STATE_OPEN, type WebSocketLike } from './web-socket-like.js';

/** An outbound message from send() until ack or drop. */
interface OutboundEntry {
  readonly id: string;
  readonly frame: string;
  readonly createdAt: number;
  readonly handle: MessageHandle;
  /** Times put on the wire, over all connections. */
  attempt: number;
  /** Times put on the wire on the current connection. */
  sendsOnConnection: number;
  /** Successful opens before it was created: its first send on a later connection is a replay. */
  readonly createdEpoch: number;
  ackTimer: TimerHandle | undefined;
}

/** How the next reconnect delay is computed. */
type RetryKind = 'normal' | 'try_again_later';

/** The number of delivered server messages after which a cumulative ack goes out at once. */
const ACK_BATCH_SIZE = 32;

/**
 * A WebSocket client that stays connected: an explicit state machine
 * (connecting -> open -> reconnecting / offline -> closed), jittered
 * exponential backoff, heartbeats that find half-open connections, acked
 * sends with retries, a bounded offline queue replayed on reconnect,
 * session resume with exactly-once, in-order delivery of server messages,
 * and close codes honoured (1001 prompt, 1013 longer, 1008 stop). It speaks
 * the protocol of `protocol/frames.ts` (see `ResilientServer`) and reports
 * everything to an optional tracker.
 *
 * Like WebSocket it connects on construction. Only the constructor throws
 * (RangeError / TypeError for a bad option); nothing else ever throws.
 */
export class ResilientWebSocket {
  /** The URL connected to. */
  readonly url: string;
  /** The session id sent in every hello. */
  readonly sessionId: string;

  private readonly options: ResolvedResilientWebSocketOptions;
  private readonly handle: ConnectionHandle;
  private readonly listeners = new TypedListeners<ResilientWebSocketEventMap>();
  private readonly baseDelayMillis: number;
  private readonly sequencer = new InboundSequencer();
  private readonly queue: OutboundQueue<OutboundEntry>;
  private readonly inFlight = new Map<string, OutboundEntry>();
  private readonly network = new NetworkStatus();
  private readonly heartbeat: Heartbeat;

  private currentState: ConnectionState = 'connecting';
  private closed: ClosedReason | undefined;
  private socket: WebSocketLike | undefined;
  private retries = 0;
  private cycleTries = 0;
  /** Successful opens so far; a message created in an earlier epoch waited for a connection. */
  private opens = 0;
  private lastAckedSeq = 0;
  private unackedDeliveries = 0;
  private reportedQueueDepth = 0;
  private retryTimer: TimerHandle | undefined;
  private connectTimer: TimerHandle | undefined;
  private stableTimer: TimerHandle | undefined;
  private ackTimer: TimerHandle | undefined;
  private ttlTimer: TimerHandle | undefined;
  private ttlTimerAt: number | undefined;

  /**
   * Creates the client and starts connecting to `url` (ws:// or wss://).
   * Throws a RangeError for an invalid option value and a TypeError when
   * no WebSocket class is available; never throws afterwards.
   */
  constructor(url: string, options: ResilientWebSocketOptions = {}) {
    this.options = resolveResilientWebSocketOptions(url, options);
    this.url = url;
    const tracker = this.options.tracker;
    this.sessionId = this.options.sessionId ?? readTrackerSessionId(tracker) ?? randomId();
    this.handle = createHandle(this.options, this.sessionId);
    this.baseDelayMillis = pickBaseDelay(this.options.minInitialDelayMillis, this.options.maxInitialDelayMillis, Math.random);
    this.queue = new OutboundQueue<OutboundEntry>({
      maxSize: this.options.maxQueueSize,
      ttlMillis: this.options.queueTtlMillis,
    });
    this.heartbeat = new Heartbeat(
      {
        intervalMillis: this.options.heartbeatIntervalMillis,
        pongTimeoutMillis: this.options.pongTimeoutMillis,
        maxMissedPongs: this.options.maxMissedPongs,
      },
      {
        sendPing: (n) => this.write(encodeFrame({ t: 'ping', n })),
        onRoundTrip: (rttMs) => this.handle.heartbeat(rttMs),
        onMissed: (missed) => this.handle.heartbeatMissed(missed),
        onDead: () => this.safely(() => this.onHeartbeatDead()),
        now: () => Date.now(),
      },
    );
    this.safely(() => this.start());
  }

  /** Current state: connecting, open, reconnecting, offline or closed. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** WebSocket-style readyState: 1 when open, 3 when closed, 0 otherwise (connecting, reconnecting, offline). */
  get readyState(): number {
    if (this.currentState === 'open') return 1;
    return this.currentState === 'closed' ? 3 : 0;
  }

  /** Reconnect attempts in a row since the connection was last stable. */
  get retryCount(): number {
    return this.retries;
  }

  /** Messages waiting for a connection (or for room in flight); excludes messages awaiting their ack. */
  get queueSize(): number {
    return this.queue.size;
  }

  /** Messages sent and awaiting their ack. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Last server sequence number delivered to the app (0 = none). */
  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  /** Why the client is `closed`; undefined in any other state. */
  get closedReason(): ClosedReason | undefined {
    return this.currentState === 'closed' ? this.closed : undefined;
  }

  /** true when the client stopped because it ran out of retries (`reconnect()` restarts it). */
  get gaveUp(): boolean {
    return this.closedReason === 'gave_up';
  }

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof ResilientWebSocketEventMap>(event: K, listener: (event: ResilientWebSocketEventMap[K]) => void): () => void {
    return this.listeners.on(event, listener);
  }

  /**
   * Sends `body` (any JSON value) and returns its message id. When open, it
   * goes out at once and is retried until acked; otherwise it waits in the
   * bounded queue (oldest dropped when full, dropped after its TTL) and is
   * replayed in order on reconnect. Outcomes arrive as `ack` / `drop`
   * events. Never throws: a body that cannot be serialized is dropped
   * (`policy`).
   */
  send(body: unknown, options: ResilientSendOptions = {}): string {
    const id = randomId();
    try {
      const channel = typeof options.channel === 'string' ? options.channel : undefined;
      let frame: string;
      try {
        frame = encodeFrame({ t: 'msg', id, body: body === undefined ? null : body, ...(channel === undefined ? {} : { ch: channel }) });
      } catch {
        this.handle.message(id, channel === undefined ? {} : { channel }).dropped('policy');
        this.listeners.emit('drop', { id, reason: 'policy' });
        return id;
      }
      const size = utf8ByteLength(frame);
      const entry: OutboundEntry = {
        id,
        frame,
        createdAt: Date.now(),
        handle: this.handle.message(id, channel === undefined ? { size } : { channel, size }),
        attempt: 0,
        sendsOnConnection: 0,
        createdEpoch: this.opens,
        ackTimer: undefined,
      };
      if (this.currentState === 'open' && this.queue.size === 0 && this.inFlight.size < this.options.maxInFlight) {
        this.transmit(entry, 'send');
      } else {
        this.enqueue(entry);
      }
    } catch {
      // Never throw into the app.
    }
    return id;
  }

  /**
   * Closes the connection and stops reconnecting (state `closed`). Queued
   * messages stay queued (subject to their TTL) and go out if the app calls
   * `reconnect()`. Default code 1000.
   */
  close(code: number = CLOSE_NORMAL, reason = ''): void {
    this.safely(() => {
      if (this.currentState === 'closed') return;
      this.flushAck();
      this.clearRetryTimer();
      this.closed = 'closed_by_app';
      if (this.socket !== undefined) this.dropSocket(code, reason, false);
      this.network.stop();
      this.transition('closed');
    });
  }

  /**
   * Reconnects now: closes the current socket if any (code 1000), resets
   * the retry counter and starts a new connect cycle. Restarts a client
   * that gave up or was closed.
   */
  reconnect(): void {
    this.safely(() => {
      this.clearRetryTimer();
      if (this.socket !== undefined) this.dropSocket(CLOSE_NORMAL, 'client reconnect', false);
      this.closed = undefined;
      this.retries = 0;
      this.cycleTries = 0;
      this.network.start((online) => this.safely(() => this.onNetworkChange(online)));
      this.transition(this.opens > 0 ? 'reconnecting' : 'connecting');
      this.openSocket();
    });
  }

  // ---- lifecycle ---------------------------------------------------------

  private start(): void {
    this.network.start((online) => this.safely(() => this.onNetworkChange(online)));
    if (!NetworkStatus.isOnline()) {
      this.transition('offline');
      return;
    }
    this.openSocket();
  }

  private openSocket(): void {
    this.cycleTries += 1;
    this.handle.opening(this.cycleTries);
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(this.url, this.options.protocols);
    } catch (error) {
      this.handle.error(errorTypeOf(error), messageOf(error));
      this.handle.closed({ code: CLOSE_ABNORMAL, clean: false });
      this.afterLoss(CLOSE_ABNORMAL, '');
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.safely(() => this.onSocketOpen(socket));
    socket.onmessage = (event: unknown) => this.safely(() => this.onSocketMessage(socket, event));
    socket.onclose = (event: unknown) => this.safely(() => this.onSocketClose(socket, event));
    socket.onerror = (event: unknown) => this.safely(() => this.onSocketError(socket, event));
    this.connectTimer = setUnrefTimeout(() => this.safely(() => this.onConnectTimeout(socket)), this.options.connectTimeoutMillis);
  }

  private onSocketOpen(socket: WebSocketLike): void {
    if (socket !== this.socket) return;
    // The hello's lastSeq acknowledges everything up to it.
    if (this.write(encodeFrame({ t: 'hello', sid: this.sessionId, lastSeq: this.sequencer.lastSeq }))) {
      this.lastAckedSeq = this.sequencer.lastSeq;
    }
  }

  private onSocketMessage(socket: WebSocketLike, event: unknown): void {
    if (socket !== this.socket) return;
    const frame: ServerFrame | undefined = parseServerFrame((event as { data?: unknown } | undefined)?.data);
    if (frame === undefined) return;
    switch (frame.t) {
      case 'welcome':
        this.onSessionReady(frame.replay, undefined);
        return;
      case 'resume-failed':
        this.onSessionReady(0, frame.seq);
        return;
      case 'msg':
        this.onServerMessage(frame);
        return;
      case 'ack':
        this.onAck(frame.id);
        return;
      case 'pong':
        this.heartbeat.pong(frame.n);
        return;
    }
  }

  /** welcome (resetTo undefined) or resume-failed (resetTo = the server's seq). */
  private onSessionReady(replayed: number, resetTo: number | undefined): void {
    if (this.currentState !== 'connecting' && this.currentState !== 'reconnecting') return;
    this.clearConnectTimer();
    const resuming = this.opens > 0;
    const lastSeq = this.sequencer.lastSeq;
    this.opens += 1;
    this.cycleTries = 0;
    this.transition('open');
    this.handle.opened();
    if (resetTo === undefined) {
      if (resuming) this.handle.resumed({ lastSeq, replayed, ok: true });
    } else {
      this.sequencer.reset(resetTo);
      this.lastAckedSeq = resetTo;
      this.handle.resumed({ lastSeq, replayed: 0, ok: false });
    }
    if (this.options.heartbeatIntervalMillis > 0) this.heartbeat.start();
    this.stableTimer = setUnrefTimeout(() => {
      this.retries = 0;
    }, this.options.stableAfterMillis);
    this.listeners.emit('open', { resumed: resuming && resetTo === undefined, replayed });
    if (resetTo !== undefined) this.listeners.emit('resync', { lastSeq, seq: resetTo });
    this.pump();
  }

  private onSocketClose(socket: WebSocketLike, event: unknown): void {
    if (socket !== this.socket) return;
    const e = (event ?? {}) as { code?: unknown; reason?: unknown; wasClean?: unknown };
    const code = typeof e.code === 'number' ? e.code : CLOSE_ABNORMAL;
    const reason = typeof e.reason === 'string' ? e.reason : '';
    const clean = e.wasClean === true;
    // Our own closes detach the socket first, so this close came from the
    // server (a close frame) or from the network (1006: nobody sent one).
    const info: CloseInfo = code === CLOSE_ABNORMAL ? { code, reason, clean } : { code, reason, clean, initiator: 'server' };
    this.teardown(info);
    this.afterLoss(code, reason);
  }

  private onSocketError(socket: WebSocketLike, event: unknown): void {
    if (socket !== this.socket) return;
    const error = (event as { error?: unknown; message?: unknown } | undefined)?.error;
    const errorType = error === undefined ? 'WebSocketError' : errorTypeOf(error);
    const message = error === undefined ? undefined : messageOf(error);
    this.handle.error(errorType, message);
    this.listeners.emit('error', message === undefined ? { errorType } : { errorType, message });
  }

  private onConnectTimeout(socket: WebSocketLike): void {
    if (socket !== this.socket || this.currentState === 'open') return;
    this.handle.error('TimeoutError', `no welcome within ${this.options.connectTimeoutMillis} ms`);
    this.dropSocket(CLOSE_CONNECT_TIMEOUT, 'connect timeout', true);
    this.scheduleReconnect('normal');
  }

  private onHeartbeatDead(): void {
    if (this.socket === undefined || this.currentState !== 'open') return;
    this.dropSocket(CLOSE_HEARTBEAT_TIMEOUT, 'heartbeat timeout', true);
    this.scheduleReconnect('normal');
  }

  private onNetworkChange(online: boolean): void {
    if (online) {
      if (this.currentState !== 'offline') return;
      this.retries = 0;
      this.cycleTries = 0;
      this.transition(this.opens > 0 ? 'reconnecting' : 'connecting');
      this.openSocket();
      return;
    }
    if (this.currentState === 'offline' || this.currentState === 'closed') return;
    this.clearRetryTimer();
    if (this.socket !== undefined) this.dropSocket(CLOSE_OFFLINE, 'offline', true);
    this.transition('offline');
  }

  /** Decides what follows a close the client did not start. */
  private afterLoss(code: number, reason: string): void {
    if (code === CLOSE_NORMAL) {
      this.stop('closed_by_server');
      return;
    }
    if (code === CLOSE_POLICY_VIOLATION) {
      this.stop('policy');
      this.handle.gaveUp(this.retries);
      return;
    }
    if (code === CLOSE_SESSION_TAKEN_OVER) {
      // Only another live client with our session id causes this (a
      // connection we gave up on is detached and never sees it).
      this.stop('taken_over');
      this.handle.gaveUp(this.retries);
      return;
    }
    if (code >= 4000 && code <= 4999 && !this.askShouldReconnect(code, reason)) {
      this.stop('rejected');
      this.handle.gaveUp(this.retries);
      return;
    }
    if (code === CLOSE_GOING_AWAY || code === CLOSE_SERVICE_RESTART) {
      // A deliberate restart: come back promptly, with the first (small,
      // jittered) delay, whatever happened before.
      this.retries = 0;
    }
    this.scheduleReconnect(code === CLOSE_TRY_AGAIN_LATER ? 'try_again_later' : 'normal');
  }

  private scheduleReconnect(kind: RetryKind): void {
    if (this.retries >= this.options.maxRetries) {
      const attempts = this.retries;
      this.stop('gave_up');
      this.handle.gaveUp(attempts);
      return;
    }
    this.retries += 1;
    const tryAgainLater = kind === 'try_again_later';
    const { delayMs, jitterMs } = computeBackoff({
      attempt: this.retries,
      baseMillis: this.baseDelayMillis,
      maxDelayMillis: this.options.maxDelayMillis,
      jitterRatio: this.options.jitterRatio,
      multiplier: tryAgainLater ? this.options.tryAgainLaterMultiplier : 1,
      floorMillis: tryAgainLater ? this.options.tryAgainLaterMinDelayMillis : 0,
      random: Math.random,
    });
    this.transition('reconnecting');
    this.handle.reconnectScheduled({ attempt: this.retries, delayMs, jitterMs });
    this.clearRetryTimer();
    this.retryTimer = setUnrefTimeout(() => {
      this.retryTimer = undefined;
      this.safely(() => {
        if (this.currentState === 'reconnecting' && this.socket === undefined) this.openSocket();
      });
    }, delayMs);
  }

  /** Enters `closed` for `reason` (not by the app). */
  private stop(reason: ClosedReason): void {
    this.clearRetryTimer();
    this.closed = reason;
    this.network.stop();
    this.transition('closed');
    if (reason === 'policy') {
      for (const entry of this.queue.drain()) this.drop(entry, 'policy');
      this.reportQueueDepth();
      this.armTtlTimer();
    }
  }

  /** Closes the current socket ourselves (initiator client) and tears it down. */
  private dropSocket(code: number, reason: string, hard: boolean): void {
    const socket = this.socket;
    if (socket === undefined) return;
    detach(socket);
    try {
      socket.close(code, reason);
    } catch {
      // Browsers reject some codes (1001 for instance); close without one.
      try {
        socket.close();
      } catch {
        // Already closed.
      }
    }
    if (hard) {
      try {
        socket.terminate?.();
      } catch {
        // Already gone.
      }
    }
    this.teardown(hard ? { code, reason, clean: false, initiator: 'client' } : { code, reason, initiator: 'client' });
  }

  /** Forgets the current socket: timers stop, in-flight messages go back to the queue. */
  private teardown(info: CloseInfo): void {
    this.socket = undefined;
    this.heartbeat.stop();
    this.clearConnectTimer();
    if (this.stableTimer !== undefined) clearTimeout(this.stableTimer);
    this.stableTimer = undefined;
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.unackedDeliveries = 0;
    this.handle.closed(info);
    this.listeners.emit('close', { code: info.code, reason: info.reason ?? '', wasClean: info.clean === true });
    this.requeueInFlight();
  }

  private transition(to: ConnectionState): void {
    const from = this.currentState;
    if (from === to || !canTransition(from, to)) return;
    this.currentState = to;
    this.handle.stateChanged(from, to);
    this.listeners.emit('state', { from, to });
  }

  // ---- inbound -----------------------------------------------------------

  private onServerMessage(frame: ServerMessageFrame): void {
    const verdict = this.sequencer.accept(frame.seq);
    const info = frame.ch === undefined ? { seq: frame.seq } : { seq: frame.seq, channel: frame.ch };
    switch (verdict.kind) {
      case 'duplicate':
        this.handle.duplicate(frame.id, info);
        this.scheduleAck(true);
        return;
      case 'gap':
        // An ordered transport skipped: the missing messages can only come
        // back through a resume, so reconnect and resume from lastSeq.
        this.handle.gap(verdict.expected, verdict.got);
        this.dropSocket(CLOSE_SEQUENCE_GAP, 'sequence gap', false);
        this.scheduleReconnect('normal');
        return;
      case 'deliver':
        this.handle.received(frame.id, info);
        this.listeners.emit(
          'message',
          frame.ch === undefined
            ? { body: frame.body, seq: frame.seq, id: frame.id }
            : { body: frame.body, seq: frame.seq, id: frame.id, channel: frame.ch },
        );
        this.scheduleAck(false);
        return;
    }
  }

  /** Batches cumulative acks: at once after ACK_BATCH_SIZE deliveries (or a duplicate), else after ackBatchDelayMillis. */
  private scheduleAck(now: boolean): void {
    this.unackedDeliveries += 1;
    if (now || this.unackedDeliveries >= ACK_BATCH_SIZE || this.options.ackBatchDelayMillis === 0) {
      this.flushAck(now);
      return;
    }
    this.ackTimer ??= setUnrefTimeout(() => {
      this.ackTimer = undefined;
      this.safely(() => this.flushAck());
    }, this.options.ackBatchDelayMillis);
  }

  /** Sends the cumulative ack if it moved (or always, when `force`: a duplicate means the server missed one). */
  private flushAck(force = false): void {
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.unackedDeliveries = 0;
    const seq = this.sequencer.lastSeq;
    if (seq === 0 || this.socket === undefined || (!force && seq === this.lastAckedSeq)) return;
    if (this.write(encodeFrame({ t: 'ack', seq }))) this.lastAckedSeq = seq;
  }

  // ---- outbound ----------------------------------------------------------

  private transmit(entry: OutboundEntry, kind: 'send' | 'retry'): void {
    entry.attempt += 1;
    entry.sendsOnConnection += 1;
    if (kind === 'retry') entry.handle.retried(entry.attempt);
    else if (entry.attempt === 1 && !(this.opens > 1 && entry.createdEpoch < this.opens)) entry.handle.sent();
    else entry.handle.replayed();
    this.inFlight.set(entry.id, entry);
    if (entry.ackTimer !== undefined) clearTimeout(entry.ackTimer);
    entry.ackTimer = setUnrefTimeout(() => this.safely(() => this.onAckTimeout(entry)), this.options.ackTimeoutMillis);
    this.write(entry.frame);
  }

  private onAck(id: string): void {
    const entry = this.inFlight.get(id);
    if (entry === undefined) return;
    this.inFlight.delete(id);
    if (entry.ackTimer !== undefined) clearTimeout(entry.ackTimer);
    entry.ackTimer = undefined;
    entry.handle.acked();
    this.listeners.emit('ack', { id });
    this.pump();
  }

  private onAckTimeout(entry: OutboundEntry): void {
    entry.ackTimer = undefined;
    if (this.inFlight.get(entry.id) !== entry || this.currentState !== 'open') return;
    if (entry.sendsOnConnection >= this.options.maxSendAttempts) {
      this.inFlight.delete(entry.id);
      this.drop(entry, 'attempts_exhausted');
      this.pump();
      return;
    }
    this.transmit(entry, 'retry');
  }

  private enqueue(entry: OutboundEntry): void {
    const evicted = this.queue.push(entry);
    if (!evicted.includes(entry)) entry.handle.queued(this.queue.size);
    for (const old of evicted) this.drop(old, 'queue_full');
    this.reportQueueDepth();
    this.armTtlTimer();
  }

  /** Sends queued messages while open and there is room in flight. */
  private pump(): void {
    this.dropExpired();
    while (this.currentState === 'open' && this.inFlight.size < this.options.maxInFlight) {
      const entry = this.queue.shift();
      if (entry === undefined) break;
      entry.sendsOnConnection = 0;
      this.transmit(entry, 'send');
    }
    this.reportQueueDepth();
    this.armTtlTimer();
  }

  private requeueInFlight(): void {
    if (this.inFlight.size === 0) return;
    const entries = [...this.inFlight.values()].sort((a, b) => a.createdAt - b.createdAt);
    this.inFlight.clear();
    for (const entry of entries) {
      if (entry.ackTimer !== undefined) clearTimeout(entry.ackTimer);
      entry.ackTimer = undefined;
    }
    const evicted = this.queue.prepend(entries);
    for (const old of evicted) this.drop(old, 'queue_full');
    this.dropExpired();
    this.reportQueueDepth();
    this.armTtlTimer();
  }

  private dropExpired(): void {
    for (const entry of this.queue.takeExpired(Date.now())) this.drop(entry, 'ttl_expired');
  }

  private armTtlTimer(): void {
    const at = this.queue.nextExpiryAt();
    if (at === this.ttlTimerAt) return;
    if (this.ttlTimer !== undefined) clearTimeout(this.ttlTimer);
    this.ttlTimer = undefined;
    this.ttlTimerAt = at;
    if (at === undefined) return;
    this.ttlTimer = setUnrefTimeout(() => {
      this.ttlTimer = undefined;
      this.ttlTimerAt = undefined;
      this.safely(() => {
        this.dropExpired();
        this.reportQueueDepth();
        this.armTtlTimer();
      });
    }, Math.max(0, at - Date.now()));
  }

  private drop(entry: OutboundEntry, reason: DropReason): void {
    if (entry.ackTimer !== undefined) clearTimeout(entry.ackTimer);
    entry.ackTimer = undefined;
    entry.handle.dropped(reason);
    this.listeners.emit('drop', { id: entry.id, reason });
  }

  private reportQueueDepth(): void {
    const depth = this.queue.size;
    if (depth === this.reportedQueueDepth) return;
    this.reportedQueueDepth = depth;
    this.handle.queueDepth(depth);
  }

  // ---- helpers -----------------------------------------------------------

  /** Writes one frame to the current socket if it is open; false when it could not. */
  private write(text: string): boolean {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== READY_STATE_OPEN) return false;
    try {
      socket.send(text);
      return true;
    } catch {
      return false;
    }
  }

  private askShouldReconnect(code: number, reason: string): boolean {
    try {
      return this.options.shouldReconnect(code, reason) !== false;
    } catch {
      return true;
    }
  }

  private clearRetryTimer(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  /** Runs `fn`, swallowing any error: the client never throws into the host app. */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch {
      // A bug here must not take the app down; the state machine stays consistent
      // because every step checks the current state before acting.
    }
  }
}

function noop(): void {}

/** Makes a socket inert: later events are ignored (an error handler stays, so `ws` never throws an unhandled 'error'). */
function detach(socket: WebSocketLike): void {
  socket.onopen = noop;
  socket.onmessage = noop;
  socket.onclose = noop;
  socket.onerror = noop;
}

function createHandle(options: ResolvedResilientWebSocketOptions, sessionId: string): ConnectionHandle {
  if (options.tracker === undefined) return createNoopConnectionHandle();
  try {
    return options.tracker.connection({ serverAddress: options.serverAddress, sessionId });
  } catch {
    return createNoopConnectionHandle();
  }
}

function readTrackerSessionId(tracker: ResolvedResilientWebSocketOptions['tracker']): string | undefined {
  try {
    const id = tracker?.sessionId;
    return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
  } catch {
    return undefined;
  }
}

function errorTypeOf(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown } | undefined;
  if (typeof e?.code === 'string' && e.code.length > 0) return e.code;
  if (typeof e?.name === 'string' && e.name.length > 0) return e.name;
  return 'Error';
}

function messageOf(error: unknown): string | undefined {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : undefined;
}
