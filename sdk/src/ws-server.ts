// Public surface of @tunnelvision/sdk/ws-server: any `ws` WebSocketServer, instrumented in one call.
export { instrumentWebSocketServer } from './integrations/ws-server/instrument-web-socket-server.js';
export type { InstrumentWebSocketServerOptions, DetachServerInstrumentation } from './integrations/ws-server/instrument-web-socket-server.js';
export type { ServerMessageIds } from './integrations/ws-server/instrument-server-socket.js';
export { ATTR_MESSAGES_SENT, ATTR_MESSAGES_RECEIVED, ATTR_BUFFERED_MAX } from './integrations/ws-server/instrument-server-socket.js';
export type { WsServerLike, WsServerSocketLike, UpgradeRequestLike } from './integrations/ws-server/ws-server-types.js';
