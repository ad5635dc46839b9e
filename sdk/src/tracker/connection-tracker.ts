import {
  ATTR_CLOSE_CLEAN,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_INITIATOR,
  ATTR_CLOSE_REASON,
  ATTR_CONNECTION_ATTEMPT,
  ATTR_CONNECTION_DOWNTIME_MS,
  ATTR_CONNECTION_DURATION_MS,
  ATTR_CONNECTION_ID,
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
  ATTR_SESSION_ID,
  ATTR_STATE_FROM,
  ATTR_STATE_TO,
  ATTR_USER_ID,
} from '../semconv/attributes.js';
import {
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
} from '../semconv/events.js';
import { durationMillis, finiteValue, intValue } from './attribute-values.js';
import type { EventAttributes, EventSeverity } from './event-logger.js';
import { guarded } from './failure-reporter.js';
import { InFlightMessages } from './in-flight-messages.js';
import { messageAttributes } from './message-attributes.js';
import type { MessageOwner } from './message-owner.js';
import { MessageTracker } from './message-tracker.js';
import type { MetricIdentity } from './metric-identity.js';
import { noopMessageHandle } from './noop-handles.js';
import { randomId } from '../shared/random-id.js';
import type { TrackerContext } from './tracker-context.js';
import type { CloseInfo, ConnectionHandle, ConnectionOptions, MessageHandle, MessageInfo, ReconnectInfo, ResumeInfo } from './tracker-types.js';

/** Unfinished messages kept per connection (see InFlightMessages). */
export const MAX_IN_FLIGHT_MESSAGES = 10_000;
/** Characters of a tv.connection.id: 72 random bits, short enough to read out on a support call. */
const CONNECTION_ID_LENGTH = 12;
/** Close codes that mean something went wrong rather than a planned close. */
const ABNORMAL_CLOSE_CODES = new Set([1006, 1011]);

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
  private id = '';
  private state: PhysicalState = 'idle';
  /** Attempts since the last successful open. */
  private attempt = 0;
  private openedAt = 0;
  /** The close that ended the last open connection, until an open ends the outage. */
  private drop: { at: number; code: number } | undefined;
  private lastRttMs: number | undefined;
  private queueDepthNow: number | undefined;
  private disposed = false;
  /** options.userId as emitted, once known. */
  private ownUserId: string | undefined;
  private readonly messages = new InFlightMessages<MessageTracker>(MAX_IN_FLIGHT_MESSAGES);
  private readonly baseAttributes: EventAttributes;
  /** Metric attributes of this connection (low cardinality only). */
  readonly metricIdentity: MetricIdentity;

  constructor(
    /** The tracker's shared parts. */
    readonly context: TrackerContext,
    private readonly options: ConnectionOptions,
  ) {
    this.baseAttributes = copyAttributes(options.attributes);
    const serverAddress = typeof options.serverAddress === 'string' ? options.serverAddress : undefined;
    this.metricIdentity = {
      key: `${context.role}\u0000${serverAddress ?? ''}`,
      attributes: { ...(serverAddress === undefined ? {} : { [ATTR_SERVER_ADDRESS]: serverAddress }), [ATTR_ROLE]: context.role },
    };
    // Start hashing now so the first events can already carry the hashed id.
    if (typeof options.userId === 'string') this.ownUserId = context.emittedUserId(options.userId);
  }

  /** Current physical connection id (tv.connection.id); '' before the first opening(). */
  get connectionId(): string {
    return this.id;
  }

  /** Last depth reported through queueDepth(). */
  get lastQueueDepth(): number | undefined {
    return this.queueDepthNow;
  }

  /** A connection attempt starts (conn.opening); returns the new connection id. `attempt` defaults to attempts since the last open, plus one. */
  opening(attempt?: number): string {
    return this.guard('opening', this.id, () => {
      if (this.disposed) return this.id;
      // An opening() with no closed() in between: stop counting the old one as active.
      if (this.state === 'open') this.context.instruments.connectionClosed(this.metricIdentity);
      this.attempt = intValue(attempt) ?? this.attempt + 1;
      this.id = randomId(CONNECTION_ID_LENGTH);
      this.state = 'opening';
      this.emit(EVENT_CONN_OPENING, 'info', { [ATTR_CONNECTION_ATTEMPT]: this.attempt });
      return this.id;
    });
  }

  /**
   * The socket is open (conn.open with tv.connection.attempt). After an
   * open connection of this handle closed, it carries
   * tv.connection.downtime_ms (time since that close) and counts as a
   * reconnect; the first open never does. Ignored while already open.
   */
  opened(): void {
    this.guard('opened', undefined, () => {
      if (this.disposed || this.state === 'open') return;
      if (this.state !== 'opening') {
        // opened() without opening(): still a new physical connection.
        this.attempt += 1;
        this.id = randomId(CONNECTION_ID_LENGTH);
      }
      const now = this.context.now();
      const attributes: EventAttributes = { [ATTR_CONNECTION_ATTEMPT]: this.attempt };
      if (this.drop) {
        const downtime = durationMillis(this.drop.at, now);
        attributes[ATTR_CONNECTION_DOWNTIME_MS] = downtime;
        this.context.instruments.reconnected(this.metricIdentity, this.drop.code, downtime);
        this.drop = undefined;
      }
      this.state = 'open';
      this.openedAt = now;
      this.attempt = 0;
      this.context.instruments.connectionOpened(this.metricIdentity);
      this.emit(EVENT_CONN_OPEN, 'info', attributes, now);
    });
  }

  /**
   * The socket closed (conn.close): WARN for 1006/1011, with the duration
   * when it had opened. Closing an open connection starts an outage that
   * the next opened() ends. A second close of the same connection is ignored.
   */
  closed(info: CloseInfo): void {
    this.guard('closed', undefined, () => {
      if (this.disposed || this.state === 'closed') return;
      if (this.state === 'idle') this.id = randomId(CONNECTION_ID_LENGTH);
      const now = this.context.now();
      const code = intValue(info.code) ?? 1005;
      const attributes: EventAttributes = { [ATTR_CLOSE_CODE]: code };
      if (typeof info.reason === 'string' && info.reason !== '') attributes[ATTR_CLOSE_REASON] = info.reason;
      if (typeof info.clean === 'boolean') attributes[ATTR_CLOSE_CLEAN] = info.clean;
      if (info.initiator === 'client' || info.initiator === 'server') attributes[ATTR_CLOSE_INITIATOR] = info.initiator;
      if (this.state === 'open') {
        attributes[ATTR_CONNECTION_DURATION_MS] = durationMillis(this.openedAt, now);
        this.context.instruments.connectionClosed(this.metricIdentity);
        this.drop = { at: now, code };
      }
      if (this.lastRttMs !== undefined) attributes[ATTR_HEARTBEAT_RTT_MS] = this.lastRttMs;
      this.state = 'closed';
      this.emit(EVENT_CONN_CLOSE, ABNORMAL_CLOSE_CODES.has(code) ? 'warn' : 'info', attributes, now);
    });
  }

  /** A transport error (conn.error, ERROR): `errorType` is a short class like ECONNREFUSED; `message` goes in the body. */
  error(errorType: string, message?: string): void {
    this.guard('error', undefined, () => {
      if (this.disposed) return;
      const attributes: EventAttributes = { [ATTR_ERROR_TYPE]: String(errorType) };
      if (this.state === 'opening' && this.attempt > 0) attributes[ATTR_CONNECTION_ATTEMPT] = this.attempt;
      this.emit(EVENT_CONN_ERROR, 'error', attributes, this.context.now(), typeof message === 'string' ? message : undefined);
    });
  }

  /** The client's state machine moved (conn.state). */
  stateChanged(from: ConnectionState, to: ConnectionState): void {
    this.event('stateChanged', EVENT_CONN_STATE, 'info', () => ({ [ATTR_STATE_FROM]: String(from), [ATTR_STATE_TO]: String(to) }));
  }

  /** A reconnect was scheduled (conn.reconnect.scheduled with attempt, delay and jitter). */
  reconnectScheduled(info: ReconnectInfo): void {
    this.event('reconnectScheduled', EVENT_CONN_RECONNECT_SCHEDULED, 'info', () => {
      const attributes: EventAttributes = { [ATTR_RECONNECT_ATTEMPT]: intValue(info.attempt) ?? 0 };
      const delay = finiteValue(info.delayMs);
      const jitter = finiteValue(info.jitterMs);
      if (delay !== undefined) attributes[ATTR_RECONNECT_DELAY_MS] = delay;
      if (jitter !== undefined) attributes[ATTR_RECONNECT_JITTER_MS] = jitter;
      return attributes;
    });
  }

  /** The client stopped retrying after `attempts` attempts (conn.reconnect.gave_up, WARN). */
  gaveUp(attempts: number): void {
    this.event('gaveUp', EVENT_CONN_RECONNECT_GAVE_UP, 'warn', () => ({ [ATTR_RECONNECT_ATTEMPT]: intValue(attempts) ?? 0 }));
  }

  /** A heartbeat round trip completed: tv.heartbeat.rtt histogram, and tv.heartbeat.rtt_ms on later conn.close / heartbeat events. */
  heartbeat(rttMs: number): void {
    this.guard('heartbeat', undefined, () => {
      const rtt = finiteValue(rttMs);
      if (this.disposed || rtt === undefined || rtt < 0) return;
      this.lastRttMs = rtt;
      this.context.instruments.heartbeatRtt(this.metricIdentity, rtt);
    });
  }

  /** Heartbeats went unanswered (conn.heartbeat.missed, WARN, with the consecutive count). */
  heartbeatMissed(missed: number): void {
    this.event('heartbeatMissed', EVENT_CONN_HEARTBEAT_MISSED, 'warn', () => ({
      [ATTR_HEARTBEAT_MISSED]: intValue(missed) ?? 1,
      ...(this.lastRttMs === undefined ? {} : { [ATTR_HEARTBEAT_RTT_MS]: this.lastRttMs }),
    }));
  }

  /** A resume finished (session.resume; WARN when it failed). */
  resumed(info: ResumeInfo): void {
    this.guard('resumed', undefined, () => {
      if (this.disposed) return;
      const attributes: EventAttributes = { [ATTR_RESUME_OUTCOME]: info.ok ? 'ok' : 'failed' };
      const lastSeq = intValue(info.lastSeq);
      const replayed = intValue(info.replayed);
      if (lastSeq !== undefined) attributes[ATTR_RESUME_LAST_SEQ] = lastSeq;
      if (replayed !== undefined) attributes[ATTR_RESUME_REPLAYED] = replayed;
      this.emit(EVENT_SESSION_RESUME, info.ok ? 'info' : 'warn', attributes);
    });
  }

  /** Outbound queue depth now (tv.queue.depth gauge, summed over the tracker's connections). */
  queueDepth(depth: number): void {
    this.guard('queueDepth', undefined, () => {
      const value = intValue(depth);
      if (this.disposed || value === undefined) return;
      this.queueDepthNow = value;
      this.context.instruments.queueDepth(this, this.metricIdentity, value);
    });
  }

  /**
   * A message this side sends, tracked from first send to ack or drop. The
   * same unfinished id returns the same journey (so a retry or an ack
   * matcher finds it); `info` of a later call is then ignored.
   */
  message(messageId: string, info?: MessageInfo): MessageHandle {
    // try/catch rather than guarded(): no fallback object on this hot path unless it fails.
    try {
      const id = String(messageId);
      if (this.disposed) return noopMessageHandle(id);
      const existing = this.messages.get(id);
      if (existing) return existing;
      const message = new MessageTracker(this, id, { ...info }, this.context.sampler.keeps(id));
      this.messages.add(id, message);
      return message;
    } catch (error) {
      this.context.report('ConnectionHandle.message', error);
      return noopMessageHandle(typeof messageId === 'string' ? messageId : '');
    }
  }

  /** A message arrived from the peer (msg.received; sampled by id like sent messages). */
  received(messageId: string, info?: MessageInfo): void {
    this.guard('received', undefined, () => {
      const id = String(messageId);
      if (this.disposed || !this.context.sampler.keeps(id)) return;
      this.emit(EVENT_MSG_RECEIVED, 'info', messageAttributes(id, info, true));
    });
  }

  /** A message arrived twice and was suppressed (msg.duplicate; never sampled out). */
  duplicate(messageId: string, info?: MessageInfo): void {
    this.event('duplicate', EVENT_MSG_DUPLICATE, 'info', () => messageAttributes(String(messageId), info, false));
  }

  /** A sequence gap was seen (msg.gap, WARN; never sampled out). */
  gap(expectedSeq: number, gotSeq: number): void {
    this.event('gap', EVENT_MSG_GAP, 'warn', () => {
      const attributes: EventAttributes = {};
      const expected = intValue(expectedSeq);
      const got = intValue(gotSeq);
      if (expected !== undefined) attributes[ATTR_MESSAGE_EXPECTED_SEQ] = expected;
      if (got !== undefined) attributes[ATTR_MESSAGE_GOT_SEQ] = got;
      return attributes;
    });
  }

  /**
   * Stops tracking without an event: an open connection stops counting as
   * active, its queue depth is withdrawn and unfinished messages are
   * forgotten. Every later call is a no-op.
   */
  dispose(): void {
    this.guard('dispose', undefined, () => {
      if (this.disposed) return;
      this.disposed = true;
      if (this.state === 'open') this.context.instruments.connectionClosed(this.metricIdentity);
      if (this.queueDepthNow !== undefined) this.context.instruments.queueDepth(this, this.metricIdentity, undefined);
      this.messages.clear();
    });
  }

  /** Identity attributes for `connectionId` merged with the event's own (MessageOwner). */
  eventAttributes(extra: EventAttributes, connectionId: string): EventAttributes {
    const attributes: EventAttributes = { ...this.baseAttributes };
    attributes[ATTR_SESSION_ID] = this.options.sessionId ?? this.context.sessionId;
    const userId = this.userId();
    if (userId !== undefined) attributes[ATTR_USER_ID] = userId;
    if (connectionId !== '') attributes[ATTR_CONNECTION_ID] = connectionId;
    if (typeof this.options.serverAddress === 'string') attributes[ATTR_SERVER_ADDRESS] = this.options.serverAddress;
    attributes[ATTR_ROLE] = this.context.role;
    return Object.assign(attributes, extra);
  }

  /** The connection's own user id (hashed when configured), else the tracker's. */
  private userId(): string | undefined {
    if (typeof this.options.userId !== 'string') return this.context.trackerUserId();
    this.ownUserId ??= this.context.emittedUserId(this.options.userId);
    return this.ownUserId;
  }

  /** A journey ended: forget it (MessageOwner). */
  messageFinished(messageId: string, message: object): void {
    this.messages.remove(messageId, message as MessageTracker);
  }

  private event(where: string, eventName: EventName, severity: EventSeverity, attributes: () => EventAttributes): void {
    this.guard(where, undefined, () => {
      if (!this.disposed) this.emit(eventName, severity, attributes());
    });
  }

  private emit(eventName: EventName, severity: EventSeverity, extra: EventAttributes, timestampMillis = this.context.now(), body?: string): void {
    this.context.events.emit(eventName, severity, this.eventAttributes(extra, this.id), timestampMillis, body);
  }

  private guard<T>(where: string, fallback: T, fn: () => T): T {
    return guarded(this.context.report, `ConnectionHandle.${where}`, fallback, fn);
  }
}

/** Keeps only values OTLP attributes can carry here, and copies so later changes by the app do not leak in. */
function copyAttributes(attributes: ConnectionOptions['attributes']): EventAttributes {
  const copy: EventAttributes = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) copy[key] = value;
  }
  return copy;
}
