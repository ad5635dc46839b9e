import type { FleetTransport } from './fleet-transport.js';
import { SocketIoGateway, type SocketIoHeartbeat } from './socket-io-gateway.js';
import { SocketIoVirtualClient } from './socket-io-virtual-client.js';

/** Socket.IO: socket.io-client users on Socket.IO Server gateways, each instrumented with the SDK's one-call integration. */
export function socketIoTransport(heartbeat: SocketIoHeartbeat): FleetTransport {
  return {
    name: 'socket.io',
    startGateway: (spec) => SocketIoGateway.start(spec, heartbeat),
    createClient: (spec) => new SocketIoVirtualClient(spec),
  };
}
