// Public surface of @tunnelvision/test-support: what the workspace's tests
// and benches share. It depends on no workspace package but
// @tunnelvision/semconv, so every other package can use it.
export { seededRandom } from './seeded-random.js';
export { activeConnectionsRequest, double, eventRecord, kv, logsRequest, upDownCounterRequest } from './otlp-json.js';
export type { AttrValue, MetricPoint, OtlpKeyValue } from './otlp-json.js';
export { CHROMIUM_PATH, launchChromium } from './launch-chromium.js';
export { TcpTunnel } from './tcp-tunnel.js';
export { BROWSER_BUNDLE_BUDGET_BYTES, OPENTELEMETRY_BROWSER_SETUP } from './bundle-baseline.js';
export { measureBrowserBundle } from './browser-bundle.js';
export type { BrowserBundleEntry, BrowserBundleSize } from './browser-bundle.js';
export { graphQLTestSchema } from './graphql-test-schema.js';
export { pingAndTerminateDead } from './app-heartbeat.js';
