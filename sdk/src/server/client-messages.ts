import type { ClientMessageFrame } from '../protocol/frames.js';
import type { ConnectionHandle } from '../tracker/tracker-types.js';
import type { InboundMessage } from './resilient-server-events.js';
import type { Session } from './session-store.js';

/**
 * A client message arrived on `session`. The first time its id is seen it
 * is reported received and returned, for the app; a repeat (the client
 * missed our ack and sent it again) is reported as a duplicate and
 * suppressed. Either way the caller acks it.
 */
export function receiveClientMessage(session: Session, handle: ConnectionHandle, frame: ClientMessageFrame): InboundMessage | undefined {
  const info = frame.ch === undefined ? {} : { channel: frame.ch };
  if (session.seenIds.has(frame.id)) {
    handle.duplicate(frame.id, info);
    return undefined;
  }
  session.seenIds.add(frame.id);
  handle.received(frame.id, info);
  return frame.ch === undefined
    ? { sessionId: session.id, id: frame.id, body: frame.body }
    : { sessionId: session.id, id: frame.id, body: frame.body, channel: frame.ch };
}
