// Public surface of @tunnelvision/collector.
export { startCollector } from './collector.js';
export type { RunningCollector, CollectorHooks } from './collector.js';
export { withOfflineAccess } from './auth/offline-access.js';
export type { AccessControl } from './auth/access-control.js';
export { SIGNATURE_HEADER, signWebhookBody, verifyWebhookSignature } from './alerts/notify/webhook-signature.js';
export { COLLECTOR_ENV_NAMES, loadCollectorConfig, configHelp } from './config/collector-config.js';
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
  UserIdHint,
  AlertRule,
  AlertRuleStatus,
  AlertRulesResponse,
  AlertInstance,
  AlertsResponse,
  AlertTransition,
  AlertHistoryResponse,
  AlertNotificationBody,
  Silence,
  SilenceMatcher,
  SilencesResponse,
} from './api-types.js';
