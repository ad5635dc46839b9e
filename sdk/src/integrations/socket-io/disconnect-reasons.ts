import type { CloseInfo } from '../../tracker/tracker-types.js';

/**
 * Socket.IO gives a disconnect reason, never a WebSocket close code (it may
 * not even run over a WebSocket), so conn.close gets the code of
 * docs/semconv.md that means the same: a close on purpose is 1000 (1001 for
 * a server shutting down), a connection that broke or went silent is 1006,
 * so it counts among abnormal closes. The reason itself is kept as
 * tv.close.reason. `role` is the side reporting.
 */
export function closeInfoOfDisconnect(reason: unknown, role: 'client' | 'server'): CloseInfo {
  const text = typeof reason === 'string' ? reason : 'unknown';
  switch (text) {
    // The server disconnected this socket (socket.disconnect() on the server).
    case 'io server disconnect':
    case 'server namespace disconnect':
    case 'forced server close':
      return { code: 1000, reason: text, clean: true, initiator: 'server' };
    // The client app disconnected (socket.disconnect() on the client).
    case 'io client disconnect':
    case 'client namespace disconnect':
      return { code: 1000, reason: text, clean: true, initiator: 'client' };
    // This side closed the whole connection on purpose (manager or engine closed).
    case 'forced close':
      return { code: 1000, reason: text, clean: true, initiator: role };
    case 'server shutting down':
      return { code: 1001, reason: text, clean: true, initiator: 'server' };
    // Heartbeats went unanswered: a silent, half-open connection.
    case 'ping timeout':
      return { code: 1006, reason: text, clean: false, heartbeatMissed: 1 };
    // The transport broke or was closed under Socket.IO: a drop, like a WebSocket's 1006.
    case 'transport close':
    case 'transport error':
      return { code: 1006, reason: text, clean: false };
    // The peer sent what the parser refused; this side closed.
    case 'parse error':
      return { code: 1002, reason: text, clean: false, initiator: role };
    default:
      return { code: 1005, reason: text };
  }
}
