-- Every OTLP log record from any producer, with its attribute maps, plus
-- typed columns filled for records that follow docs/semconv.md.
CREATE TABLE IF NOT EXISTS {{db}}.logs {{on_cluster}}
(
    Timestamp          DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    ObservedTimestamp  DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId            String CODEC(ZSTD(1)),
    SpanId             String CODEC(ZSTD(1)),
    TraceFlags         UInt8,
    SeverityText       LowCardinality(String) CODEC(ZSTD(1)),
    SeverityNumber     UInt8,
    ServiceName        LowCardinality(String) CODEC(ZSTD(1)),
    Body               String CODEC(ZSTD(1)),
    ResourceSchemaUrl  LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeSchemaUrl     LowCardinality(String) CODEC(ZSTD(1)),
    ScopeName          LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion       LowCardinality(String) CODEC(ZSTD(1)),
    ScopeAttributes    Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    LogAttributes      Map(LowCardinality(String), String) CODEC(ZSTD(1)),

    -- Typed columns (docs/semconv.md); empty / NULL / 0 when not applicable.
    EventName          LowCardinality(String),
    ServiceVersion     LowCardinality(String),
    Environment        LowCardinality(String),
    ServerAddress      LowCardinality(String),
    Role               LowCardinality(String),
    UserId             String CODEC(ZSTD(1)),
    SessionId          String CODEC(ZSTD(1)),
    ConnectionId       String CODEC(ZSTD(1)),
    MessageId          String CODEC(ZSTD(1)),
    MessageSeq         Nullable(Int64),
    Channel            String CODEC(ZSTD(1)),
    CloseCode          UInt16,
    CloseReason        String CODEC(ZSTD(1)),
    CloseClean         Nullable(Bool),
    Attempt            UInt32,
    DelayMs            Nullable(Float64),
    JitterMs           Nullable(Float64),
    LatencyMs          Nullable(Float64),
    DurationMs         Nullable(Float64),
    DowntimeMs         Nullable(Float64),
    RttMs              Nullable(Float64),
    MissedCount        UInt32,
    StateFrom          LowCardinality(String),
    StateTo            LowCardinality(String),
    DropReason         LowCardinality(String),
    ResumeOutcome      LowCardinality(String),
    ResumeLastSeq      Nullable(Int64),
    ReplayedCount      Nullable(UInt32),
    ExpectedSeq        Nullable(Int64),
    GotSeq             Nullable(Int64),
    QueueDepth         Nullable(UInt32),

    INDEX idx_user_id UserId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_session_id SessionId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_connection_id ConnectionId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_message_id MessageId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_log_attr_key mapKeys(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_log_attr_value mapValues(LogAttributes) TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (toStartOfFiveMinutes(Timestamp), ServiceName, EventName, Timestamp)
TTL toDateTime(Timestamp) + toIntervalDay({{retention_days}})
SETTINGS ttl_only_drop_parts = 1;
