-- Where each id occurs (docs/operations.md#id-lookups): for every user,
-- session, connection and message id, the places in `logs` that hold its
-- events, as the first three parts of `logs`' primary key (five-minute
-- bucket, service, event name). A support lookup reads the id's places
-- here, a few rows found through this table's primary key, and then only
-- those ranges of `logs` (collector/src/query/id-places.ts), so it reads
-- no skip index at all.
-- - The id is kept as a 32-bit hash: sorted, the hashes of a part differ
--   by a few hundred, so Delta makes them about a byte each. A collision
--   only makes a lookup read another id's places too (about one lookup in
--   40 at 100M ids), since `logs` is still filtered by the id itself.
-- - The bucket is kept as its number (five-minute periods since 1970): a
--   week's buckets then span 2,016 numbers, whose 11 bits are all T64
--   keeps (1.4 bytes a row against 2.3 as a DateTime).
-- - Weekly partitions: a week's lookup reads one or two partitions, so few
--   parts. A week's rows are dropped once its last day is past retention.
-- - The view groups the rows of each insert; merges remove the repeats
--   between inserts (ReplacingMergeTree). Lookups only ask which places, so
--   a repeat is harmless.
CREATE TABLE IF NOT EXISTS {{db}}.id_buckets {{on_cluster}}
(
    Kind        Enum8('user' = 1, 'session' = 2, 'connection' = 3, 'message' = 4),
    IdHash      UInt32 CODEC(Delta(4), ZSTD(1)),
    Bucket      UInt32 CODEC(T64, ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    EventName   LowCardinality(String) CODEC(ZSTD(1))
)
ENGINE = ReplacingMergeTree
PARTITION BY toMonday(toDateTime(Bucket * 300))
ORDER BY (Kind, IdHash, Bucket, ServiceName, EventName)
TTL toDateTime(Bucket * 300) + toIntervalDay({{retention_days}})
SETTINGS ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000;

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.id_buckets_mv {{on_cluster}} TO {{db}}.id_buckets AS
SELECT
    id.1 AS Kind,
    toUInt32(cityHash64(id.2)) AS IdHash,
    toUInt32(intDiv(toUnixTimestamp(Timestamp), 300)) AS Bucket,
    ServiceName,
    EventName
FROM {{db}}.logs
ARRAY JOIN [('user', UserId), ('session', SessionId), ('connection', ConnectionId), ('message', MessageId)] AS id
WHERE id.2 != ''
GROUP BY Kind, IdHash, Bucket, ServiceName, EventName;

-- Backfill: the ids of the rows stored before the view existed. It runs
-- after the view is created, so no insert falls between the two (rows
-- inserted meanwhile are recorded twice, which is harmless), and again in
-- full if a start crashes before the migration is recorded. It streams
-- without grouping, so memory stays flat however large `logs` is; merges
-- remove the repeats. On a cluster it runs once, on the node that migrates.
INSERT INTO {{db}}.id_buckets
SELECT
    id.1 AS Kind,
    toUInt32(cityHash64(id.2)) AS IdHash,
    toUInt32(intDiv(toUnixTimestamp(Timestamp), 300)) AS Bucket,
    ServiceName,
    EventName
FROM {{db}}.logs
ARRAY JOIN [('user', UserId), ('session', SessionId), ('connection', ConnectionId), ('message', MessageId)] AS id
WHERE id.2 != '';

-- Every query that looked an id up through these bloom filters now reads
-- id_buckets instead (the timeline, the hashed user id hint); they cost 7
-- bytes per event. Parts lose the index files as a mutation, without
-- rewriting any column.
ALTER TABLE {{db}}.logs {{on_cluster}}
    DROP INDEX IF EXISTS idx_user_id,
    DROP INDEX IF EXISTS idx_session_id,
    DROP INDEX IF EXISTS idx_connection_id,
    DROP INDEX IF EXISTS idx_message_id;
