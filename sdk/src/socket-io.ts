// Public surface of @tunnelvision/sdk/socket.io: the Socket.IO server
// integration, apart so that servers without Socket.IO never load it.
export { instrumentSocketIoServer } from './integrations/socket-io/instrument-socket-io-server.js';
export type { InstrumentSocketIoServerOptions } from './integrations/socket-io/instrument-socket-io-server.js';
export { MESSAGE_ID_KEY as SOCKET_IO_MESSAGE_ID_KEY } from './integrations/socket-io/message-id-marker.js';
export { TRANSPORT_ATTRIBUTE as SOCKET_IO_TRANSPORT_ATTRIBUTE } from './integrations/socket-io/transport-attribute.js';
