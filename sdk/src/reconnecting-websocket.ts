// Public surface of @tunnelvision/sdk/reconnecting-websocket: partysocket's and reconnecting-websocket's sockets, instrumented in one call.
export { instrumentReconnectingWebSocket } from './integrations/reconnecting-websocket/instrument-reconnecting-web-socket.js';
export type { InstrumentReconnectingWebSocketOptions } from './integrations/reconnecting-websocket/instrument-reconnecting-web-socket.js';
export type { ReconnectingSocketLike, ReconnectingSocketOptions } from './integrations/reconnecting-websocket/reconnecting-socket-types.js';
