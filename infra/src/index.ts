// Public surface of @tunnelvision/infra: the ClickHouse schema. The load
// generator is '@tunnelvision/infra/loadgen', kept apart so the collector,
// which needs only the schema, does not load the SDK and its exporters.
export { readMigrations } from './schema/migration-files.js';
export type { Migration } from './schema/migration-files.js';
export { renderMigration } from './schema/render-migration.js';
export type { SchemaOptions } from './schema/render-migration.js';
export { applyMigrations, appliedVersions, isFullyMigrated, MigrationFailedError } from './schema/apply-migrations.js';
export type { MigrationReport } from './schema/apply-migrations.js';
