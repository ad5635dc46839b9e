import { patchProperty } from '../../shared/patch-property.js';
import { guarded, type FailureReporter } from '../../tracker/failure-reporter.js';
import { AUTH_CONNECTION_KEY, AUTH_SESSION_KEY } from './message-id-marker.js';

type AuthCallback = (data: object) => void;
type Auth = Record<string, unknown> | ((callback: AuthCallback) => void) | undefined;

/**
 * Adds the client's session and connection ids to the handshake auth that
 * Socket.IO sends with every connect packet (on each reconnect too), so the
 * server's events carry the same session.id and tv.connection.id. The
 * app's own auth (object or function) is kept and its fields win. `ids` is
 * asked at each connect, as each physical connection has its own id.
 *
 * @returns what restores the app's auth.
 */
export function addHandshakeIds(socket: { auth?: unknown }, ids: () => { sessionId: string; connectionId: string } | undefined, report: FailureReporter): () => void {
  const original = socket.auth as Auth;
  const withIds = (data: unknown): object => {
    const own = typeof data === 'object' && data !== null ? data : {};
    const current = guarded(report, 'socket.io auth', undefined, ids);
    return current ? { [AUTH_SESSION_KEY]: current.sessionId, [AUTH_CONNECTION_KEY]: current.connectionId, ...own } : own;
  };
  return patchProperty(socket, 'auth', (callback: AuthCallback): void => {
    if (typeof original === 'function') original((data) => callback(withIds(data)));
    else callback(withIds(original));
  });
}
