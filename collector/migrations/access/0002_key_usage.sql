-- When each API key was last used (docs/security.md, keys). Collectors note
-- uses in memory and write each key's latest time about once a minute, so
-- authenticating a request never writes. Every replica writes its own
-- latest time; merges keep the highest and the listing takes the max.
-- No TTL: a key last used long ago must not turn into "never used", and
-- there is one row per key once merged.
CREATE TABLE IF NOT EXISTS {{db}}.access_key_usage {{on_cluster}}
(
    KeyId       String,
    LastUsedAt  DateTime64(3)
)
ENGINE = ReplacingMergeTree(LastUsedAt)
ORDER BY KeyId;
