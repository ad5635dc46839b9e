// Public surface of @tunnelvision/infra: the ClickHouse schema.
export { readMigrations } from './schema/migration-files.js';
export type { Migration } from './schema/migration-files.js';
export { renderMigration } from './schema/render-migration.js';
export type { SchemaOptions } from './schema/render-migration.js';
export { applyMigrations, appliedVersions, isFullyMigrated, MigrationFailedError } from './schema/apply-migrations.js';
export type { MigrationReport } from './schema/apply-migrations.js';
