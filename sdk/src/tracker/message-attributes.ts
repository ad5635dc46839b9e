import {
  ATTR_MESSAGE_ATTEMPT,
  ATTR_MESSAGE_CHANNEL,
  ATTR_MESSAGE_DROP_REASON,
  ATTR_MESSAGE_ID,
  ATTR_MESSAGE_LATENCY_MS,
  ATTR_MESSAGE_SEQ,
  ATTR_MESSAGE_SIZE,
  ATTR_QUEUE_DEPTH,
} from '@tunnelvision/semconv';
import { intValue } from './attribute-values.js';
import type { EventAttributes } from './event-logger.js';
import type { MessageEvent } from './message-event.js';
import type { MessageInfo } from './tracker-types.js';

/**
 * Writes `event`'s message attributes onto `attributes` (its identity
 * attributes): tv.message.id, seq and channel when known, then the event's
 * own values, leaving out unknown ones. One by one, as V8 sets these in far
 * less time than it merges an object of them.
 */
export function addMessageAttributes(attributes: EventAttributes, messageId: string, info: MessageInfo | undefined, event: MessageEvent): void {
  const { size, latencyMillis, dropReason, attempt, queueDepth } = event;
  attributes[ATTR_MESSAGE_ID] = messageId;
  const seq = intValue(info?.seq);
  if (seq !== undefined) attributes[ATTR_MESSAGE_SEQ] = seq;
  if (typeof info?.channel === 'string') attributes[ATTR_MESSAGE_CHANNEL] = info.channel;
  if (size !== undefined) attributes[ATTR_MESSAGE_SIZE] = size;
  if (latencyMillis !== undefined) attributes[ATTR_MESSAGE_LATENCY_MS] = latencyMillis;
  if (dropReason !== undefined) attributes[ATTR_MESSAGE_DROP_REASON] = dropReason;
  if (attempt !== undefined) attributes[ATTR_MESSAGE_ATTEMPT] = attempt;
  if (queueDepth !== undefined) attributes[ATTR_QUEUE_DEPTH] = queueDepth;
}
