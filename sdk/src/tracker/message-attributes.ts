import { ATTR_MESSAGE_CHANNEL, ATTR_MESSAGE_ID, ATTR_MESSAGE_SEQ, ATTR_MESSAGE_SIZE } from '@tunnelvision/semconv';
import { intValue } from './attribute-values.js';
import type { OptionalAttributes } from './event-logger.js';
import type { MessageInfo } from './tracker-types.js';

/** tv.message.id plus seq and channel when known; size too on the events that carry it (sent, queued, received). */
export function messageAttributes(messageId: string, info: MessageInfo | undefined, withSize: boolean): OptionalAttributes {
  return {
    [ATTR_MESSAGE_ID]: messageId,
    [ATTR_MESSAGE_SEQ]: intValue(info?.seq),
    [ATTR_MESSAGE_CHANNEL]: typeof info?.channel === 'string' ? info.channel : undefined,
    [ATTR_MESSAGE_SIZE]: withSize ? intValue(info?.size) : undefined,
  };
}
