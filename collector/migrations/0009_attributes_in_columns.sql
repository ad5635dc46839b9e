-- Record attributes that a typed column holds exactly are stored once, in
-- the column (collector/src/store/attributes-in-columns.ts): bit i of
-- AttributesInColumns marks the i-th of those attributes as taken out of
-- LogAttributes, and reads put it back. Rows written before this have 0
-- and their full map.
ALTER TABLE {{db}}.logs {{on_cluster}} ADD COLUMN IF NOT EXISTS AttributesInColumns UInt32 CODEC(ZSTD(1)) AFTER LogAttributes;

-- No query filters on attribute values (lookups use the id columns' own
-- indexes); the index cost more to build on every insert than any column.
ALTER TABLE {{db}}.logs {{on_cluster}} DROP INDEX IF EXISTS idx_log_attr_value;
