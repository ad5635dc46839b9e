-- OTLP metrics from any producer, one table per data-point kind. Typed
-- ServiceVersion / Environment columns let the dashboard filter without
-- reading the attribute maps. Exemplars are not stored.
CREATE TABLE IF NOT EXISTS {{db}}.metrics_sum {{on_cluster}}
(
    ResourceAttributes     Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ResourceSchemaUrl      LowCardinality(String) CODEC(ZSTD(1)),
    ScopeName              LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion           LowCardinality(String) CODEC(ZSTD(1)),
    ScopeAttributes        Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ServiceName            LowCardinality(String) CODEC(ZSTD(1)),
    ServiceVersion         LowCardinality(String),
    Environment            LowCardinality(String),
    MetricName             LowCardinality(String) CODEC(ZSTD(1)),
    MetricDescription      String CODEC(ZSTD(1)),
    MetricUnit             LowCardinality(String) CODEC(ZSTD(1)),
    Attributes             Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    StartTimeUnix          DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TimeUnix               DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Value                  Float64 CODEC(ZSTD(1)),
    Flags                  UInt32,
    AggregationTemporality Int32,
    IsMonotonic            Bool,
    INDEX idx_attr_key mapKeys(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
ORDER BY (ServiceName, MetricName, toStartOfFiveMinutes(TimeUnix), TimeUnix)
TTL toDateTime(TimeUnix) + toIntervalDay({{retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS {{db}}.metrics_gauge {{on_cluster}}
(
    ResourceAttributes     Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ResourceSchemaUrl      LowCardinality(String) CODEC(ZSTD(1)),
    ScopeName              LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion           LowCardinality(String) CODEC(ZSTD(1)),
    ScopeAttributes        Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ServiceName            LowCardinality(String) CODEC(ZSTD(1)),
    ServiceVersion         LowCardinality(String),
    Environment            LowCardinality(String),
    MetricName             LowCardinality(String) CODEC(ZSTD(1)),
    MetricDescription      String CODEC(ZSTD(1)),
    MetricUnit             LowCardinality(String) CODEC(ZSTD(1)),
    Attributes             Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    StartTimeUnix          DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TimeUnix               DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Value                  Float64 CODEC(ZSTD(1)),
    Flags                  UInt32,
    INDEX idx_attr_key mapKeys(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
ORDER BY (ServiceName, MetricName, toStartOfFiveMinutes(TimeUnix), TimeUnix)
TTL toDateTime(TimeUnix) + toIntervalDay({{retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS {{db}}.metrics_histogram {{on_cluster}}
(
    ResourceAttributes     Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ResourceSchemaUrl      LowCardinality(String) CODEC(ZSTD(1)),
    ScopeName              LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion           LowCardinality(String) CODEC(ZSTD(1)),
    ScopeAttributes        Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ServiceName            LowCardinality(String) CODEC(ZSTD(1)),
    ServiceVersion         LowCardinality(String),
    Environment            LowCardinality(String),
    MetricName             LowCardinality(String) CODEC(ZSTD(1)),
    MetricDescription      String CODEC(ZSTD(1)),
    MetricUnit             LowCardinality(String) CODEC(ZSTD(1)),
    Attributes             Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    StartTimeUnix          DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TimeUnix               DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Count                  UInt64 CODEC(Delta(8), ZSTD(1)),
    Sum                    Float64 CODEC(ZSTD(1)),
    BucketCounts           Array(UInt64) CODEC(ZSTD(1)),
    ExplicitBounds         Array(Float64) CODEC(ZSTD(1)),
    Min                    Nullable(Float64),
    Max                    Nullable(Float64),
    Flags                  UInt32,
    AggregationTemporality Int32,
    INDEX idx_attr_key mapKeys(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
ORDER BY (ServiceName, MetricName, toStartOfFiveMinutes(TimeUnix), TimeUnix)
TTL toDateTime(TimeUnix) + toIntervalDay({{retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS {{db}}.metrics_exponential_histogram {{on_cluster}}
(
    ResourceAttributes     Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ResourceSchemaUrl      LowCardinality(String) CODEC(ZSTD(1)),
    ScopeName              LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion           LowCardinality(String) CODEC(ZSTD(1)),
    ScopeAttributes        Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ServiceName            LowCardinality(String) CODEC(ZSTD(1)),
    ServiceVersion         LowCardinality(String),
    Environment            LowCardinality(String),
    MetricName             LowCardinality(String) CODEC(ZSTD(1)),
    MetricDescription      String CODEC(ZSTD(1)),
    MetricUnit             LowCardinality(String) CODEC(ZSTD(1)),
    Attributes             Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    StartTimeUnix          DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TimeUnix               DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Count                  UInt64 CODEC(Delta(8), ZSTD(1)),
    Sum                    Float64 CODEC(ZSTD(1)),
    Scale                  Int32,
    ZeroCount              UInt64,
    ZeroThreshold          Float64,
    PositiveOffset         Int32,
    PositiveBucketCounts   Array(UInt64) CODEC(ZSTD(1)),
    NegativeOffset         Int32,
    NegativeBucketCounts   Array(UInt64) CODEC(ZSTD(1)),
    Min                    Nullable(Float64),
    Max                    Nullable(Float64),
    Flags                  UInt32,
    AggregationTemporality Int32,
    INDEX idx_attr_key mapKeys(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
ORDER BY (ServiceName, MetricName, toStartOfFiveMinutes(TimeUnix), TimeUnix)
TTL toDateTime(TimeUnix) + toIntervalDay({{retention_days}})
SETTINGS ttl_only_drop_parts = 1;

CREATE TABLE IF NOT EXISTS {{db}}.metrics_summary {{on_cluster}}
(
    ResourceAttributes     Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ResourceSchemaUrl      LowCardinality(String) CODEC(ZSTD(1)),
    ScopeName              LowCardinality(String) CODEC(ZSTD(1)),
    ScopeVersion           LowCardinality(String) CODEC(ZSTD(1)),
    ScopeAttributes        Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ServiceName            LowCardinality(String) CODEC(ZSTD(1)),
    ServiceVersion         LowCardinality(String),
    Environment            LowCardinality(String),
    MetricName             LowCardinality(String) CODEC(ZSTD(1)),
    MetricDescription      String CODEC(ZSTD(1)),
    MetricUnit             LowCardinality(String) CODEC(ZSTD(1)),
    Attributes             Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    StartTimeUnix          DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TimeUnix               DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Count                  UInt64 CODEC(Delta(8), ZSTD(1)),
    Sum                    Float64 CODEC(ZSTD(1)),
    Quantiles              Array(Float64) CODEC(ZSTD(1)),
    QuantileValues         Array(Float64) CODEC(ZSTD(1)),
    Flags                  UInt32,
    INDEX idx_attr_key mapKeys(Attributes) TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = MergeTree
PARTITION BY toDate(TimeUnix)
ORDER BY (ServiceName, MetricName, toStartOfFiveMinutes(TimeUnix), TimeUnix)
TTL toDateTime(TimeUnix) + toIntervalDay({{retention_days}})
SETTINGS ttl_only_drop_parts = 1;
