-- Deploy markers posted through POST /api/v1/deploys (from CI or by hand).
CREATE TABLE IF NOT EXISTS {{db}}.deploys {{on_cluster}}
(
    Id          UUID,
    Timestamp   DateTime64(3),
    Service     LowCardinality(String),
    Version     String,
    Environment LowCardinality(String),
    Commit      String,
    Description String,
    CreatedAt   DateTime64(3) DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY (Timestamp, Service, Id);
