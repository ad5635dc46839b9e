// Public surface of @tunnelvision/sdk/node: OpenTelemetry set-up for Node processes.
export { setupNodeTelemetry } from './export/node/setup-node-telemetry.js';
export type { NodeTelemetry, NodeTelemetryOptions } from './export/node/node-telemetry-options.js';
export { DEFAULT_OTLP_ENDPOINT } from './export/node/otlp-endpoint.js';
