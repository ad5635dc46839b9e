/**
 * Response shapes of the collector's query API (docs/api.md): the one
 * definition the query code returns and API clients (the dashboard) read,
 * published as '@tunnelvision/collector/api-types'. Types only, with no
 * imports, so a client takes them without loading any collector code.
 */

/** One bucket of GET /api/v1/series. */
export interface SeriesPoint {
  /** Bucket start, ISO 8601 UTC. */
  t: string;
  /** Count per bucket (zero-filled) or a measurement (null when there was no data). */
  v: number | null;
}

/** GET /api/v1/series */
export interface SeriesResponse {
  metric: SeriesMetric;
  unit: string;
  description: string;
  from: string;
  to: string;
  step_seconds: number;
  points: SeriesPoint[];
}

/** Metrics GET /api/v1/series serves. */
export type SeriesMetric =
  | 'reconnects'
  | 'reconnect_attempts'
  | 'abnormal_closes'
  | 'closes'
  | 'failed_attempts'
  | 'messages_lost'
  | 'latency_p50'
  | 'latency_p90'
  | 'latency_p95'
  | 'latency_p99'
  | 'active_connections';

/** One row of GET /api/v1/close-codes. */
export interface CloseCodeCount {
  code: number;
  /** "1006: connection lost without a close frame". */
  meaning: string;
  abnormal: boolean;
  count: number;
  /** Share of all closes in the range, 0..1. */
  share: number;
}

/** GET /api/v1/close-codes */
export interface CloseCodesResponse {
  from: string;
  to: string;
  total: number;
  codes: CloseCodeCount[];
}

/** GET /api/v1/labels: values the filters can take in the range. */
export interface LabelsResponse {
  from: string;
  to: string;
  services: string[];
  environments: string[];
  versions: string[];
  servers: string[];
}

/** A deploy marker (POST/GET /api/v1/deploys). */
export interface Deploy {
  id: string;
  /** ISO 8601 UTC. */
  time: string;
  service: string;
  version: string;
  environment: string;
  commit: string;
  description: string;
}

/** GET /api/v1/deploys: oldest first. */
export interface DeploysResponse {
  from: string;
  to: string;
  deploys: Deploy[];
  truncated: boolean;
}

/** One side (before or after) of a deploy's impact. */
export interface WindowStats {
  reconnects: number;
  reconnects_per_minute: number;
  peak_reconnects_per_minute: number;
  closes: number;
  abnormal_closes: number;
  /** Share of closes that were 1006, 0..1; null with no closes. */
  abnormal_close_share: number | null;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  latency_p99_ms: number | null;
}

/** GET /api/v1/deploys/{id}/impact */
export interface DeployImpact {
  deploy: Deploy;
  window_seconds: number;
  before: WindowStats;
  after: WindowStats;
  recovery: {
    /** Clients (sessions) whose open connection closed, other than normally (1000), in the window after the deploy. */
    clients_dropped: number;
    /** Of those, clients that reconnected within the window. */
    clients_back: number;
    /** Null when fewer than 95% of the dropped clients came back within the window. */
    seconds_to_95_percent_back: number | null;
  };
  herd: {
    /** Share of post-deploy reconnects in the busiest single second, 0..1. */
    peak_second_share: number | null;
    /** Seconds between the 10th and 90th percentile reconnect; jitter widens it. */
    spread_seconds: number | null;
    /** Reconnects came all at once instead of spread by jitter. */
    thundering_herd: boolean;
  };
}

/** The id kinds GET /api/v1/timeline can look up by. */
export type LookupKind = 'user_id' | 'session_id' | 'connection_id' | 'message_id';

/** One event of a timeline; fields that do not apply are absent. */
export interface TimelineEvent {
  time: string;
  time_unix_nano: string;
  event?: string;
  service?: string;
  service_version?: string;
  environment?: string;
  server_address?: string;
  role?: string;
  user_id?: string;
  session_id?: string;
  connection_id?: string;
  message_id?: string;
  message_seq?: number;
  channel?: string;
  close_code?: number;
  /** The close code in words, e.g. "1006: connection lost without a close frame". */
  close_meaning?: string;
  close_reason?: string;
  close_clean?: boolean;
  attempt?: number;
  delay_ms?: number;
  jitter_ms?: number;
  latency_ms?: number;
  duration_ms?: number;
  downtime_ms?: number;
  rtt_ms?: number;
  missed_count?: number;
  state_from?: string;
  state_to?: string;
  drop_reason?: string;
  resume_outcome?: string;
  resume_last_seq?: number;
  replayed_count?: number;
  expected_seq?: number;
  got_seq?: number;
  queue_depth?: number;
  severity?: string;
  body?: string;
  attributes?: Record<string, string>;
}

/** What happened to one message, as the collector words it. */
export type VerdictKind =
  | 'delivered'
  | 'delivered_late'
  | 'replayed'
  | 'duplicate_suppressed'
  | 'dropped'
  | 'never_acked'
  | 'in_flight'
  | 'queued'
  | 'received';

/** One entry of the timeline's `messages`. */
export interface MessageVerdict {
  message_id: string;
  verdict: VerdictKind;
  /** One sentence a support agent can paste into the ticket. */
  summary: string;
  latency_ms?: number;
  drop_reason?: string;
  resends: number;
  first_seen: string;
  last_seen: string;
}

/** GET /api/v1/timeline */
export interface TimelineResponse {
  lookup: { key: LookupKind; value: string };
  from: string;
  to: string;
  events: TimelineEvent[];
  /** A plain-language verdict for each message in `events`. */
  messages: MessageVerdict[];
  /** True when more events matched than `limit`; narrow the time range to see the rest. */
  truncated: boolean;
}
