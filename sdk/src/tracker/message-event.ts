import type { DropReason, EventName } from '@tunnelvision/semconv';

/**
 * One event about a message: what it adds to the message's own attributes,
 * named value by value rather than as an attribute object. The values are
 * written straight onto the event's identity attributes when it is emitted
 * (addMessageAttributes), which costs V8 far less than merging two objects;
 * until then (a sampled-out journey, a pending user id digest) it is held
 * as is.
 */
export interface MessageEvent {
  readonly eventName: EventName;
  /** When it happened, in epoch milliseconds. */
  readonly at: number;
  /** The physical connection it is reported on; the connection's current one when emitted if left out or ''. */
  readonly connectionId?: string;
  /** tv.message.size, on the events that put the payload on the wire, in the queue or in (sent, queued, received). */
  readonly size?: number;
  /** tv.message.latency_ms (msg.acked). */
  readonly latencyMillis?: number;
  /** tv.message.drop_reason (msg.dropped, a WARN event). */
  readonly dropReason?: DropReason;
  /** tv.message.attempt, when known. */
  readonly attempt?: number;
  /** tv.queue.depth (msg.queued, msg.dropped for queue_full), when known. */
  readonly queueDepth?: number;
}
