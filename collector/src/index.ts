// Public surface of @tunnelvision/collector.
export { startCollector } from './collector.js';
export type { RunningCollector } from './collector.js';
export { loadCollectorConfig, configHelp } from './config/collector-config.js';
export type { CollectorConfig } from './config/collector-config.js';
export { ConfigError, OtlpDecodeError, QueryParamError, StoreError } from './errors.js';
export { SERIES_METRICS } from './query/series-query.js';
export type { SeriesResponse, SeriesPoint } from './query/series-query.js';
export type { TimelineResponse, TimelineEvent } from './query/timeline-query.js';
export type { Deploy } from './query/deploys.js';
