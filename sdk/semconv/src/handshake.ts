/**
 * How a client tells the server which session and connection a WebSocket
 * handshake belongs to, so both sides report one connection under the same
 * ids: query parameters on the URL of the upgrade request (any WebSocket
 * client can set them, browsers included). The server instrumentation adopts
 * them; a server without it just ignores two unknown parameters.
 */
export const HANDSHAKE_SESSION_PARAM = 'tv_session';
export const HANDSHAKE_CONNECTION_PARAM = 'tv_connection';
