import type { EventAttributes, OptionalAttributes } from './event-logger.js';
import type { MetricIdentity } from './metric-identity.js';
import type { TrackerContext } from './tracker-context.js';

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
  /** The connection's identity attributes (for `connectionId`) merged with the event's own defined ones. */
  eventAttributes(extra: OptionalAttributes, connectionId: string): EventAttributes;
  /** The journey ended (acked or dropped): forget it. */
  messageFinished(messageId: string, message: object): void;
}
