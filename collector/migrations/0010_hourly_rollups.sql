-- Per-hour event and latency rollups, so the overview and series over long
-- windows read about 168 rows per group for a week instead of 10,080 (Minute
-- holds the start of the hour). They are filled from the per-minute rollups,
-- as reliability_1h is, and queries read them only for whole hours inside a
-- bucket (collector/src/query/rollup-rows.ts), so answers equal the minutes'.
CREATE TABLE IF NOT EXISTS {{db}}.events_1h {{on_cluster}} AS {{db}}.events_1m
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Minute)
ORDER BY (ServiceName, Environment, EventName, Minute, ServiceVersion, ServerAddress, Role, CloseCode, Reason, IsReconnect, FailedAttempt)
TTL Minute + toIntervalDay({{rollup_retention_days}})
SETTINGS non_replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS {{db}}.latency_1h {{on_cluster}} AS {{db}}.latency_1m
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(Minute)
ORDER BY (ServiceName, Environment, Minute, ServiceVersion, ServerAddress, Role)
TTL Minute + toIntervalDay({{rollup_retention_days}})
SETTINGS non_replicated_deduplication_window = 1000;

-- Backfill: the minutes already rolled up, before the views below exist
-- (a collector migrates before it ingests, so no insert of its own falls
-- between the two; only an older collector still writing to the same store
-- during an upgrade could land minutes there, missing from the hours).
-- Skipped when the table has rows, so a start that crashed after the
-- backfill does not count it twice. On a cluster it runs once, on the node
-- that migrates (render-migration.ts).
INSERT INTO {{db}}.events_1h
SELECT
    toStartOfHour(Minute) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    ServerAddress,
    Role,
    EventName,
    CloseCode,
    Reason,
    IsReconnect,
    FailedAttempt,
    sum(Events) AS Events,
    uniqMergeState(Sessions) AS Sessions
FROM {{db}}.events_1m
WHERE (SELECT count() FROM {{db}}.events_1h) = 0
GROUP BY Minute, ServiceName, Environment, ServiceVersion, ServerAddress, Role, EventName, CloseCode, Reason, IsReconnect, FailedAttempt;

INSERT INTO {{db}}.latency_1h
SELECT
    toStartOfHour(Minute) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    ServerAddress,
    Role,
    quantilesTDigestMergeState(0.5, 0.9, 0.95, 0.99)(Latency) AS Latency,
    sum(Count) AS Count,
    sum(SumMs) AS SumMs,
    max(MaxMs) AS MaxMs
FROM {{db}}.latency_1m
WHERE (SELECT count() FROM {{db}}.latency_1h) = 0
GROUP BY Minute, ServiceName, Environment, ServiceVersion, ServerAddress, Role;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.events_1h_mv {{on_cluster}} TO {{db}}.events_1h AS
SELECT
    toStartOfHour(Minute) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    ServerAddress,
    Role,
    EventName,
    CloseCode,
    Reason,
    IsReconnect,
    FailedAttempt,
    sum(Events) AS Events,
    uniqMergeState(Sessions) AS Sessions
FROM {{db}}.events_1m
GROUP BY Minute, ServiceName, Environment, ServiceVersion, ServerAddress, Role, EventName, CloseCode, Reason, IsReconnect, FailedAttempt;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.latency_1h_mv {{on_cluster}} TO {{db}}.latency_1h AS
SELECT
    toStartOfHour(Minute) AS Minute,
    ServiceName,
    Environment,
    ServiceVersion,
    ServerAddress,
    Role,
    quantilesTDigestMergeState(0.5, 0.9, 0.95, 0.99)(Latency) AS Latency,
    sum(Count) AS Count,
    sum(SumMs) AS SumMs,
    max(MaxMs) AS MaxMs
FROM {{db}}.latency_1m
GROUP BY Minute, ServiceName, Environment, ServiceVersion, ServerAddress, Role;
