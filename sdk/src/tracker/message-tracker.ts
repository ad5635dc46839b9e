import {
  ATTR_MESSAGE_ATTEMPT,
  ATTR_MESSAGE_DROP_REASON,
  ATTR_MESSAGE_LATENCY_MS,
  ATTR_QUEUE_DEPTH,
} from '@tunnelvision/semconv';
import {
  EVENT_MSG_ACKED,
  EVENT_MSG_DROPPED,
  EVENT_MSG_QUEUED,
  EVENT_MSG_REPLAYED,
  EVENT_MSG_RETRIED,
  EVENT_MSG_SENT,
  type DropReason,
  type EventName,
} from '@tunnelvision/semconv';
import { durationMillis, intValue } from './attribute-values.js';
import type { EventSeverity, OptionalAttributes } from './event-logger.js';
import { messageAttributes } from './message-attributes.js';
import type { MessageOwner } from './message-owner.js';
import type { MessageHandle, MessageInfo } from './tracker-types.js';

/** A sampled-out event held back in case the journey fails and must be shown whole. */
interface DeferredEvent {
  readonly eventName: EventName;
  readonly timestampMillis: number;
  readonly connectionId: string;
  readonly attributes: OptionalAttributes;
}

/** msg.sent plus a few msg.queued: all a successful journey defers; more are not kept. */
const MAX_DEFERRED_EVENTS = 4;

/**
 * One outbound message's journey. A sampled-in journey is emitted as it
 * happens. A sampled-out one holds its msg.sent / msg.queued back and emits
 * nothing if it ends well; once it fails (retried, replayed, dropped) or
 * turns out slow, the held events are emitted with their original times
 * and the rest of the journey follows live. Metrics ignore sampling.
 * After acked() or dropped() nothing about the message is kept.
 */
export class MessageTracker implements MessageHandle {
  /** The message's stable id (tv.message.id). */
  readonly messageId: string;
  #firstSentAt: number | undefined;
  #attempts = 0;
  #visible: boolean;
  #done = false;
  #deferred: DeferredEvent[] | undefined;
  #queueDepthSeen: number | undefined;
  /** The physical connection of the last send. */
  #sentOn = '';
  /** Set while at risk (AtRiskMessages): its key there and until when (Date.now() ms). */
  riskKey: string | undefined;
  riskUntil = 0;

  #owner: MessageOwner;
  readonly #info: MessageInfo;

  constructor(owner: MessageOwner, messageId: string, info: MessageInfo, sampled: boolean) {
    this.#owner = owner;
    this.messageId = messageId;
    this.#info = info;
    this.#visible = sampled;
  }

  /** The journey moves to another logical connection (taken back from being at risk). */
  adopt(owner: MessageOwner): void {
    this.#owner = owner;
  }

  /** Whether it was sent and is still waiting for its ack. */
  get inFlight(): boolean {
    return this.#attempts > 0 && !this.#done;
  }

  /**
   * Put on the wire. The first call is msg.sent and starts the latency
   * clock; a later one is msg.retried on the connection of the last send,
   * msg.replayed on another one.
   */
  sent(): void {
    if (this.#done) return;
    try {
      if (this.#attempts > 0) {
        if (this.#owner.connectionId === this.#sentOn) this.retried(this.#attempts + 1);
        else this.replayed();
        return;
      }
      const now = this.#owner.context.now();
      this.#firstSentAt = now;
      this.#attempts = 1;
      this.#sentOn = this.#owner.connectionId;
      const attributes = this.#describe(true);
      attributes[ATTR_MESSAGE_ATTEMPT] = 1;
      this.#record(EVENT_MSG_SENT, now, attributes);
    } catch (error) {
      this.#failed('sent', error);
    }
  }

  /** Held in the offline queue (msg.queued with the queue depth after adding it). */
  queued(queueDepth: number): void {
    if (this.#done) return;
    try {
      const depth = intValue(queueDepth);
      this.#queueDepthSeen = depth;
      const attributes = this.#describe(true);
      attributes[ATTR_QUEUE_DEPTH] = depth;
      this.#record(EVENT_MSG_QUEUED, this.#owner.context.now(), attributes);
    } catch (error) {
      this.#failed('queued', error);
    }
  }

  /** Sent again after no ack (msg.retried); starts the latency clock if nothing was sent before. */
  retried(attempt: number): void {
    if (this.#done) return;
    try {
      const now = this.#owner.context.now();
      this.#firstSentAt ??= now;
      this.#attempts = intValue(attempt) ?? this.#attempts + 1;
      this.#resent();
      const attributes = this.#describe(false);
      attributes[ATTR_MESSAGE_ATTEMPT] = this.#attempts;
      this.#emit(EVENT_MSG_RETRIED, 'info', now, attributes);
    } catch (error) {
      this.#failed('retried', error);
    }
  }

  /** Sent again after a reconnect (msg.replayed); starts the latency clock if nothing was sent before. */
  replayed(): void {
    if (this.#done) return;
    try {
      const now = this.#owner.context.now();
      this.#firstSentAt ??= now;
      this.#attempts += 1;
      this.#resent();
      const attributes = this.#describe(false);
      attributes[ATTR_MESSAGE_ATTEMPT] = this.#attempts;
      this.#emit(EVENT_MSG_REPLAYED, 'info', now, attributes);
    } catch (error) {
      this.#failed('replayed', error);
    }
  }

  /**
   * Acknowledged (msg.acked with the latency since the first send, and the
   * delivery latency histogram). Ignored when the journey already ended,
   * and when the message was never sent (there is no latency to report).
   */
  acked(): void {
    if (this.#done) return;
    try {
      this.#finish();
      const sentAt = this.#firstSentAt;
      if (sentAt === undefined) {
        this.#deferred = undefined;
        return;
      }
      const { context } = this.#owner;
      const now = context.now();
      const latency = durationMillis(sentAt, now);
      context.instruments.deliveryLatency(this.#owner.metricIdentity, latency);
      if (latency > context.sampler.slowThresholdMillis) this.#reveal();
      if (this.#visible) {
        const attributes = this.#describe(false);
        attributes[ATTR_MESSAGE_LATENCY_MS] = latency;
        attributes[ATTR_MESSAGE_ATTEMPT] = this.#attempts;
        this.#emit(EVENT_MSG_ACKED, 'info', now, attributes);
      }
      this.#deferred = undefined;
    } catch (error) {
      this.#failed('acked', error);
    }
  }

  /** Given up (msg.dropped with the reason, and the tv.message.lost counter); ignored once the journey ended. */
  dropped(reason: DropReason): void {
    if (this.#done) return;
    try {
      this.#finish();
      const { context } = this.#owner;
      context.instruments.messageLost(this.#owner.metricIdentity, reason);
      this.#reveal();
      const attributes = this.#describe(false);
      attributes[ATTR_MESSAGE_DROP_REASON] = reason;
      attributes[ATTR_MESSAGE_ATTEMPT] = this.#attempts > 0 ? this.#attempts : undefined;
      attributes[ATTR_QUEUE_DEPTH] = reason === 'queue_full' ? (this.#queueDepthSeen ?? this.#owner.lastQueueDepth) : undefined;
      // Lost with its connection: reported on the connection it was last sent on.
      this.#emit(EVENT_MSG_DROPPED, 'warn', context.now(), attributes, reason === 'connection_lost' ? this.#sentOn : undefined);
    } catch (error) {
      this.#failed('dropped', error);
    }
  }

  /** Sent again: shown from now on, on the current connection, and no longer at risk. */
  #resent(): void {
    this.#sentOn = this.#owner.connectionId;
    this.#owner.context.atRisk.remove(this);
    this.#reveal();
  }

  /** A fresh object the caller adds the event's own attributes to. */
  #describe(withSize: boolean): OptionalAttributes {
    return messageAttributes(this.messageId, this.#info, withSize);
  }

  /** Emits now when visible, else holds the event back (bounded). */
  #record(eventName: EventName, timestampMillis: number, attributes: OptionalAttributes): void {
    if (this.#visible) {
      this.#emit(eventName, 'info', timestampMillis, attributes);
      return;
    }
    this.#deferred ??= [];
    if (this.#deferred.length < MAX_DEFERRED_EVENTS) {
      this.#deferred.push({ eventName, timestampMillis, connectionId: this.#owner.connectionId, attributes });
    }
  }

  /** From now on the journey is shown; held-back events go out first, with their own times. */
  #reveal(): void {
    if (this.#visible) return;
    this.#visible = true;
    const held = this.#deferred ?? [];
    this.#deferred = undefined;
    for (const event of held) this.#emit(event.eventName, 'info', event.timestampMillis, event.attributes, event.connectionId);
  }

  #emit(
    eventName: EventName,
    severity: EventSeverity,
    timestampMillis: number,
    attributes: OptionalAttributes,
    connectionId = this.#owner.connectionId,
  ): void {
    this.#owner.emitEvent(eventName, severity, attributes, timestampMillis, connectionId || this.#owner.connectionId);
  }

  #finish(): void {
    this.#done = true;
    this.#owner.context.atRisk.remove(this);
    this.#owner.messageFinished(this.messageId, this);
  }

  /** A public method failed: reported, never thrown (its name is built only then, as this class is on the hot path). */
  #failed(where: string, error: unknown): void {
    this.#owner.context.report(`MessageHandle.${where}`, error);
  }
}
