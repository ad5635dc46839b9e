-- Alerting: 10-second rollups for sub-minute detection, and the alert
-- evaluator's own state (rules added through the API, silences, the history
-- of every transition, the leader lease). docs/alerts.md explains each.

-- Event counts per 10 seconds. The per-minute rollups cannot tell a storm
-- that began 5 s ago; scanning the raw table for the recent window costs more
-- the busier the system is. These are small (a row per group, event kind and
-- 10 s) and kept only as long as the longest alert window needs.
CREATE TABLE IF NOT EXISTS {{db}}.events_10s {{on_cluster}}
(
    Bucket         DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName    LowCardinality(String),
    Environment    LowCardinality(String),
    ServerAddress  LowCardinality(String),
    Role           LowCardinality(String),
    EventName      LowCardinality(String),
    IsReconnect    UInt8,
    FailedAttempt  UInt8,
    CloseCode      UInt16,
    Events         SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toDate(Bucket)
ORDER BY (Bucket, ServiceName, Environment, ServerAddress, Role, EventName, IsReconnect, FailedAttempt, CloseCode)
TTL Bucket + toIntervalDay(8)
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.events_10s_mv {{on_cluster}} TO {{db}}.events_10s AS
SELECT
    toStartOfInterval(Timestamp, toIntervalSecond(10)) AS Bucket,
    ServiceName,
    Environment,
    ServerAddress,
    Role,
    EventName,
    toUInt8(EventName = 'conn.open' AND DowntimeMs IS NOT NULL) AS IsReconnect,
    toUInt8(EventName = 'conn.close' AND DurationMs IS NULL) AS FailedAttempt,
    CloseCode,
    count() AS Events
FROM {{db}}.logs
WHERE EventName IN ('conn.open', 'conn.close', 'conn.reconnect.scheduled', 'conn.heartbeat.missed', 'msg.sent', 'msg.acked', 'msg.dropped')
GROUP BY Bucket, ServiceName, Environment, ServerAddress, Role, EventName, IsReconnect, FailedAttempt, CloseCode;

-- Delivery latency per 10 seconds: t-digest states for percentiles, and a
-- log-scale histogram (bucket i holds latencies in (1.05^(i-1), 1.05^i] ms)
-- so a latency objective can count acks slower than any target within 5 %.
CREATE TABLE IF NOT EXISTS {{db}}.latency_10s {{on_cluster}}
(
    Bucket         DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName    LowCardinality(String),
    Environment    LowCardinality(String),
    ServerAddress  LowCardinality(String),
    Role           LowCardinality(String),
    Latency        AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Float64),
    Histogram      SimpleAggregateFunction(sumMap, Tuple(Array(UInt16), Array(UInt64))),
    Count          SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toDate(Bucket)
ORDER BY (Bucket, ServiceName, Environment, ServerAddress, Role)
TTL Bucket + toIntervalDay(8)
SETTINGS ttl_only_drop_parts = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.latency_10s_mv {{on_cluster}} TO {{db}}.latency_10s AS
SELECT
    toStartOfInterval(Timestamp, toIntervalSecond(10)) AS Bucket,
    ServiceName,
    Environment,
    ServerAddress,
    Role,
    quantilesTDigestState(0.5, 0.95, 0.99)(assumeNotNull(LatencyMs)) AS Latency,
    sumMap([toUInt16(least(1000, greatest(0, ceil(log(greatest(assumeNotNull(LatencyMs), 1)) / log(1.05)))))], [toUInt64(1)]) AS Histogram,
    count() AS Count
FROM {{db}}.logs
WHERE EventName = 'msg.acked' AND LatencyMs IS NOT NULL
GROUP BY Bucket, ServiceName, Environment, ServerAddress, Role;

-- Rules added or changed through the API (built-in and file rules live in
-- code and ALERT_RULES_FILE). The newest version of a rule wins; a deleted
-- rule keeps a row with Deleted = 1.
CREATE TABLE IF NOT EXISTS {{db}}.alert_rules {{on_cluster}}
(
    Id         String,
    Definition String CODEC(ZSTD(1)),
    Deleted    UInt8,
    UpdatedAt  DateTime64(3)
)
ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY Id;

-- Silences; expiring one writes a new version with EndsAt = now.
CREATE TABLE IF NOT EXISTS {{db}}.alert_silences {{on_cluster}}
(
    Id         UUID,
    Matchers   String CODEC(ZSTD(1)),
    StartsAt   DateTime64(3),
    EndsAt     DateTime64(3),
    CreatedBy  String,
    Comment    String CODEC(ZSTD(1)),
    CreatedAt  DateTime64(3),
    UpdatedAt  DateTime64(3)
)
ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY Id;

-- Every alert transition (pending, firing, resolved) with the alert as it
-- was then, so the API, the dashboard and a new leader read one history.
CREATE TABLE IF NOT EXISTS {{db}}.alert_history {{on_cluster}}
(
    Time        DateTime64(3) CODEC(Delta(8), ZSTD(1)),
    AlertId     String,
    Fingerprint String,
    RuleId      LowCardinality(String),
    FromState   LowCardinality(String),
    ToState     LowCardinality(String),
    ActiveAt    DateTime64(3),
    Value       Nullable(Float64),
    Threshold   Nullable(Float64),
    Summary     String CODEC(ZSTD(1)),
    Labels      Map(LowCardinality(String), String),
    Snapshot    String CODEC(ZSTD(1)),
    Replica     LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(Time)
ORDER BY (Time, Fingerprint)
TTL toDateTime(Time) + toIntervalDay({{rollup_retention_days}});

-- Each alert episode as it is now (the newest version wins): what the API
-- and the dashboard list, whichever replica they ask.
CREATE TABLE IF NOT EXISTS {{db}}.alert_instances {{on_cluster}}
(
    AlertId     String,
    Fingerprint String,
    RuleId      LowCardinality(String),
    State       LowCardinality(String),
    ActiveAt    DateTime64(3),
    ResolvedAt  Nullable(DateTime64(3)),
    UpdatedAt   DateTime64(3),
    Labels      Map(LowCardinality(String), String),
    Snapshot    String CODEC(ZSTD(1))
)
ENGINE = ReplacingMergeTree(UpdatedAt)
PARTITION BY toYYYYMM(ActiveAt)
ORDER BY AlertId
TTL toDateTime(ActiveAt) + toIntervalDay({{rollup_retention_days}});

-- Notifications the leader sent, so a new leader neither repeats a page nor
-- forgets when the next reminder is due.
CREATE TABLE IF NOT EXISTS {{db}}.alert_notifications {{on_cluster}}
(
    Time           DateTime64(3),
    IdempotencyKey String,
    AlertId        String,
    Fingerprint    String,
    Status         LowCardinality(String),
    Repeat         UInt32,
    Replica        LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(Time)
ORDER BY (Fingerprint, Time)
TTL toDateTime(Time) + toIntervalDay({{rollup_retention_days}});

-- The evaluator's leader lease: replicas sharing a store elect one leader,
-- which alone evaluates and notifies (docs/alerts.md, "Several replicas").
CREATE TABLE IF NOT EXISTS {{db}}.alert_leases {{on_cluster}}
(
    Name      LowCardinality(String),
    Holder    String,
    Term      UInt64,
    ExpiresAt DateTime64(3),
    UpdatedAt DateTime64(3)
)
ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY (Name, Term, Holder)
TTL toDateTime(UpdatedAt) + toIntervalDay(1);
