import type { ConnectionState } from '@tunnelvision/semconv';
import {
  CLOSE_ABNORMAL,
  CLOSE_CONNECT_TIMEOUT,
  CLOSE_HEARTBEAT_TIMEOUT,
  CLOSE_NORMAL,
  CLOSE_OFFLINE,
  CLOSE_SEQUENCE_GAP,
} from '../protocol/close-codes.js';
import { encodeFrame, type ServerFrame } from '../protocol/frames.js';
import { describeConnectionFailure } from '../shared/connection-failure.js';
import { describeError, type ErrorDescription } from '../shared/error-type.js';
import { serverOfUrl, withHandshakeIds } from '../instrumentation/handshake-ids.js';
import { randomId } from '../shared/random-id.js';
import { TypedListeners } from '../shared/typed-listeners.js';
import { unrefTimeout, type TimerHandle } from '../shared/unref-timers.js';
import { connectionHandleOf } from '../tracker/noop-handles.js';
import type { CloseInfo, ConnectionHandle, Tracker } from '../tracker/tracker-types.js';
import { canTransition, type ClosedReason } from './client-state.js';
import { ClientSocket } from './client-socket.js';
import { decideAfterClose, type RetryKind } from './close-decision.js';
import { Heartbeat } from './heartbeat.js';
import { InboundDelivery } from './inbound-delivery.js';
import { NetworkStatus } from './network-status.js';
import { OutboundDelivery } from './outbound-delivery.js';
import { ReconnectSchedule } from './reconnect-schedule.js';
import type { ResilientSendOptions, ResilientWebSocketEventMap } from './resilient-web-socket-events.js';
import {
  resolveResilientWebSocketOptions,
  type ResilientWebSocketOptions,
  type ResolvedResilientWebSocketOptions,
} from './resilient-web-socket-options.js';

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
 * This class owns the connection's lifecycle; message delivery each way
 * (`OutboundDelivery`, `InboundDelivery`), the reconnect timing
 * (`ReconnectSchedule`) and what a close code means (`decideAfterClose`)
 * live beside it.
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
  /** The last error of the current attempt, for a close before it opened (tv.connection.failure). */
  private attemptError: ErrorDescription | undefined;
  /** Whether the current attempt got its welcome. */
  private attemptOpened = false;
  private readonly listeners = new TypedListeners<ResilientWebSocketEventMap>();
  private readonly schedule: ReconnectSchedule;
  private readonly inbound: InboundDelivery;
  private readonly outbound: OutboundDelivery;
  private readonly network = new NetworkStatus();
  private readonly heartbeat: Heartbeat;

  private currentState: ConnectionState = 'connecting';
  private closed: ClosedReason | undefined;
  private readonly socket: ClientSocket;
  /** Attempts in the current connect cycle (since the last open, or since the app or the network restarted it). */
  private cycleTries = 0;
  /** Successful opens so far; a message created in an earlier epoch waited for a connection. */
  private opens = 0;
  private connectTimer: TimerHandle | undefined;

  /**
   * Creates the client and starts connecting to `url` (ws:// or wss://).
   * Throws a RangeError for an invalid option value and a TypeError when
   * no WebSocket class is available; never throws afterwards.
   */
  constructor(url: string, options: ResilientWebSocketOptions = {}) {
    this.options = resolveResilientWebSocketOptions(url, options);
    this.url = url;
    this.sessionId = this.options.sessionId ?? readTrackerSessionId(this.options.tracker) ?? randomId();
    this.handle = connectionHandleOf(this.options.tracker, {
      serverAddress: this.options.serverAddress,
      ...(options.serverAddress === undefined ? { serverPort: serverOfUrl(url).serverPort } : {}),
      sessionId: this.sessionId,
      // Its delivery reports every message's fate itself (requeue, replay, drop).
      trackAtRisk: false,
      initialState: 'connecting',
    });
    this.schedule = new ReconnectSchedule(this.options);
    const attemptUrl = () =>
      this.options.handshakeIds ? withHandshakeIds(this.url, { sessionId: this.sessionId, connectionId: this.handle.connectionId }) : this.url;
    this.socket = new ClientSocket(() => new this.options.WebSocket(attemptUrl(), this.options.protocols), {
      open: () => this.safely(() => this.inbound.hello(this.sessionId)),
      frame: (frame) => this.safely(() => this.onFrame(frame)),
      error: (errorType, message) => this.safely(() => this.onSocketError(errorType, message)),
      close: (code, reason, clean) => this.safely(() => this.onSocketClose(code, reason, clean)),
    });
    this.inbound = new InboundDelivery(this.options.ackBatchDelayMillis, this.handle, {
      write: (frame) => this.socket.write(frame),
      deliver: (message) => this.listeners.emit('message', message),
      gap: () => {
        // An ordered transport skipped: the missing messages can only come
        // back through a resume, so reconnect and resume from lastSeq.
        this.dropSocket(CLOSE_SEQUENCE_GAP, 'sequence gap', false);
        this.scheduleReconnect('normal');
      },
    });
    this.outbound = new OutboundDelivery(this.options, this.handle, {
      isOpen: () => this.currentState === 'open',
      opens: () => this.opens,
      write: (frame) => this.socket.write(frame),
      acked: (id) => this.listeners.emit('ack', { id }),
      dropped: (id, reason) => this.listeners.emit('drop', { id, reason }),
    });
    this.heartbeat = new Heartbeat(
      {
        intervalMillis: this.options.heartbeatIntervalMillis,
        pongTimeoutMillis: this.options.pongTimeoutMillis,
        maxMissedPongs: this.options.maxMissedPongs,
      },
      {
        sendPing: (n) => this.socket.write(encodeFrame({ t: 'ping', n })),
        onRoundTrip: (rttMs) => this.handle.heartbeat(rttMs),
        onMissed: (missed) => this.handle.heartbeatMissed(missed),
        onDead: (missed) => this.safely(() => this.onHeartbeatDead(missed)),
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
    return this.schedule.retryCount;
  }

  /** Messages waiting for a connection (or for room in flight); excludes messages awaiting their ack. */
  get queueSize(): number {
    return this.outbound.queueSize;
  }

  /** Messages sent and awaiting their ack. */
  get inFlightCount(): number {
    return this.outbound.inFlightCount;
  }

  /** Last server sequence number delivered to the app (0 = none). */
  get lastSeq(): number {
    return this.inbound.lastSeq;
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
    this.safely(() => this.outbound.send(id, body, typeof options.channel === 'string' ? options.channel : undefined));
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
      this.inbound.flushAck();
      this.schedule.cancel();
      this.closed = 'closed_by_app';
      this.dropSocket(code, reason, false);
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
      this.schedule.cancel();
      this.dropSocket(CLOSE_NORMAL, 'client reconnect', false);
      this.closed = undefined;
      this.schedule.reset();
      this.cycleTries = 0;
      this.network.start((online) => this.safely(() => this.onNetworkChange(online)));
      this.transition(this.opens > 0 ? 'reconnecting' : 'connecting');
      this.openSocket();
    });
  }

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
    this.attemptError = undefined;
    this.attemptOpened = false;
    try {
      this.socket.open();
    } catch (error) {
      const described = describeError(error);
      this.handle.error(described.errorType, described.message);
      this.handle.closed({ ...describeConnectionFailure(described), code: CLOSE_ABNORMAL, clean: false });
      this.afterLoss(CLOSE_ABNORMAL, '');
      return;
    }
    this.connectTimer = unrefTimeout(() => this.onConnectTimeout(), this.options.connectTimeoutMillis);
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.t) {
      case 'welcome':
        this.onSessionReady(frame.replay, undefined);
        return;
      case 'resume-failed':
        this.onSessionReady(0, frame.seq);
        return;
      case 'msg':
        this.inbound.receive(frame);
        return;
      case 'ack':
        this.outbound.ack(frame.id);
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
    const lastSeq = this.inbound.lastSeq;
    this.opens += 1;
    this.cycleTries = 0;
    this.transition('open');
    this.attemptOpened = true;
    this.handle.opened();
    if (resetTo === undefined) {
      if (resuming) this.handle.resumed({ lastSeq, replayed, ok: true });
    } else {
      this.inbound.resetTo(resetTo);
      this.handle.resumed({ lastSeq, replayed: 0, ok: false });
    }
    if (this.options.heartbeatIntervalMillis > 0) this.heartbeat.start();
    this.schedule.opened();
    this.listeners.emit('open', { resumed: resuming && resetTo === undefined, replayed });
    if (resetTo !== undefined) this.listeners.emit('resync', { lastSeq, seq: resetTo });
    this.outbound.pump();
  }

  private onSocketClose(code: number, reason: string, clean: boolean): void {
    // Our own closes silence the socket first, so this close came from the
    // server (a close frame) or from the network (1006: nobody sent one).
    this.teardown(code === CLOSE_ABNORMAL ? { code, reason, clean } : { code, reason, clean, initiator: 'server' });
    this.afterLoss(code, reason);
  }

  private onSocketError(errorType: string, message: string | undefined): void {
    this.attemptError = { errorType, message };
    this.handle.error(errorType, message);
    this.listeners.emit('error', message === undefined ? { errorType } : { errorType, message });
  }

  /** Fires only while a socket is held: the timer goes with it. */
  private onConnectTimeout(): void {
    if (this.currentState === 'open') return;
    this.attemptError = { errorType: 'TimeoutError', message: undefined };
    this.handle.error('TimeoutError', `no welcome within ${this.options.connectTimeoutMillis} ms`);
    this.dropSocket(CLOSE_CONNECT_TIMEOUT, 'connect timeout', true);
    this.scheduleReconnect('normal');
  }

  /** `missed` pongs in a row went unanswered: a zombie (half-open) connection, marked as such on its conn.close. */
  private onHeartbeatDead(missed: number): void {
    if (!this.socket.held || this.currentState !== 'open') return;
    this.dropSocket(CLOSE_HEARTBEAT_TIMEOUT, 'heartbeat timeout', true, missed);
    this.scheduleReconnect('normal');
  }

  private onNetworkChange(online: boolean): void {
    if (online) {
      if (this.currentState !== 'offline') return;
      this.schedule.reset();
      this.cycleTries = 0;
      this.transition(this.opens > 0 ? 'reconnecting' : 'connecting');
      this.openSocket();
      return;
    }
    if (this.currentState === 'offline' || this.currentState === 'closed') return;
    this.schedule.cancel();
    this.dropSocket(CLOSE_OFFLINE, 'offline', true);
    this.transition('offline');
  }

  /** Acts on a close the client did not start, as its code decides. */
  private afterLoss(code: number, reason: string): void {
    const decision = decideAfterClose(code, () => this.askShouldReconnect(code, reason));
    if (decision.action === 'stop') {
      this.stop(decision.reason);
      if (decision.gaveUp) this.handle.gaveUp(this.schedule.retryCount);
      return;
    }
    if (decision.resetRetries) this.schedule.reset();
    this.scheduleReconnect(decision.retry);
  }

  private scheduleReconnect(kind: RetryKind): void {
    const retry = this.schedule.next(kind);
    if (retry === undefined) {
      const attempts = this.schedule.retryCount;
      this.stop('gave_up');
      this.handle.gaveUp(attempts);
      return;
    }
    this.transition('reconnecting');
    this.handle.reconnectScheduled({ attempt: retry.attempt, delayMs: retry.delayMs, jitterMs: retry.jitterMs });
    this.schedule.wait(retry.delayMs, () => {
      if (this.currentState === 'reconnecting' && !this.socket.held) this.openSocket();
    });
  }

  /** Enters `closed` for `reason` (not by the app). */
  private stop(reason: ClosedReason): void {
    this.schedule.cancel();
    this.closed = reason;
    this.network.stop();
    this.transition('closed');
    if (reason === 'policy') this.outbound.dropQueued('policy');
  }

  /** Closes the current socket, if any, ourselves (initiator client) and tears it down; `heartbeatMissed` when heartbeats killed it. */
  private dropSocket(code: number, reason: string, hard: boolean, heartbeatMissed?: number): void {
    if (!this.socket.release(code, reason, hard)) return;
    const info: CloseInfo = hard ? { code, reason, clean: false, initiator: 'client' } : { code, reason, initiator: 'client' };
    this.teardown(heartbeatMissed === undefined ? info : { ...info, heartbeatMissed });
  }

  /** After the socket is gone: timers stop, in-flight messages go back to the queue. */
  private teardown(info: CloseInfo): void {
    this.heartbeat.stop();
    this.clearConnectTimer();
    this.schedule.lost();
    this.inbound.forgetBatch();
    // An attempt that never opened reports why; a close frame from the server (1013, 1008, ...) means it refused the session.
    const failure = info.initiator === 'server' ? { failure: 'rejected' as const } : describeConnectionFailure(this.attemptError);
    this.handle.closed(this.attemptOpened ? info : { ...failure, ...info });
    this.listeners.emit('close', { code: info.code, reason: info.reason ?? '', wasClean: info.clean === true });
    this.outbound.requeueInFlight();
  }

  private transition(to: ConnectionState): void {
    const from = this.currentState;
    if (from === to || !canTransition(from, to)) return;
    this.currentState = to;
    this.handle.stateChanged(from, to);
    this.listeners.emit('state', { from, to });
  }

  private askShouldReconnect(code: number, reason: string): boolean {
    try {
      return this.options.shouldReconnect(code, reason) !== false;
    } catch {
      return true;
    }
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

function readTrackerSessionId(tracker: Tracker | undefined): string | undefined {
  try {
    const id = tracker?.sessionId;
    return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : undefined;
  } catch {
    return undefined;
  }
}
