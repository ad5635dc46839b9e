-- Per-minute rollups that keep dashboard and alert queries fast at hundreds
-- of millions of events. Each materialized view aggregates the rows of one
-- insert; AggregatingMergeTree merges the partial states in the background
-- and queries finish the merge with -Merge / sum().

-- Event counts: reconnects, close codes, abnormal closes, drops, resumes.
CREATE TABLE IF NOT EXISTS {{db}}.events_1m {{on_cluster}}
(
    Minute         DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName    LowCardinality(String),
    Environment    LowCardinality(String),
    ServiceVersion LowCardinality(String),
    ServerAddress  LowCardinality(String),
    Role           LowCardinality(String),
    EventName      LowCardinality(String),
    CloseCode      UInt16,
    Reason         LowCardinality(String),
    IsReconnect    UInt8,
    -- A conn.close without tv.connection.duration_ms ends an attempt that never opened.
    FailedAttempt  UInt8,
    Events         SimpleAggregateFunction(sum, UInt64),
    Sessions       AggregateFunction(uniq, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Minute)
ORDER BY (ServiceName, Environment, EventName, Minute, ServiceVersion, ServerAddress, Role, CloseCode, Reason, IsReconnect, FailedAttempt)
TTL Minute + toIntervalDay({{rollup_retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.events_1m_mv {{on_cluster}} TO {{db}}.events_1m AS
SELECT
    toStartOfMinute(Timestamp) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    ServerAddress,
    Role,
    EventName,
    CloseCode,
    if(DropReason != '', DropReason, ResumeOutcome) AS Reason,
    toUInt8(EventName = 'conn.open' AND DowntimeMs IS NOT NULL) AS IsReconnect,
    toUInt8(EventName = 'conn.close' AND DurationMs IS NULL) AS FailedAttempt,
    count() AS Events,
    uniqState(SessionId) AS Sessions
FROM {{db}}.logs
WHERE EventName != ''
GROUP BY Minute, ServiceName, Environment, ServiceVersion, ServerAddress, Role, EventName, CloseCode, Reason, IsReconnect, FailedAttempt;

-- Delivery latency (msg.acked) as mergeable t-digest quantile states.
CREATE TABLE IF NOT EXISTS {{db}}.latency_1m {{on_cluster}}
(
    Minute         DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName    LowCardinality(String),
    Environment    LowCardinality(String),
    ServiceVersion LowCardinality(String),
    ServerAddress  LowCardinality(String),
    Role           LowCardinality(String),
    Latency        AggregateFunction(quantilesTDigest(0.5, 0.9, 0.95, 0.99), Float64),
    Count          SimpleAggregateFunction(sum, UInt64),
    SumMs          SimpleAggregateFunction(sum, Float64),
    MaxMs          SimpleAggregateFunction(max, Float64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Minute)
ORDER BY (ServiceName, Environment, Minute, ServiceVersion, ServerAddress, Role)
TTL Minute + toIntervalDay({{rollup_retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.latency_1m_mv {{on_cluster}} TO {{db}}.latency_1m AS
SELECT
    toStartOfMinute(Timestamp) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    ServerAddress,
    Role,
    quantilesTDigestState(0.5, 0.9, 0.95, 0.99)(assumeNotNull(LatencyMs)) AS Latency,
    count() AS Count,
    sum(assumeNotNull(LatencyMs)) AS SumMs,
    max(assumeNotNull(LatencyMs)) AS MaxMs
FROM {{db}}.logs
WHERE EventName = 'msg.acked' AND LatencyMs IS NOT NULL
GROUP BY Minute, ServiceName, Environment, ServiceVersion, ServerAddress, Role;

-- Active connections from the tv.connection.active up-down counter: the
-- last value each series reported in the minute, summed across series at
-- query time. Series is a hash of the resource and point attributes.
CREATE TABLE IF NOT EXISTS {{db}}.active_connections_1m {{on_cluster}}
(
    Minute         DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName    LowCardinality(String),
    Environment    LowCardinality(String),
    ServiceVersion LowCardinality(String),
    ServerAddress  LowCardinality(String),
    Role           LowCardinality(String),
    Series         UInt64,
    Value          AggregateFunction(argMax, Float64, DateTime64(9))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Minute)
ORDER BY (ServiceName, Environment, Minute, ServiceVersion, ServerAddress, Role, Series)
TTL Minute + toIntervalDay({{rollup_retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.active_connections_1m_mv {{on_cluster}} TO {{db}}.active_connections_1m AS
SELECT
    toStartOfMinute(TimeUnix) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    if(Attributes['server.address'] != '', Attributes['server.address'], ResourceAttributes['server.address']) AS ServerAddress,
    if(Attributes['tv.role'] != '', Attributes['tv.role'], ResourceAttributes['tv.role']) AS Role,
    cityHash64(ResourceAttributes, Attributes) AS Series,
    argMaxState(Value, TimeUnix) AS Value
FROM {{db}}.metrics_sum
WHERE MetricName = 'tv.connection.active'
GROUP BY Minute, ServiceName, Environment, ServiceVersion, ServerAddress, Role, Series;
