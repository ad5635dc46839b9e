/** The Socket.IO fleet's one event, both ways: a chat line (client to gateway) or a room message (gateway to member). */
export const SOCKET_IO_EVENT = 'chat';
/** How long an emit waits for its ack; then Socket.IO gives up on it (msg.dropped: attempts_exhausted, or ttl_expired if still buffered offline). */
export const SOCKET_IO_ACK_TIMEOUT_MILLIS = 10_000;

/** A chat packet; its id is the message's tv.message.id, so the fleet knows which message a drop or an ack is about. */
export interface SocketIoChatMessage {
  id: string;
  room: string;
  text?: string;
  at?: number;
  from?: string;
}

/** The instrumentation's `messageId` option: the id the packet already carries. */
export function messageIdOf(_event: string, args: readonly unknown[]): string | undefined {
  const id = (args[0] as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}
