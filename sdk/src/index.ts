// Public surface of @tunnelvision/sdk. The tracker, instrumentation and
// reference client arrive with issue 3; today the package carries the
// conventions that the collector relies on.
export { SEMCONV_VERSION, SEMCONV_SCHEMA_URL, EVENT_NAMES, METRICS } from './semconv/index.js';
export type { EventName, MetricConvention } from './semconv/index.js';
