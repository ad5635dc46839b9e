import { HANDSHAKE_CONNECTION_PARAM, HANDSHAKE_SESSION_PARAM } from '@tunnelvision/semconv';

/**
 * How a tracked emit carries its tv.message.id to the other side: one extra
 * argument, `{ __tvMessageId: id }`, after the app's own arguments (before
 * the ack callback, which Socket.IO turns into a packet id). The receiving
 * side's instrumentation takes it off before Socket.IO dispatches the
 * packet, so handlers, middlewares and onAny listeners see the app's
 * arguments only. A side adds it only when it knows the other side strips
 * it: the client learns that from the server's hello event, the server
 * from the ids in the client's handshake auth.
 */
export const MESSAGE_ID_KEY = '__tvMessageId';

/** Sent by an instrumented server to an instrumented client right after it connects; consumed by the client's instrumentation. */
export const HELLO_EVENT = '__tv:hello';

/** Handshake auth fields of an instrumented client (the same names as the WebSocket handshake parameters). */
export const AUTH_SESSION_KEY = HANDSHAKE_SESSION_PARAM;
export const AUTH_CONNECTION_KEY = HANDSHAKE_CONNECTION_PARAM;

/** The extra argument carrying `messageId`. */
export function messageIdMarker(messageId: string): Record<string, string> {
  return { [MESSAGE_ID_KEY]: messageId };
}

/** Removes a trailing message-id argument from a packet's data (event name first) and returns the id, if there is one. */
export function takeMessageId(data: unknown[]): string | undefined {
  if (data.length < 2) return undefined;
  const last = data[data.length - 1];
  if (typeof last !== 'object' || last === null || Array.isArray(last)) return undefined;
  const keys = Object.keys(last);
  const id = (last as Record<string, unknown>)[MESSAGE_ID_KEY];
  if (keys.length !== 1 || typeof id !== 'string') return undefined;
  data.pop();
  return id;
}
