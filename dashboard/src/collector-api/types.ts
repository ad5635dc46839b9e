// The collector's response shapes, from their one definition (types only:
// nothing of the collector is loaded into the dashboard).
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
} from '@tunnelvision/collector/api-types';
