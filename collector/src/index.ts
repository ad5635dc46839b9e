// Public surface of @tunnelvision/collector.
export { startCollector } from './collector.js';
export type { RunningCollector } from './collector.js';
export { loadCollectorConfig, configHelp } from './config/collector-config.js';
export type { CollectorConfig } from './config/collector-config.js';
export { ConfigError, OtlpDecodeError, QueryParamError, StoreError } from './errors.js';
export { SERIES_METRICS } from './query/series-query.js';
export type {
  SeriesPoint,
  SeriesResponse,
  SeriesMetric,
  CloseCodeCount,
  CloseCodesResponse,
  LabelsResponse,
  Deploy,
  DeploysResponse,
  WindowStats,
  DeployImpact,
  LookupKind,
  TimelineEvent,
  VerdictKind,
  MessageVerdict,
  TimelineResponse,
} from './api-types.js';
