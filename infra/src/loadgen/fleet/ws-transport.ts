import type { ResilientWebSocketOptions } from '@tunnelvision/sdk';
import { WebSocket } from 'ws';
import type { ClientTiming } from './client-timing.js';
import type { FleetTransport } from './fleet-transport.js';
import { Gateway } from './gateway.js';
import { VirtualClient } from './virtual-client.js';

/** The SDK's own protocol: ResilientWebSocket clients on ResilientServer gateways (sessions resume on any gateway of the fleet). */
export const wsTransport: FleetTransport = {
  name: 'ws',
  startGateway: (spec) => Gateway.start(spec),
  createClient: (spec) =>
    new VirtualClient({
      url: `ws://${spec.host}:${spec.port}/chat`,
      sessionId: spec.sessionId,
      room: spec.room,
      tunnel: spec.tunnel,
      service: spec.service,
      socketOptions: socketOptions(spec.timing, spec.maxQueueSize),
      ...(spec.flagVariant === undefined ? {} : { flagVariant: spec.flagVariant }),
      serverAddress: spec.serverAddress,
      tracker: spec.tracker,
      counters: spec.counters,
      notable: spec.notable,
      ...(spec.truth === undefined ? {} : { truth: spec.truth }),
    }),
};

function socketOptions(timing: ClientTiming, maxQueueSize: number | undefined): ResilientWebSocketOptions {
  return {
    WebSocket,
    heartbeatIntervalMillis: timing.heartbeatIntervalMillis,
    pongTimeoutMillis: timing.pongTimeoutMillis,
    connectTimeoutMillis: timing.connectTimeoutMillis,
    maxDelayMillis: timing.maxDelayMillis,
    minInitialDelayMillis: timing.minInitialDelayMillis,
    maxInitialDelayMillis: timing.maxInitialDelayMillis,
    jitterRatio: timing.jitterRatio,
    // Demo users never give up; the backoff cap bounds how often they try.
    maxRetries: Number.POSITIVE_INFINITY,
    ...(maxQueueSize === undefined ? {} : { maxQueueSize }),
  };
}
