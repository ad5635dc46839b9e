// The ClickHouse schema the collector owns: versioned migrations, rendered
// for one node or a cluster, applied idempotently at start.
export { ACCESS_LEDGER, readAccessMigrations, readMigrations } from './migration-files.js';
export type { Migration } from './migration-files.js';
export { renderMigration, bootstrapStatements } from './render-migration.js';
export type { SchemaOptions } from './render-migration.js';
export { CLUSTER_CLIENT_SETTINGS, CLUSTER_LAYOUT, LOCAL_SUFFIX, placementOf } from './cluster-layout.js';
export type { TablePlacement } from './cluster-layout.js';
export { applyMigrations, appliedVersions, isFullyMigrated, MigrationFailedError } from './apply-migrations.js';
export type { MigrationReport } from './apply-migrations.js';
