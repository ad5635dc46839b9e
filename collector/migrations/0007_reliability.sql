-- Reliability rollups (docs/objectives.md): what the objectives, the
-- reliability API and the cohort comparison read, per minute and per hour,
-- so a 90-day window reads a few thousand hourly rows instead of the raw
-- events. Besides the usual filters, each row keeps the cohort attributes
-- an objective can be split by: the SDK version and the feature flags
-- (feature_flag.* attributes of the record, else of the resource).

-- Event counts behind connect success, auth failures, zombies, delivery
-- success, replays and queue depth. Acknowledgements count in the minute
-- their message was first sent (ack time minus latency), so delivery
-- success compares like with like: the messages sent in a window and how
-- many of them were acknowledged in time.
CREATE TABLE IF NOT EXISTS {{db}}.reliability_1m {{on_cluster}}
(
    Minute         DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName    LowCardinality(String),
    Environment    LowCardinality(String),
    ServiceVersion LowCardinality(String),
    SdkVersion     LowCardinality(String),
    ServerAddress  LowCardinality(String),
    Role           LowCardinality(String),
    FeatureFlags   Map(LowCardinality(String), String),
    Attempts       SimpleAggregateFunction(sum, UInt64),
    FailedAttempts SimpleAggregateFunction(sum, UInt64),
    AuthFailures   SimpleAggregateFunction(sum, UInt64),
    Closes         SimpleAggregateFunction(sum, UInt64),
    Zombies        SimpleAggregateFunction(sum, UInt64),
    Sent           SimpleAggregateFunction(sum, UInt64),
    Acked          SimpleAggregateFunction(sum, UInt64),
    -- Acks within each latency threshold of docs/objectives.md, by threshold in ms.
    AckedWithin    SimpleAggregateFunction(sumMap, Map(UInt32, UInt64)),
    Dropped        SimpleAggregateFunction(sum, UInt64),
    Replays        SimpleAggregateFunction(sum, UInt64),
    QueueSamples   SimpleAggregateFunction(sum, UInt64),
    QueueDepthMax  SimpleAggregateFunction(max, UInt32),
    QueueDepthP95  AggregateFunction(quantileTDigest(0.95), UInt32)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Minute)
ORDER BY (ServiceName, Environment, Minute, ServiceVersion, SdkVersion, ServerAddress, Role, FeatureFlags)
TTL Minute + toIntervalDay({{rollup_retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.reliability_1m_mv {{on_cluster}} TO {{db}}.reliability_1m AS
SELECT
    toStartOfMinute(if(EventName = 'msg.acked' AND LatencyMs IS NOT NULL, Timestamp - toIntervalMillisecond(toInt64(LatencyMs)), Timestamp)) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    ResourceAttributes['telemetry.sdk.version'] AS SdkVersion,
    ServerAddress,
    Role,
    mapUpdate(mapFilter((k, v) -> startsWith(k, 'feature_flag.'), ResourceAttributes), mapFilter((k, v) -> startsWith(k, 'feature_flag.'), LogAttributes)) AS FeatureFlags,
    countIf(EventName = 'conn.open' OR (EventName = 'conn.close' AND DurationMs IS NULL)) AS Attempts,
    countIf(EventName = 'conn.close' AND DurationMs IS NULL) AS FailedAttempts,
    -- Refused for its credentials: an attempt the server answered 401 or 403, or any close with 1008 (policy).
    countIf(EventName = 'conn.close' AND (CloseCode = 1008 OR (DurationMs IS NULL AND (
        LogAttributes['http.response.status_code'] IN ('401', '403') OR match(LogAttributes['error.type'], '^(HTTP\\s*)?40[13]$'))))) AS AuthFailures,
    countIf(EventName = 'conn.close' AND DurationMs IS NOT NULL) AS Closes,
    -- The client closed a connection whose heartbeat went unanswered: half-open, found before the transport noticed.
    countIf(EventName = 'conn.close' AND DurationMs IS NOT NULL AND MissedCount > 0) AS Zombies,
    countIf(EventName = 'msg.sent') AS Sent,
    countIf(EventName = 'msg.acked') AS Acked,
    sumMapIf(mapFromArrays(arrayFilter(t -> toFloat64(t) >= assumeNotNull(LatencyMs), [100, 250, 500, 1000, 2000, 5000, 10000, 30000]), arrayMap(t -> toUInt64(1), arrayFilter(t -> toFloat64(t) >= assumeNotNull(LatencyMs), [100, 250, 500, 1000, 2000, 5000, 10000, 30000]))),
             EventName = 'msg.acked' AND LatencyMs IS NOT NULL) AS AckedWithin,
    countIf(EventName = 'msg.dropped') AS Dropped,
    countIf(EventName = 'msg.replayed') AS Replays,
    countIf(QueueDepth IS NOT NULL) AS QueueSamples,
    maxIf(assumeNotNull(QueueDepth), QueueDepth IS NOT NULL) AS QueueDepthMax,
    quantileTDigestStateIf(0.95)(assumeNotNull(QueueDepth), QueueDepth IS NOT NULL) AS QueueDepthP95
FROM {{db}}.logs
WHERE EventName IN ('conn.open', 'conn.close', 'msg.sent', 'msg.acked', 'msg.dropped', 'msg.replayed', 'msg.queued')
GROUP BY Minute, ServiceName, Environment, ServiceVersion, SdkVersion, ServerAddress, Role, FeatureFlags;

-- The same per hour, for long windows (Minute holds the start of the hour).
CREATE TABLE IF NOT EXISTS {{db}}.reliability_1h {{on_cluster}} AS {{db}}.reliability_1m
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Minute)
ORDER BY (ServiceName, Environment, Minute, ServiceVersion, SdkVersion, ServerAddress, Role, FeatureFlags)
TTL Minute + toIntervalDay({{rollup_retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.reliability_1h_mv {{on_cluster}} TO {{db}}.reliability_1h AS
SELECT
    toStartOfHour(Minute) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    SdkVersion,
    ServerAddress,
    Role,
    FeatureFlags,
    sum(Attempts) AS Attempts,
    sum(FailedAttempts) AS FailedAttempts,
    sum(AuthFailures) AS AuthFailures,
    sum(Closes) AS Closes,
    sum(Zombies) AS Zombies,
    sum(Sent) AS Sent,
    sum(Acked) AS Acked,
    sumMap(AckedWithin) AS AckedWithin,
    sum(Dropped) AS Dropped,
    sum(Replays) AS Replays,
    sum(QueueSamples) AS QueueSamples,
    max(QueueDepthMax) AS QueueDepthMax,
    quantileTDigestMergeState(0.95)(QueueDepthP95) AS QueueDepthP95
FROM {{db}}.reliability_1m
GROUP BY Minute, ServiceName, Environment, ServiceVersion, SdkVersion, ServerAddress, Role, FeatureFlags;

-- Connection states from the SDK's tv.connection.state up-down counter:
-- each exported point is a sample of how many connections are in a state,
-- so summing the samples weighs each state by the time spent in it.
-- Clients that stop reporting (a closed tab) drop out instead of counting
-- forever in their last state.
CREATE TABLE IF NOT EXISTS {{db}}.connection_states_1m {{on_cluster}}
(
    Minute         DateTime CODEC(Delta(4), ZSTD(1)),
    ServiceName    LowCardinality(String),
    Environment    LowCardinality(String),
    ServiceVersion LowCardinality(String),
    SdkVersion     LowCardinality(String),
    ServerAddress  LowCardinality(String),
    Role           LowCardinality(String),
    FeatureFlags   Map(LowCardinality(String), String),
    State          LowCardinality(String),
    Samples        SimpleAggregateFunction(sum, Float64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Minute)
ORDER BY (ServiceName, Environment, Minute, ServiceVersion, SdkVersion, ServerAddress, Role, FeatureFlags, State)
TTL Minute + toIntervalDay({{rollup_retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.connection_states_1m_mv {{on_cluster}} TO {{db}}.connection_states_1m AS
SELECT
    toStartOfMinute(TimeUnix) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    ResourceAttributes['telemetry.sdk.version'] AS SdkVersion,
    if(Attributes['server.address'] != '', Attributes['server.address'], ResourceAttributes['server.address']) AS ServerAddress,
    if(Attributes['tv.role'] != '', Attributes['tv.role'], ResourceAttributes['tv.role']) AS Role,
    mapUpdate(mapFilter((k, v) -> startsWith(k, 'feature_flag.'), ResourceAttributes), mapFilter((k, v) -> startsWith(k, 'feature_flag.'), Attributes)) AS FeatureFlags,
    Attributes['tv.state'] AS State,
    sum(greatest(Value, 0)) AS Samples
FROM {{db}}.metrics_sum
WHERE MetricName = 'tv.connection.state' AND Attributes['tv.state'] IN ('connecting', 'open', 'reconnecting', 'offline')
GROUP BY Minute, ServiceName, Environment, ServiceVersion, SdkVersion, ServerAddress, Role, FeatureFlags, State;

-- Per hour (Minute holds the start of the hour).
CREATE TABLE IF NOT EXISTS {{db}}.connection_states_1h {{on_cluster}} AS {{db}}.connection_states_1m
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Minute)
ORDER BY (ServiceName, Environment, Minute, ServiceVersion, SdkVersion, ServerAddress, Role, FeatureFlags, State)
TTL Minute + toIntervalDay({{rollup_retention_days}});

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.connection_states_1h_mv {{on_cluster}} TO {{db}}.connection_states_1h AS
SELECT
    toStartOfHour(Minute) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    SdkVersion,
    ServerAddress,
    Role,
    FeatureFlags,
    State,
    sum(Samples) AS Samples
FROM {{db}}.connection_states_1m
GROUP BY Minute, ServiceName, Environment, ServiceVersion, SdkVersion, ServerAddress, Role, FeatureFlags, State;
