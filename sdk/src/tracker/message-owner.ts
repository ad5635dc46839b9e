import type { MessageEvent } from './message-event.js';
import type { MetricIdentity } from './metric-identity.js';
import type { TrackerContext } from './tracker-context.js';
import type { MessageInfo } from './tracker-types.js';

/** What a message journey needs from the connection it belongs to. */
export interface MessageOwner {
  /** The tracker's shared parts. */
  readonly context: TrackerContext;
  /** The current physical connection id ('' before the first opening()). */
  readonly connectionId: string;
  /** Metric attributes of the connection. */
  readonly metricIdentity: MetricIdentity;
  /** Last depth reported through queueDepth(), for msg.dropped with queue_full. */
  readonly lastQueueDepth: number | undefined;
  /** Emits `event` about message `messageId` as an event of this connection: the identity attributes and tv.event.seq, then the message's. */
  emitEvent(messageId: string, info: MessageInfo, event: MessageEvent): void;
  /** The journey ended (acked or dropped): forget it. */
  messageFinished(messageId: string, message: object): void;
}
