import {
  ATTR_CLOSE_CLEAN,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_INITIATOR,
  ATTR_CLOSE_REASON,
  ATTR_CONNECTION_ATTEMPT,
  ATTR_CONNECTION_DOWNTIME_MS,
  ATTR_CONNECTION_DURATION_MS,
  ATTR_CONNECTION_FAILURE,
  ATTR_CONNECTION_ID,
  ATTR_EVENT_SEQ,
  ATTR_ERROR_TYPE,
  ATTR_HEARTBEAT_MISSED,
  ATTR_HEARTBEAT_RTT_MS,
  ATTR_MESSAGE_EXPECTED_SEQ,
  ATTR_MESSAGE_GOT_SEQ,
  ATTR_RECONNECT_ATTEMPT,
  ATTR_RECONNECT_DELAY_MS,
  ATTR_RECONNECT_JITTER_MS,
  ATTR_RESUME_LAST_SEQ,
  ATTR_RESUME_OUTCOME,
  ATTR_RESUME_REPLAYED,
  ATTR_ROLE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SESSION_ID,
  ATTR_STATE_FROM,
  ATTR_STATE_TO,
  ATTR_USER_ID,
  ATTR_USER_ID_HASHED,
  ABNORMAL_CLOSE_CODES,
  CONNECTION_STATES,
  EVENT_CONN_CLOSE,
  EVENT_CONN_ERROR,
  EVENT_CONN_HEARTBEAT_MISSED,
  EVENT_CONN_OPEN,
  EVENT_CONN_OPENING,
  EVENT_CONN_RECONNECT_GAVE_UP,
  EVENT_CONN_RECONNECT_SCHEDULED,
  EVENT_CONN_STATE,
  EVENT_MSG_DUPLICATE,
  EVENT_MSG_GAP,
  EVENT_MSG_RECEIVED,
  EVENT_SESSION_RESUME,
  type ConnectionState,
  type EventName,
} from '@tunnelvision/semconv';
import { assignDefined, durationMillis, finiteValue, intValue } from './attribute-values.js';
import type { EventAttributes, EventSeverity, OptionalAttributes } from './event-logger.js';
import { addMessageAttributes } from './message-attributes.js';
import type { MessageEvent } from './message-event.js';
import type { MessageOwner } from './message-owner.js';
import { MessageTracker } from './message-tracker.js';
import type { MetricIdentity } from './metric-identity.js';
import { noopMessageHandle } from './noop-handles.js';
import { setBounded } from '../shared/bounded-map.js';
import { randomId } from '../shared/random-id.js';
import type { TrackerContext } from './tracker-context.js';
import { WARNINGS } from './tracker-warnings.js';
import type { CloseInfo, ConnectionHandle, ConnectionOptions, MessageHandle, MessageInfo, ReconnectInfo, ResumeInfo } from './tracker-types.js';

/** Unfinished messages kept per connection; beyond it the oldest is forgotten. */
export const MAX_IN_FLIGHT_MESSAGES = 10_000;
/** Characters of a tv.connection.id: 72 random bits, short enough to read out on a support call. */
const CONNECTION_ID_LENGTH = 12;

/** Where the current physical connection is. */
type PhysicalState = 'idle' | 'opening' | 'open' | 'closed';

/**
 * One logical connection: a client object that may reconnect many times,
 * or one server-side socket. Each opening() starts a physical connection
 * with a fresh id; the outage between an open connection closing and the
 * next opening is carried across them, which is what makes an open a
 * reconnect. Every public method swallows its failures.
 */
export class ConnectionTracker implements ConnectionHandle, MessageOwner {
  #id = '';
  #state: PhysicalState = 'idle';
  /** Attempts since the last successful open. */
  #attempt = 0;
  #openedAt = 0;
  /** The close that ended the last open connection, until an open ends the outage. */
  #drop: { at: number; code: number } | undefined;
  #lastRttMs: number | undefined;
  #queueDepthNow: number | undefined;
  #disposed = false;
  /**
   * The state tv.connection.state counts this connection in: the last
   * stateChanged() target, unless `closed`. Undefined until the first move,
   * so a socket whose app never reports its state machine counts nowhere.
   */
  #countedState: ConnectionState | undefined;
  /** options.userId as emitted, once known. */
  #ownUserId: string | undefined;
  /** tv.event.seq of the last event emitted. */
  #seq = 0;
  /** error.type of the last error() of the current attempt, for a close before it opened. */
  #attemptError: string | undefined;
  /** options.connectionId until the first physical connection takes it. */
  #adoptedId: string | undefined;
  /**
   * Unfinished messages by id, so that message(id) returns the same journey
   * on every call (an ack matcher finds it by id, a retry after a reconnect
   * keeps the first send time). Bounded, so a host that never acks cannot
   * grow memory without limit; a forgotten journey still works through a
   * handle the host holds, it just cannot be found by id.
   */
  readonly #messages = new Map<string, MessageTracker>();
  /**
   * The newest unfinished journey, kept out of `#messages` until another
   * one starts: a message acked before the next is sent (request and
   * response) then never touches the map, whose delete of its last entry
   * reallocates its table.
   */
  #newest: MessageTracker | undefined;
  /** Feature flags and the app's attributes, first on every event; undefined while there are none. */
  #baseAttributes: EventAttributes | undefined;
  /** Identity attributes that never change (options are a private copy). */
  readonly #sessionId: string;
  readonly #serverAddress: string | undefined;
  readonly #serverPort: number | undefined;
  /** Metric attributes of this connection (low cardinality only). */
  readonly metricIdentity: MetricIdentity;

  readonly #options: ConnectionOptions;

  constructor(
    /** The tracker's shared parts. */
    readonly context: TrackerContext,
    options: ConnectionOptions,
  ) {
    this.#options = options;
    this.#addAttributes(context.featureFlags);
    this.#addAttributes(options.attributes);
    this.#sessionId = options.sessionId ?? context.sessionId;
    const serverAddress = typeof options.serverAddress === 'string' ? options.serverAddress : undefined;
    this.#serverAddress = serverAddress;
    this.#serverPort = intValue(options.serverPort);
    this.#adoptedId = typeof options.connectionId === 'string' && options.connectionId !== '' ? options.connectionId : undefined;
    this.metricIdentity = {
      key: `${context.role}\u0000${serverAddress ?? ''}`,
      // The flags are the tracker's, as are the instruments' series: the key need not name them.
      // Object.assign rather than a spread: V8 makes a spread copy that then gains properties a slow object.
      attributes: assignDefined(Object.assign({}, context.featureFlags), { [ATTR_SERVER_ADDRESS]: serverAddress, [ATTR_ROLE]: context.role }),
    };
    if (options.initialState) this.#countState(countable(options.initialState));
    // Start hashing now so the first events can already carry the hashed id.
    if (typeof options.userId === 'string') this.#ownUserId = context.emittedUserId(options.userId);
  }

  /** Where integrations given this handle warn (warningsOf). */
  get [WARNINGS]() {
    return this.context.warn;
  }

  /** Current physical connection id (tv.connection.id); '' before the first opening(). */
  get connectionId(): string {
    return this.#id;
  }

  /** Last depth reported through queueDepth(). */
  get lastQueueDepth(): number | undefined {
    return this.#queueDepthNow;
  }

  /**
   * A connection attempt starts (conn.opening); returns the new connection id
   * (`connectionId` when given: a server adopting the client's, else random).
   * `attempt` defaults to attempts since the last open, plus one.
   */
  opening(attempt?: number, connectionId?: string): string {
    this.#live('opening', () => {
      if (typeof connectionId === 'string' && connectionId) this.#adoptedId = connectionId;
      // An opening() with no closed() in between: stop counting the old one as active.
      if (this.#state === 'open') this.context.instruments.connectionClosed(this.metricIdentity);
      this.#attempt = intValue(attempt) ?? this.#attempt + 1;
      this.#newId();
      this.#attemptError = undefined;
      this.#state = 'opening';
      this.#emit(EVENT_CONN_OPENING, 'info', { [ATTR_CONNECTION_ATTEMPT]: this.#attempt });
    });
    return this.#id;
  }

  /**
   * The socket is open (conn.open with tv.connection.attempt). After an
   * open connection of this handle closed, it carries
   * tv.connection.downtime_ms (time since that close) and counts as a
   * reconnect; the first open never does. Ignored while already open.
   */
  opened(): void {
    this.#live('opened', () => {
      if (this.#state === 'open') return;
      if (this.#state !== 'opening') {
        // opened() without opening(): still a new physical connection.
        this.#attempt += 1;
        this.#newId();
      }
      const now = this.context.now();
      let downtime: number | undefined;
      if (this.#drop) {
        downtime = durationMillis(this.#drop.at, now);
        this.context.instruments.reconnected(this.metricIdentity, this.#drop.code, downtime);
        this.#drop = undefined;
      }
      const attributes = { [ATTR_CONNECTION_ATTEMPT]: this.#attempt, [ATTR_CONNECTION_DOWNTIME_MS]: downtime };
      this.#state = 'open';
      this.#openedAt = now;
      this.#attempt = 0;
      this.context.instruments.connectionOpened(this.metricIdentity);
      this.#emit(EVENT_CONN_OPEN, 'info', attributes, now);
    });
  }

  /**
   * The socket closed (conn.close): WARN for an abnormal close code, with the duration
   * when it had opened, else with tv.connection.failure and error.type (an
   * attempt that never opened). Closing an open connection starts an outage that
   * the next opened() ends. A second close of the same connection is ignored.
   * Messages sent on it and not acked become at risk (TrackerOptions.atRiskTimeoutMillis).
   */
  closed(info: CloseInfo): void {
    this.#live('closed', () => {
      if (this.#state === 'closed') return;
      if (this.#state === 'idle') this.#newId();
      const now = this.context.now();
      const code = intValue(info.code) ?? 1005;
      const wasOpen = this.#state === 'open';
      if (wasOpen) {
        this.context.instruments.connectionClosed(this.metricIdentity);
        this.#drop = { at: now, code };
      }
      this.#state = 'closed';
      const initiator = info.initiator === 'client' || info.initiator === 'server' ? info.initiator : undefined;
      this.#emit(
        EVENT_CONN_CLOSE,
        ABNORMAL_CLOSE_CODES.includes(code) ? 'warn' : 'info',
        {
          [ATTR_CLOSE_CODE]: code,
          [ATTR_CLOSE_REASON]: (typeof info.reason === 'string' && info.reason) || undefined,
          [ATTR_CLOSE_CLEAN]: typeof info.clean === 'boolean' ? info.clean : undefined,
          [ATTR_CLOSE_INITIATOR]: initiator,
          [ATTR_CONNECTION_DURATION_MS]: wasOpen ? durationMillis(this.#openedAt, now) : undefined,
          [ATTR_CONNECTION_FAILURE]: wasOpen ? undefined : (info.failure ?? 'unknown'),
          [ATTR_ERROR_TYPE]: wasOpen ? undefined : (info.errorType ?? this.#attemptError),
          [ATTR_HEARTBEAT_RTT_MS]: this.#lastRttMs,
          [ATTR_HEARTBEAT_MISSED]: intValue(info.heartbeatMissed),
        },
        now,
      );
      if (this.#options.trackAtRisk === false) return;
      this.#keep(undefined);
      for (const [id, message] of this.#messages) {
        if (!message.inFlight) continue;
        this.#messages.delete(id);
        this.context.atRisk.add(this.#riskKey(id), message);
      }
    });
  }

  #newId(): void {
    this.#id = this.#adoptedId ?? randomId(CONNECTION_ID_LENGTH);
    this.#adoptedId = undefined;
  }

  #riskKey(messageId: string): string {
    return `${this.#sessionId}\u0000${messageId}`;
  }

  /** A transport error (conn.error, ERROR): `errorType` is a short class like ECONNREFUSED; `message` goes in the body. */
  error(errorType: string, message?: string): void {
    this.#live('error', () => {
      const attributes = {
        [ATTR_ERROR_TYPE]: String(errorType),
        [ATTR_CONNECTION_ATTEMPT]: this.#state === 'opening' && this.#attempt > 0 ? this.#attempt : undefined,
      };
      if (this.#state === 'opening') this.#attemptError = attributes[ATTR_ERROR_TYPE];
      this.#emit(EVENT_CONN_ERROR, 'error', attributes, this.context.now(), typeof message === 'string' ? message : undefined);
    });
  }

  /**
   * The client's state machine moved (conn.state), and tv.connection.state
   * with it. The state left is the one this handle counted (initialState or
   * the last move), not `from`: a wrong `from` must not drive a series
   * negative.
   */
  stateChanged(from: ConnectionState, to: ConnectionState): void {
    this.#live('stateChanged', () => {
      this.#emit(EVENT_CONN_STATE, 'info', { [ATTR_STATE_FROM]: String(from), [ATTR_STATE_TO]: String(to) });
      this.#countState(countable(to));
    });
  }

  /** Moves this connection's tv.connection.state count to `state` (undefined: out of every state). */
  #countState(state: ConnectionState | undefined): void {
    if (this.#countedState) this.context.instruments.connectionState(this.metricIdentity, this.#countedState, -1);
    this.#countedState = state;
    if (state) this.context.instruments.connectionState(this.metricIdentity, state, 1);
  }

  /** A reconnect was scheduled (conn.reconnect.scheduled with attempt, delay and jitter). */
  reconnectScheduled(info: ReconnectInfo): void {
    this.#live('reconnectScheduled', () =>
      this.#emit(EVENT_CONN_RECONNECT_SCHEDULED, 'info', {
        [ATTR_RECONNECT_ATTEMPT]: intValue(info.attempt) ?? 0,
        [ATTR_RECONNECT_DELAY_MS]: finiteValue(info.delayMs),
        [ATTR_RECONNECT_JITTER_MS]: finiteValue(info.jitterMs),
      }),
    );
  }

  /** The client stopped retrying after `attempts` attempts (conn.reconnect.gave_up, WARN). */
  gaveUp(attempts: number): void {
    this.#live('gaveUp', () => this.#emit(EVENT_CONN_RECONNECT_GAVE_UP, 'warn', { [ATTR_RECONNECT_ATTEMPT]: intValue(attempts) ?? 0 }));
  }

  /** A heartbeat round trip completed: tv.heartbeat.rtt histogram, and tv.heartbeat.rtt_ms on later conn.close / heartbeat events. */
  heartbeat(rttMs: number): void {
    this.#live('heartbeat', () => {
      const rtt = finiteValue(rttMs);
      if (rtt === undefined || rtt < 0) return;
      this.#lastRttMs = rtt;
      this.context.instruments.heartbeatRtt(this.metricIdentity, rtt);
    });
  }

  /** Heartbeats went unanswered (conn.heartbeat.missed, WARN, with the consecutive count). */
  heartbeatMissed(missed: number): void {
    this.#live('heartbeatMissed', () =>
      this.#emit(EVENT_CONN_HEARTBEAT_MISSED, 'warn', { [ATTR_HEARTBEAT_MISSED]: intValue(missed) ?? 1, [ATTR_HEARTBEAT_RTT_MS]: this.#lastRttMs }),
    );
  }

  /** A resume finished (session.resume; WARN when it failed). */
  resumed(info: ResumeInfo): void {
    this.#live('resumed', () =>
      this.#emit(EVENT_SESSION_RESUME, info.ok ? 'info' : 'warn', {
        [ATTR_RESUME_OUTCOME]: info.ok ? 'ok' : 'failed',
        [ATTR_RESUME_LAST_SEQ]: intValue(info.lastSeq),
        [ATTR_RESUME_REPLAYED]: intValue(info.replayed),
      }),
    );
  }

  /** Outbound queue depth now (tv.queue.depth gauge, summed over the tracker's connections). */
  queueDepth(depth: number): void {
    this.#live('queueDepth', () => {
      const value = intValue(depth);
      if (value === undefined) return;
      this.#queueDepthNow = value;
      this.context.instruments.queueDepth(this, this.metricIdentity, value);
    });
  }

  /**
   * A message this side sends, tracked from first send to ack or drop. The
   * same unfinished id returns the same journey (so a retry or an ack
   * matcher finds it), also one at risk after an earlier connection of the
   * session ended; `info` of a later call is then ignored.
   */
  message(messageId: string, info?: MessageInfo): MessageHandle {
    // try/catch rather than guarded(): no fallback object on this hot path unless it fails.
    try {
      const id = String(messageId);
      if (this.#disposed) return noopMessageHandle(id);
      const kept = this.#newest?.messageId === id ? this.#newest : this.#messages.get(id);
      if (kept) return kept;
      const atRisk = this.#options.trackAtRisk === false || this.context.atRisk.empty ? undefined : this.context.atRisk.take(this.#riskKey(id));
      atRisk?.adopt(this);
      const message = atRisk ?? new MessageTracker(this, id, { ...info }, this.context.sampler.keeps(id));
      this.#keep(message);
      return message;
    } catch (error) {
      this.context.report('ConnectionHandle.message', error);
      return noopMessageHandle(typeof messageId === 'string' ? messageId : '');
    }
  }

  /** A message arrived from the peer (msg.received; sampled by id like sent messages). */
  received(messageId: string, info?: MessageInfo): void {
    this.#live('received', () => {
      const id = String(messageId);
      if (this.context.sampler.keeps(id)) this.emitEvent(id, { ...info }, { eventName: EVENT_MSG_RECEIVED, at: this.context.now(), size: intValue(info?.size) });
    });
  }

  /** A message arrived twice and was suppressed (msg.duplicate; never sampled out). */
  duplicate(messageId: string, info?: MessageInfo): void {
    this.#live('duplicate', () => this.emitEvent(String(messageId), { ...info }, { eventName: EVENT_MSG_DUPLICATE, at: this.context.now() }));
  }

  /** A sequence gap was seen (msg.gap, WARN; never sampled out). */
  gap(expectedSeq: number, gotSeq: number): void {
    this.#live('gap', () =>
      this.#emit(EVENT_MSG_GAP, 'warn', { [ATTR_MESSAGE_EXPECTED_SEQ]: intValue(expectedSeq), [ATTR_MESSAGE_GOT_SEQ]: intValue(gotSeq) }),
    );
  }

  /**
   * Stops tracking without an event: an open connection stops counting as
   * active, the connection leaves its tv.connection.state, its queue depth
   * is withdrawn and unfinished messages are forgotten. Every later call is
   * a no-op.
   */
  dispose(): void {
    this.#live('dispose', () => {
      this.#disposed = true;
      if (this.#state === 'open') this.context.instruments.connectionClosed(this.metricIdentity);
      this.#countState(undefined);
      if (this.#queueDepthNow !== undefined) this.context.instruments.queueDepth(this, this.metricIdentity, undefined);
      this.#newest = undefined;
      this.#messages.clear();
    });
  }

  /**
   * A fresh object with the identity attributes for `connectionId` and the
   * next tv.event.seq, leaving out unknown values. Set one by one rather
   * than copied from a cached object: V8 sets these in far less time than
   * Object.assign copies them.
   */
  #eventAttributes(connectionId: string): EventAttributes {
    const attributes: EventAttributes = this.#baseAttributes ? Object.assign({}, this.#baseAttributes) : {};
    attributes[ATTR_SESSION_ID] = this.#sessionId;
    const userId = this.#userId();
    if (userId !== undefined) attributes[ATTR_USER_ID] = userId;
    if (userId && this.context.userIdHashed) attributes[ATTR_USER_ID_HASHED] = true;
    if (connectionId) attributes[ATTR_CONNECTION_ID] = connectionId;
    if (this.#serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = this.#serverAddress;
    if (this.#serverPort !== undefined) attributes[ATTR_SERVER_PORT] = this.#serverPort;
    attributes[ATTR_ROLE] = this.context.role;
    attributes[ATTR_EVENT_SEQ] = ++this.#seq;
    return attributes;
  }

  /** The connection's own user id (hashed when configured), else the tracker's. */
  #userId(): string | undefined {
    if (typeof this.#options.userId !== 'string') return this.context.trackerUserId();
    this.#ownUserId ??= this.context.emittedUserId(this.#options.userId);
    return this.#ownUserId;
  }

  /** Attributes for later events. */
  setAttributes(attributes: Record<string, string | number | boolean>): void {
    this.#live('setAttributes', () => this.#addAttributes(attributes));
  }

  /** Adds to baseAttributes what OTLP attributes can carry here, copied so later changes by the app do not leak in. */
  #addAttributes(attributes: ConnectionOptions['attributes']): void {
    for (const [key, value] of Object.entries(attributes ?? {})) {
      if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
        (this.#baseAttributes ??= {})[key] = value;
      }
    }
  }

  /** Makes `message` the newest journey, moving the one before into `#messages` (bounded). */
  #keep(message: MessageTracker | undefined): void {
    const before = this.#newest;
    if (before) setBounded(this.#messages, before.messageId, before, MAX_IN_FLIGHT_MESSAGES - 1);
    this.#newest = message;
  }

  /** A journey ended: forget it (MessageOwner). */
  messageFinished(messageId: string, message: object): void {
    // Only if it is still the journey kept under its id.
    if (this.#newest === message) this.#newest = undefined;
    else if (this.#messages.get(messageId) === message) this.#messages.delete(messageId);
  }

  /** Emits an event about message `messageId`, on the current connection when it names none, once a pending user id digest allows (MessageOwner). */
  emitEvent(messageId: string, info: MessageInfo | undefined, event: MessageEvent): void {
    const { context } = this;
    const connectionId = event.connectionId || this.#id;
    // No closure unless the event must wait for a user id's digest: this runs for every event.
    if (context.holding()) context.defer(() => this.#emitMessageEvent(messageId, info, event, connectionId));
    else this.#emitMessageEvent(messageId, info, event, connectionId);
  }

  #emitMessageEvent(messageId: string, info: MessageInfo | undefined, event: MessageEvent, connectionId: string): void {
    const attributes = this.#eventAttributes(connectionId);
    addMessageAttributes(attributes, messageId, info, event);
    // msg.dropped, the one event with a drop reason, is the one WARN among them.
    this.context.events.emit(event.eventName, event.dropReason ? 'warn' : 'info', attributes, event.at);
  }

  /** Emits an event of the current connection with `extra`'s defined values, once a pending user id digest allows. */
  #emit(eventName: EventName, severity: EventSeverity, extra: OptionalAttributes, timestampMillis = this.context.now(), body?: string): void {
    const { context } = this;
    const connectionId = this.#id;
    if (context.holding()) context.defer(() => this.#emitNow(eventName, severity, extra, timestampMillis, connectionId, body));
    else this.#emitNow(eventName, severity, extra, timestampMillis, connectionId, body);
  }

  #emitNow(eventName: EventName, severity: EventSeverity, extra: OptionalAttributes, timestampMillis: number, connectionId: string, body?: string): void {
    this.context.events.emit(eventName, severity, assignDefined(this.#eventAttributes(connectionId), extra), timestampMillis, body);
  }

  /** Runs a public method's work unless disposed; a failure is reported, never thrown. */
  #live(where: string, fn: () => void): void {
    if (this.#disposed) return;
    try {
      fn();
    } catch (error) {
      // The name is built only on failure: this runs for every event.
      this.context.report(`ConnectionHandle.${where}`, error);
    }
  }
}

/** A state tv.connection.state counts in: a known one other than closed. */
function countable(state: ConnectionState): ConnectionState | undefined {
  return state !== 'closed' && CONNECTION_STATES.includes(state) ? state : undefined;
}
