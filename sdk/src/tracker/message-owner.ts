import type { EventName } from '@tunnelvision/semconv';
import type { EventSeverity, OptionalAttributes } from './event-logger.js';
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
  /** Emits an event of this connection for physical connection `connectionId` (with the identity attributes and tv.event.seq). */
  emitEvent(eventName: EventName, severity: EventSeverity, extra: OptionalAttributes, timestampMillis: number, connectionId: string): void;
  /** The journey ended (acked or dropped): forget it. */
  messageFinished(messageId: string, message: object): void;
}
