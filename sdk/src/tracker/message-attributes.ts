import { ATTR_MESSAGE_CHANNEL, ATTR_MESSAGE_ID, ATTR_MESSAGE_SEQ, ATTR_MESSAGE_SIZE } from '../semconv/attributes.js';
import { intValue } from './attribute-values.js';
import type { EventAttributes } from './event-logger.js';
import type { MessageInfo } from './tracker-types.js';

/** tv.message.id plus seq and channel when known; size too on the events that carry it (sent, queued, received). */
export function messageAttributes(messageId: string, info: MessageInfo | undefined, withSize: boolean): EventAttributes {
  const attributes: EventAttributes = { [ATTR_MESSAGE_ID]: messageId };
  const seq = intValue(info?.seq);
  if (seq !== undefined) attributes[ATTR_MESSAGE_SEQ] = seq;
  if (typeof info?.channel === 'string') attributes[ATTR_MESSAGE_CHANNEL] = info.channel;
  const size = intValue(info?.size);
  if (withSize && size !== undefined) attributes[ATTR_MESSAGE_SIZE] = size;
  return attributes;
}
