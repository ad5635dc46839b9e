import type { CloseInfo, ConnectionHandle } from '../../tracker/tracker-types.js';

/** Who ended a connection on purpose: one side, or `self` for the side reporting it. */
type Initiator = 'client' | 'server' | 'self';

/**
 * Socket.IO reason -> [close code, initiator]. Socket.IO gives a disconnect
 * reason, never a WebSocket close code (it may not even run over a
 * WebSocket), so conn.close gets the code of docs/semconv.md that means the
 * same: a close on purpose is 1000 (1001 for a server shutting down), a
 * connection that broke or went silent is 1006, so it counts among abnormal
 * closes. A table rather than a switch: it is shipped to browsers.
 */
const BY_REASON: Record<string, readonly [number, Initiator?]> = {
  // The server disconnected this socket (socket.disconnect() on the server).
  'io server disconnect': [1000, 'server'],
  'server namespace disconnect': [1000, 'server'],
  'forced server close': [1000, 'server'],
  // The client app disconnected (socket.disconnect() on the client).
  'io client disconnect': [1000, 'client'],
  'client namespace disconnect': [1000, 'client'],
  // This side closed the whole connection on purpose (manager or engine closed).
  'forced close': [1000, 'self'],
  'server shutting down': [1001, 'server'],
  // Heartbeats went unanswered (a silent, half-open connection), or the transport broke under Socket.IO.
  'ping timeout': [1006],
  'transport close': [1006],
  'transport error': [1006],
  // The peer sent what the parser refused; this side closed.
  'parse error': [1002, 'self'],
};

/**
 * The conn.close of a disconnect `reason` (kept as tv.close.reason), as
 * reported by `role`; an unknown reason is 1005 with no clean or initiator.
 */
export function closeInfoOfDisconnect(reason: unknown, role: 'client' | 'server'): CloseInfo {
  const text = typeof reason === 'string' ? reason : 'unknown';
  const known = BY_REASON[text];
  if (!known) return { code: 1005, reason: text };
  const [code, initiator] = known;
  return {
    code,
    reason: text,
    // Only the on-purpose codes (1000, 1001) completed a close.
    clean: code < 1002,
    ...(initiator && { initiator: initiator === 'self' ? role : initiator }),
    // Socket.IO gives up after the first unanswered ping.
    ...(text === 'ping timeout' && { heartbeatMissed: 1 }),
  };
}

/** Reports a close: the missed heartbeat that caused it first, if any, then conn.close. */
export function reportClose(handle: ConnectionHandle, info: CloseInfo): void {
  if (info.heartbeatMissed) handle.heartbeatMissed(info.heartbeatMissed);
  handle.closed(info);
}
