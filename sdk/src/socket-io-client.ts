// Public surface of @tunnelvision/sdk/socket.io-client: the Socket.IO client
// integration, apart so that apps without Socket.IO never bundle it.
export { instrumentSocketIoClient } from './integrations/socket-io/instrument-socket-io-client.js';
export type { InstrumentSocketIoClientOptions, SocketIoInstrumentation } from './integrations/socket-io/instrument-socket-io-client.js';
export { MESSAGE_ID_KEY as SOCKET_IO_MESSAGE_ID_KEY } from './integrations/socket-io/message-id-marker.js';
export { TRANSPORT_ATTRIBUTE as SOCKET_IO_TRANSPORT_ATTRIBUTE } from './integrations/socket-io/transport-attribute.js';
