/**
 * Response shapes of the collector's query API (docs/api.md): the one
 * definition the query code returns and API clients (the dashboard) read,
 * published as '@tunnelvision/collector/api-types'. Types only, with no
 * imports, so a client takes them without loading any collector code.
 */

/** The series GET /api/v1/overview returns: what the overview's charts and stat cards draw. */
export type OverviewSeriesMetric =
  | 'active_connections'
  | 'reconnects'
  | 'latency_p50'
  | 'latency_p95'
  | 'latency_p99'
  | 'abnormal_closes'
  | 'closes'
  | 'failed_attempts'
  | 'messages_lost';

/**
 * GET /api/v1/overview: in one response, what the overview page shows for a
 * window and filters. Each part equals what its own route returns for the
 * same window and filters (series, close-codes, deploys with limit 200,
 * labels unfiltered).
 */
export interface OverviewResponse {
  from: string;
  to: string;
  step_seconds: number;
  /** One GET /api/v1/series answer per overview metric, all with the same buckets. */
  series: Record<OverviewSeriesMetric, SeriesResponse>;
  close_codes: CloseCodesResponse;
  /** Deploy markers of the filtered service and environment (version and server do not apply), the newest 200. */
  deploys: DeploysResponse;
  /** Values each filter can take in the window, unfiltered (for filter pickers). */
  labels: LabelsResponse;
}

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
  | 'active_connections'
  | 'connection_reliability'
  | 'connect_success_ratio'
  | 'delivery_success'
  | 'zombie_connections'
  | 'replays'
  | 'auth_failures'
  | 'queue_depth_p95';

/** The reliability measures of docs/objectives.md. */
export type ReliabilityMeasure = 'connection_reliability' | 'connect_success_ratio' | 'delivery_success' | 'zombie_connections' | 'replays' | 'auth_failures';

/** One measure over a window: good / total (for the counted measures, the events counted / what they are out of). */
export interface MeasureValue {
  /** good / total, 0..1; null when total is 0. */
  value: number | null;
  /** Connected samples, opened attempts, messages acked in time; or zombies, replays, auth failures. */
  good: number;
  /** Wanted samples, attempts, messages sent; or closes, messages sent, attempts. */
  total: number;
}

/** A cohort condition: the attribute and its value. */
export interface CohortConditionBody {
  key: string;
  value: string;
}

/** Queue depth over a window, from the tv.queue.depth of the SDK's events. */
export interface QueueDepthValue {
  p95: number | null;
  max: number | null;
  samples: number;
}

/** GET /api/v1/reliability: every measure as a total over [from, to). */
export interface ReliabilityResponse {
  from: string;
  to: string;
  cohort: CohortConditionBody[];
  /** The cohort in words: `feature_flag.resilience=on`, or `all clients`. */
  cohort_label: string;
  latency_threshold_ms: number;
  ack_window_ms: number;
  measures: Record<ReliabilityMeasure, MeasureValue>;
  queue_depth: QueueDepthValue;
}

/** One measure of two cohorts side by side, with a two-proportion z-test. */
export interface CohortMeasureComparison {
  measure: ReliabilityMeasure;
  /** Whether a higher value is better (connection reliability) or worse (zombies). */
  higher_is_better: boolean;
  a: MeasureValue;
  b: MeasureValue;
  /** a.value - b.value; null when either is null. */
  difference: number | null;
  z: number | null;
  /** Two-sided p-value of the z-test; null when it cannot be computed. */
  p_value: number | null;
  /** 'a' or 'b' when the difference is more than noise (p < 0.05), else null. */
  better: 'a' | 'b' | null;
  /** The comparison in one plain sentence. */
  statement: string;
  /** What this measure cannot see, when that can mislead a comparison (docs/objectives.md); null otherwise. */
  caveat: string | null;
}

/** GET /api/v1/reliability/compare. */
export interface CohortComparisonResponse {
  from: string;
  to: string;
  a: { cohort: CohortConditionBody[]; label: string };
  b: { cohort: CohortConditionBody[]; label: string };
  latency_threshold_ms: number;
  significance_level: number;
  measures: CohortMeasureComparison[];
  queue_depth: { a: QueueDepthValue; b: QueueDepthValue };
}

/** An hour that spent an objective's error budget, for links into the Overview. */
export interface BudgetBurn {
  from: string;
  to: string;
  bad: number;
  total: number;
  /** Share of the window's whole error budget this hour spent. */
  budget_share: number;
}

/** One objective of GET /api/v1/objectives. */
export interface ObjectiveStatus {
  id: string;
  name: string;
  measure: 'connection_reliability' | 'connect_success_ratio' | 'delivery_success';
  target: number;
  window: '30d' | '90d';
  latency_threshold_ms?: number;
  from: string;
  to: string;
  /** good / total over the window; null with nothing to count. */
  attainment: number | null;
  good: number;
  total: number;
  /** 1 - (1 - attainment) / (1 - target): 1 untouched, 0 spent, negative overspent; 1 with nothing counted. */
  error_budget_remaining: number;
  /** (1 - attainment) / (1 - target) over the trailing hour, six hours and the whole window; 0 with nothing counted. */
  burn_rate: { '1h': number; '6h': number; window: number };
  /** The hours that spent the most budget, worst first (at most 5). */
  worst_hours: BudgetBurn[];
}

/** GET /api/v1/objectives. */
export interface ObjectivesResponse {
  evaluated_at: string;
  objectives: ObjectiveStatus[];
}

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
  /** Share of closes with an abnormal code (1006, 1011, 1014, 1015), 0..1; null with no closes. */
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
  /** True when the close code is one the conventions count as abnormal (the connection broke: ABNORMAL_CLOSE_CODES). */
  close_abnormal?: boolean;
  close_reason?: string;
  close_clean?: boolean;
  /** True on the `conn.close` of an attempt that never opened (no `duration_ms`): a failed attempt, not a lost connection. */
  failed_attempt?: boolean;
  /** Failed attempts: why it never opened (`tv.connection.failure`, else inferred from `error_type` / `http_status`): refused, dns, tls, timeout, rejected, network or unknown. */
  connection_failure?: string;
  /** `error.type`, e.g. "ECONNREFUSED"; on a failed attempt, taken from its connection's `conn.error` when the close has none. */
  error_type?: string;
  /** Failed attempts rejected by the server: the HTTP status of the refused upgrade (`http.response.status_code`). */
  http_status?: number;
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
  /** `tv.event.seq`: the producer's emission order on this connection (per side), which orders events of the same instant. */
  event_seq?: number;
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
  /** The session that carried this journey; absent when its events carry none. Ids are unique within a session, so one id in two sessions is two journeys. */
  session_id?: string;
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
  lookup: {
    key: LookupKind;
    value: string;
    /** message_id lookups: how many separate journeys (one per session) carried the id; more than 1 means sessions reused it. */
    journeys?: number;
  };
  from: string;
  to: string;
  events: TimelineEvent[];
  /** A plain-language verdict for each message in `events`. */
  messages: MessageVerdict[];
  /** True when more events matched than `limit`; narrow the time range to see the rest. */
  truncated: boolean;
  /** Plain sentences about the lookup itself, to read before the events (an id that matched several journeys; a user id stored hashed). */
  notes: string[];
  /** user_id lookups that found nothing: whether the id is stored hashed, so the hash can be looked up instead. */
  user_id_hint?: UserIdHint;
}

/** Why a user id may have found nothing: the SDK hashes user ids (`tv.user.id_hashed`). */
export interface UserIdHint {
  /** The hex SHA-256 of the id looked up, first 32 characters: what the SDK stores when it hashes user ids. */
  hashed_user_id: string;
  /** Events stored under that hash in the range (a lookup by it would find them). */
  hashed_matches: number;
  /** Services that marked user ids as hashed (`tv.user.id_hashed` = true) in the range, at most 20. */
  hashing_services: string[];
}

// ---------------------------------------------------------------------------
// Alerting (docs/alerts.md, docs/api.md)

/** How a rule decides: a fixed comparison, a learned baseline, or an objective's error-budget burn. */
export type AlertRuleKind = 'threshold' | 'anomaly' | 'burn_rate';

/** `page` wakes someone; `ticket` can wait for working hours; `info` only shows on the dashboard. */
export type AlertSeverity = 'page' | 'ticket' | 'info';

/** Where a rule comes from: shipped with the collector, ALERT_RULES_FILE, or the API. */
export type AlertRuleSource = 'builtin' | 'file' | 'api';

/** Signals threshold and anomaly rules can watch (per group, over the rule's window). */
export type AlertSignal =
  | 'reconnects'
  | 'reconnect_attempts'
  | 'abnormal_closes'
  | 'closes'
  | 'failed_attempts'
  | 'messages_sent'
  | 'messages_lost'
  | 'heartbeat_timeouts'
  | 'latency_p50'
  | 'latency_p95'
  | 'latency_p99';

/** Objectives burn-rate rules watch: each is a ratio of bad events to all events. */
export type AlertObjective = 'delivery_latency' | 'message_loss' | 'connect_success' | 'connection_reliability' | 'delivery_success';

/** Labels an alert can be grouped by (one alert per distinct combination). */
export type AlertGroupLabel = 'service' | 'environment' | 'server';

/** One long/short window pair of a burn-rate rule (SRE workbook, multiwindow multi-burn-rate). */
export interface BurnRateWindow {
  /** e.g. "1h". */
  long: string;
  /** e.g. "5m". */
  short: string;
  /** Burn rate both windows must reach, e.g. 14.4. */
  factor: number;
  severity: AlertSeverity;
}

/** A rule as the API returns it: every field filled in with its effective value. */
export interface AlertRule {
  id: string;
  name: string;
  kind: AlertRuleKind;
  source: AlertRuleSource;
  enabled: boolean;
  severity: AlertSeverity;
  description: string;
  /** Runbook link or text shown with every notification. */
  runbook: string;
  group_by: AlertGroupLabel[];
  /** Only events matching these count (service, environment, server, role). */
  filters: { service?: string; environment?: string; server?: string; role: 'client' | 'server' };
  /** Condition must hold this long before firing (pending meanwhile), e.g. "30s". */
  for: string;
  /** Stays firing this long after the condition clears, so a flapping signal pages once. */
  keep_firing_for: string;
  /** While firing, notify again this often ("0s" never). */
  renotify_every: string;
  /** threshold and anomaly: what is watched and over which trailing window. */
  signal?: AlertSignal;
  window?: string;
  /** threshold: comparison. */
  op?: '>' | '>=' | '<' | '<=';
  value?: number;
  /** anomaly: robust score (median/MAD) to reach, volume guard, and least multiple of the baseline. */
  min_score?: number;
  min_volume?: number;
  min_ratio?: number;
  /** anomaly: days of same-time-of-day history and weeks of same-time-of-week history, and the +/- neighbourhood around that time. */
  baseline_days?: number;
  baseline_weeks?: number;
  baseline_neighbourhood?: string;
  /** burn_rate: objective, its target (0.99 = 99 % good), latency threshold for delivery_latency, and window pairs. */
  objective?: AlertObjective;
  target?: number;
  latency_threshold_ms?: number;
  windows?: BurnRateWindow[];
  /** burn_rate: fewest events in a long window for it to count. */
  min_events?: number;
}

/** A rule with how many of its alerts are active now. */
export interface AlertRuleStatus extends AlertRule {
  /** Worst state among its alerts now: 'inactive' when none is pending or firing. */
  state: 'inactive' | 'pending' | 'firing';
  pending: number;
  firing: number;
  /** Why the rule could not be evaluated in the last cycle (e.g. a store error); null when fine. */
  last_error: string | null;
}

/** GET /api/v1/alerts/rules */
export interface AlertRulesResponse {
  rules: AlertRuleStatus[];
  evaluation_interval_seconds: number;
}

/** The deploy of the alert's service closest before its onset. */
export interface AlertDeploy {
  id: string;
  version: string;
  commit: string;
  environment: string;
  time: string;
  /** Whole minutes (rounded down, may be 0) from the deploy to the alert's onset. */
  minutes_before_onset: number;
}

/** Lifecycle states stored in history. A pending alert that clears before firing ends as 'resolved' with fired_at null. */
export type AlertState = 'pending' | 'firing' | 'resolved';

/** One alert: a rule's condition for one label group, from onset to resolution (an episode). */
export interface AlertInstance {
  /** Stable per episode: `${fingerprint}-${onset epoch ms}`. */
  id: string;
  /** Stable per rule and labels, across episodes. */
  fingerprint: string;
  rule_id: string;
  rule_name: string;
  kind: AlertRuleKind;
  severity: AlertSeverity;
  state: AlertState;
  /** service, environment, server (those the rule groups by). */
  labels: Record<string, string>;
  /** What fired and why, in one plain sentence. */
  summary: string;
  /** The watched value at the last evaluation (per minute for counts, ms for latency, burn rate for burn_rate). */
  value: number | null;
  /** What it was compared with: the threshold, the anomaly threshold derived from the baseline, or the burn-rate factor. */
  threshold: number | null;
  /** anomaly: the learned baseline (median), its spread (scaled MAD) and where it came from. */
  baseline: { median: number; mad: number; samples: number; source: 'seasonal' | 'recent' | 'none' } | null;
  unit: string;
  /** When the condition was first seen (pending since). */
  active_at: string;
  fired_at: string | null;
  resolved_at: string | null;
  /** Last evaluation that touched it. */
  updated_at: string;
  /** Ids of silences muting it now; notifications are held while any matches. */
  silenced_by: string[];
  deploy: AlertDeploy | null;
  /** Dashboard view of the moment it started (ALERT_DASHBOARD_URL). */
  dashboard_url: string;
  runbook: string;
}

/** GET /api/v1/alerts */
export interface AlertsResponse {
  from: string;
  to: string;
  /** Newest first: active ones, then the rest by onset. */
  alerts: AlertInstance[];
  /** Last completed evaluation cycle by any replica; null before the first. */
  evaluated_at: string | null;
}

/** One stored transition (GET /api/v1/alerts/history). */
export interface AlertTransition {
  time: string;
  alert_id: string;
  fingerprint: string;
  rule_id: string;
  from_state: 'inactive' | AlertState;
  to_state: AlertState;
  value: number | null;
  threshold: number | null;
  summary: string;
  labels: Record<string, string>;
  /** Collector replica that evaluated it. */
  replica: string;
}

/** GET /api/v1/alerts/history */
export interface AlertHistoryResponse {
  from: string;
  to: string;
  transitions: AlertTransition[];
  truncated: boolean;
}

/** A silence matcher: label equals (`=`), differs (`!=`) or matches a regular expression (`=~`). */
export interface SilenceMatcher {
  label: string;
  op: '=' | '!=' | '=~';
  value: string;
}

/** A silence (GET/POST /api/v1/silences). It mutes alerts whose labels (plus `rule` = rule id, `severity`) match every matcher. */
export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  starts_at: string;
  ends_at: string;
  created_by: string;
  comment: string;
  created_at: string;
  /** 'active' between starts_at and ends_at, 'pending' before, 'expired' after. */
  state: 'pending' | 'active' | 'expired';
}

/** GET /api/v1/silences */
export interface SilencesResponse {
  silences: Silence[];
}

/**
 * The generic webhook body (ALERT_WEBHOOK_URL). Signed with
 * X-TunnelVision-Signature: sha256=<hex HMAC-SHA256 of the raw body> when
 * ALERT_WEBHOOK_SECRET is set; the Idempotency-Key header equals
 * `idempotency_key` and is the same on every retry of one notification.
 */
export interface AlertNotificationBody {
  /** Payload format version. */
  version: 1;
  /** 'firing' for the first page and reminders, 'resolved' when it ends. */
  status: 'firing' | 'resolved';
  /** 0 for the first firing notification, 1, 2... for reminders (renotify_every). */
  repeat: number;
  idempotency_key: string;
  /** One plain sentence: what fired and why (or that it resolved). */
  text: string;
  alert: AlertInstance;
  /** The tenant the alert belongs to (docs/security.md). */
  tenant: string;
  /** Collector replica that sent it. */
  sent_by: string;
}
