// Public surface of @tunnelvision/sdk/node: OpenTelemetry set-up for Node
// processes and the resilient server helper (both need Node APIs and `ws`).
export { setupNodeTelemetry } from './export/node/setup-node-telemetry.js';
export type { NodeTelemetry, NodeTelemetryOptions } from './export/node/node-telemetry-options.js';
export { DEFAULT_OTLP_ENDPOINT } from './export/node/otlp-endpoint.js';
export { ResilientServer } from './server/resilient-server.js';
export type {
  InboundMessage,
  SessionConnectedEvent,
  SessionDisconnectedEvent,
  SessionExpiredEvent,
  ResilientServerEventMap,
  ResilientServerSendOptions,
} from './server/resilient-server-events.js';
export { RESILIENT_SERVER_DEFAULTS } from './server/resilient-server-options.js';
export type { ResilientServerOptions } from './server/resilient-server-options.js';
export { SessionStore } from './server/session-store.js';
