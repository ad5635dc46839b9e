import {
  ATTR_CLOSE_CLEAN,
  ATTR_CLOSE_CODE,
  ATTR_CLOSE_REASON,
  ATTR_CONNECTION_ATTEMPT,
  ATTR_CONNECTION_DOWNTIME_MS,
  ATTR_CONNECTION_DURATION_MS,
  ATTR_CONNECTION_ID,
  ATTR_DEPLOYMENT_ENVIRONMENT,
  ATTR_EVENT_NAME,
  ATTR_HEARTBEAT_MISSED,
  ATTR_HEARTBEAT_RTT_MS,
  ATTR_MESSAGE_ATTEMPT,
  ATTR_MESSAGE_CHANNEL,
  ATTR_MESSAGE_DROP_REASON,
  ATTR_MESSAGE_EXPECTED_SEQ,
  ATTR_MESSAGE_GOT_SEQ,
  ATTR_MESSAGE_ID,
  ATTR_MESSAGE_LATENCY_MS,
  ATTR_MESSAGE_SEQ,
  ATTR_QUEUE_DEPTH,
  ATTR_RECONNECT_ATTEMPT,
  ATTR_RECONNECT_DELAY_MS,
  ATTR_RECONNECT_JITTER_MS,
  ATTR_RESUME_LAST_SEQ,
  ATTR_RESUME_OUTCOME,
  ATTR_RESUME_REPLAYED,
  ATTR_ROLE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_SESSION_ID,
  ATTR_STATE_FROM,
  ATTR_STATE_TO,
  ATTR_USER_ID,
} from '@tunnelvision/semconv';

/**
 * How attributes of docs/semconv.md land in the typed columns of `logs`.
 * A record's own attributes win over its resource's. A value that does not
 * parse as its column's type leaves the column at its default; the raw
 * value is still in the attribute map.
 */
export interface SemconvColumns {
  EventName: string;
  ServiceVersion: string;
  Environment: string;
  ServerAddress: string;
  Role: string;
  UserId: string;
  SessionId: string;
  ConnectionId: string;
  MessageId: string;
  MessageSeq: number | null;
  Channel: string;
  CloseCode: number;
  CloseReason: string;
  CloseClean: boolean | null;
  Attempt: number;
  DelayMs: number | null;
  JitterMs: number | null;
  LatencyMs: number | null;
  DurationMs: number | null;
  DowntimeMs: number | null;
  RttMs: number | null;
  MissedCount: number;
  StateFrom: string;
  StateTo: string;
  DropReason: string;
  ResumeOutcome: string;
  ResumeLastSeq: number | null;
  ReplayedCount: number | null;
  ExpectedSeq: number | null;
  GotSeq: number | null;
  QueueDepth: number | null;
}

type Lookup = (key: string) => string | undefined;

const text = (get: Lookup, key: string): string => get(key) ?? '';
const float = (get: Lookup, key: string, allowNegative = false): number | null => {
  const raw = get(key);
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) && (allowNegative || n >= 0) ? n : null;
};
const int = (get: Lookup, key: string): number | null => {
  const raw = get(key);
  if (raw === undefined || !/^-?\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
};
const uint = (get: Lookup, key: string, max: number): number | null => {
  const n = int(get, key);
  return n !== null && n >= 0 && n <= max ? n : null;
};
const UINT32_MAX = 4_294_967_295;

/** Identity read from the resource alone; computed once per resource. */
export interface ResourceIdentity {
  serviceName: string;
  serviceVersion: string;
  environment: string;
}

export function resourceIdentity(resource: Readonly<Record<string, string>>): ResourceIdentity {
  return {
    serviceName: resource[ATTR_SERVICE_NAME] ?? '',
    serviceVersion: resource[ATTR_SERVICE_VERSION] ?? '',
    environment: resource[ATTR_DEPLOYMENT_ENVIRONMENT] ?? resource['deployment.environment'] ?? '',
  };
}

/** Typed columns for one log record. `eventName` is the record's field, which wins over the attribute. */
export function semconvColumns(
  attributes: Readonly<Record<string, string>>,
  resource: Readonly<Record<string, string>>,
  identity: ResourceIdentity,
  eventName: string | undefined,
): SemconvColumns {
  const get: Lookup = (key) => attributes[key] ?? resource[key];
  const closeClean = get(ATTR_CLOSE_CLEAN);
  return {
    EventName: eventName || text(get, ATTR_EVENT_NAME),
    ServiceVersion: attributes[ATTR_SERVICE_VERSION] ?? identity.serviceVersion,
    Environment: attributes[ATTR_DEPLOYMENT_ENVIRONMENT] ?? identity.environment,
    ServerAddress: text(get, ATTR_SERVER_ADDRESS),
    Role: text(get, ATTR_ROLE),
    UserId: text(get, ATTR_USER_ID),
    SessionId: text(get, ATTR_SESSION_ID),
    ConnectionId: text(get, ATTR_CONNECTION_ID),
    MessageId: text(get, ATTR_MESSAGE_ID),
    MessageSeq: int(get, ATTR_MESSAGE_SEQ),
    Channel: text(get, ATTR_MESSAGE_CHANNEL),
    CloseCode: uint(get, ATTR_CLOSE_CODE, 65_535) ?? 0,
    CloseReason: text(get, ATTR_CLOSE_REASON),
    CloseClean: closeClean === 'true' ? true : closeClean === 'false' ? false : null,
    Attempt:
      uint(get, ATTR_RECONNECT_ATTEMPT, UINT32_MAX) ??
      uint(get, ATTR_MESSAGE_ATTEMPT, UINT32_MAX) ??
      uint(get, ATTR_CONNECTION_ATTEMPT, UINT32_MAX) ??
      0,
    DelayMs: float(get, ATTR_RECONNECT_DELAY_MS),
    // Jitter is ± around the base delay, so it may be negative.
    JitterMs: float(get, ATTR_RECONNECT_JITTER_MS, true),
    LatencyMs: float(get, ATTR_MESSAGE_LATENCY_MS),
    DurationMs: float(get, ATTR_CONNECTION_DURATION_MS),
    DowntimeMs: float(get, ATTR_CONNECTION_DOWNTIME_MS),
    RttMs: float(get, ATTR_HEARTBEAT_RTT_MS),
    MissedCount: uint(get, ATTR_HEARTBEAT_MISSED, UINT32_MAX) ?? 0,
    StateFrom: text(get, ATTR_STATE_FROM),
    StateTo: text(get, ATTR_STATE_TO),
    DropReason: text(get, ATTR_MESSAGE_DROP_REASON),
    ResumeOutcome: text(get, ATTR_RESUME_OUTCOME),
    ResumeLastSeq: int(get, ATTR_RESUME_LAST_SEQ),
    ReplayedCount: uint(get, ATTR_RESUME_REPLAYED, UINT32_MAX),
    ExpectedSeq: int(get, ATTR_MESSAGE_EXPECTED_SEQ),
    GotSeq: int(get, ATTR_MESSAGE_GOT_SEQ),
    QueueDepth: uint(get, ATTR_QUEUE_DEPTH, UINT32_MAX),
  };
}
