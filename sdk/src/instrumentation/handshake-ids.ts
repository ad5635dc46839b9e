import { HANDSHAKE_CONNECTION_PARAM, HANDSHAKE_SESSION_PARAM } from '@tunnelvision/semconv';
import type { ConnectionOptions } from '../tracker/tracker-types.js';

/** The ids a client passes in its WebSocket handshake. */
export interface HandshakeIds {
  /** session.id of the client's events. */
  sessionId: string;
  /** tv.connection.id of the physical connection being opened. */
  connectionId: string;
}

/** What a server learns from a handshake: pass it to tracker.connection() so the server's events match the client's. */
export type HandshakeIdentity = Pick<ConnectionOptions, 'sessionId' | 'connectionId' | 'serverAddress' | 'serverPort'>;

/**
 * `url` with the client's session and connection ids as the query
 * parameters tv_session and tv_connection (any WebSocket client can send
 * them, browsers included); existing parameters are kept. A URL that does
 * not parse is returned unchanged.
 */
export function withHandshakeIds(url: string | URL, ids: HandshakeIds): string {
  try {
    const parsed = new URL(String(url));
    parsed.searchParams.set(HANDSHAKE_SESSION_PARAM, ids.sessionId);
    parsed.searchParams.set(HANDSHAKE_CONNECTION_PARAM, ids.connectionId);
    return parsed.href;
  } catch {
    return String(url);
  }
}

/** server.address (host name, lowercased, without port) and server.port of a URL, with the scheme's default port. */
export function serverOfUrl(url: string | URL): Pick<ConnectionOptions, 'serverAddress' | 'serverPort'> {
  try {
    const parsed = new URL(String(url));
    const port = Number(parsed.port) || (/^(wss|https):$/.test(parsed.protocol) ? 443 : 80);
    return parsed.hostname ? { serverAddress: unbracketed(parsed.hostname), serverPort: port } : {};
  } catch {
    return {};
  }
}

/**
 * The identity a server-side connection handle should report for an
 * upgrade `request` (Node's IncomingMessage, or anything with `url` and
 * `headers.host`): the client's session and connection ids from the
 * handshake parameters, and server.address / server.port from the Host
 * header. Missing parts are left out; never throws.
 *
 * @example
 * wss.on('connection', (ws, request) => {
 *   instrumentWebSocket(ws, tracker.connection(handshakeIdentity(request)), { role: 'server' });
 * });
 */
export function handshakeIdentity(request: { url?: string | undefined; headers?: { host?: string | undefined } | undefined }): HandshakeIdentity {
  try {
    const host = request.headers?.host;
    const parsed = new URL(request.url ?? '/', `ws://${host || 'localhost'}`);
    const sessionId = parsed.searchParams.get(HANDSHAKE_SESSION_PARAM);
    const connectionId = parsed.searchParams.get(HANDSHAKE_CONNECTION_PARAM);
    return {
      ...(host ? serverOfUrl(parsed) : {}),
      ...(sessionId ? { sessionId } : {}),
      ...(connectionId ? { connectionId } : {}),
    };
  } catch {
    return {};
  }
}

/** `[::1]` as `::1`, as server.address carries IPv6 addresses. */
function unbracketed(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}
