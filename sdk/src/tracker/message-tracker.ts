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
import type { MessageEvent } from './message-event.js';
import type { MessageOwner } from './message-owner.js';
import type { MessageHandle, MessageInfo } from './tracker-types.js';

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
  /** Sampled-out events held back in case the journey fails and must be shown whole. */
  #deferred: MessageEvent[] | undefined;
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
        this.#resend(this.#owner.connectionId === this.#sentOn ? EVENT_MSG_RETRIED : EVENT_MSG_REPLAYED, 'sent', this.#attempts + 1);
        return;
      }
      const now = this.#owner.context.now();
      this.#firstSentAt = now;
      this.#attempts = 1;
      this.#sentOn = this.#owner.connectionId;
      this.#record({ eventName: EVENT_MSG_SENT, at: now, connectionId: this.#sentOn, size: intValue(this.#info.size), attempt: 1 });
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
      const { connectionId, context } = this.#owner;
      this.#record({ eventName: EVENT_MSG_QUEUED, at: context.now(), connectionId, size: intValue(this.#info.size), queueDepth: depth });
    } catch (error) {
      this.#failed('queued', error);
    }
  }

  /** Sent again after no ack (msg.retried); starts the latency clock if nothing was sent before. */
  retried(attempt: number): void {
    this.#resend(EVENT_MSG_RETRIED, 'retried', intValue(attempt) ?? this.#attempts + 1);
  }

  /** Sent again after a reconnect (msg.replayed); starts the latency clock if nothing was sent before. */
  replayed(): void {
    this.#resend(EVENT_MSG_REPLAYED, 'replayed', this.#attempts + 1);
  }

  /** Sent again as attempt `attempt`: shown from now on, on the current connection, and no longer at risk. */
  #resend(eventName: EventName, where: string, attempt: number): void {
    if (this.#done) return;
    try {
      const now = this.#owner.context.now();
      this.#firstSentAt ??= now;
      this.#attempts = attempt;
      this.#sentOn = this.#owner.connectionId;
      this.#owner.context.atRisk.remove(this);
      this.#reveal();
      this.#emit({ eventName, at: now, attempt });
    } catch (error) {
      this.#failed(where, error);
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
      if (sentAt !== undefined) {
        const { context } = this.#owner;
        const now = context.now();
        const latency = durationMillis(sentAt, now);
        context.instruments.deliveryLatency(this.#owner.metricIdentity, latency);
        if (latency > context.sampler.slowThresholdMillis) this.#reveal();
        if (this.#visible) this.#emit({ eventName: EVENT_MSG_ACKED, at: now, latencyMillis: latency, attempt: this.#attempts });
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
      this.#emit({
        eventName: EVENT_MSG_DROPPED,
        at: context.now(),
        // Lost with its connection: reported on the connection it was last sent on.
        connectionId: reason === 'connection_lost' ? this.#sentOn : undefined,
        dropReason: reason,
        attempt: this.#attempts > 0 ? this.#attempts : undefined,
        queueDepth: reason === 'queue_full' ? (this.#queueDepthSeen ?? this.#owner.lastQueueDepth) : undefined,
      });
    } catch (error) {
      this.#failed('dropped', error);
    }
  }

  /** Emits now when visible, else holds the event back (bounded). */
  #record(event: MessageEvent): void {
    if (this.#visible) {
      this.#emit(event);
      return;
    }
    this.#deferred ??= [];
    if (this.#deferred.length < MAX_DEFERRED_EVENTS) this.#deferred.push(event);
  }

  /** From now on the journey is shown; held-back events go out first, with their own times. */
  #reveal(): void {
    if (this.#visible) return;
    this.#visible = true;
    const held = this.#deferred ?? [];
    this.#deferred = undefined;
    for (const event of held) this.#emit(event);
  }

  #emit(event: MessageEvent): void {
    this.#owner.emitEvent(this.messageId, this.#info, event);
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
