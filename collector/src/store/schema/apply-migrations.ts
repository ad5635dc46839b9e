import type { ClickHouseClient } from '@clickhouse/client';
import { readMigrations, type Migration } from './migration-files.js';
import { bootstrapStatements, renderMigration, type SchemaOptions } from './render-migration.js';

/** What applyMigrations did. */
export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/** A migration statement failed; names the migration so the operator can find it. */
export class MigrationFailedError extends Error {
  override readonly name = 'MigrationFailedError';
  readonly code = 'MIGRATION_FAILED';
  constructor(
    readonly migration: string,
    options: { cause: unknown },
  ) {
    super(`Schema migration ${migration} failed: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`, options);
  }
}

/**
 * Creates the database and applies every migration not yet recorded in its
 * ledger (`<db>.schema_migrations` for the telemetry schema), in version
 * order. Statements are idempotent (IF NOT EXISTS), so a crash half-way is
 * repaired by the next start.
 */
export async function applyMigrations(
  client: ClickHouseClient,
  options: SchemaOptions,
  migrations: readonly Migration[] = readMigrations(),
  ledger = 'schema_migrations',
): Promise<MigrationReport> {
  for (const statement of bootstrapStatements(options, ledger)) await client.command({ query: statement });
  const done = new Set(await appliedVersions(client, options.database, ledger));
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    const label = `${String(migration.version).padStart(4, '0')}_${migration.name}`;
    if (done.has(migration.version)) {
      report.alreadyApplied.push(label);
      continue;
    }
    try {
      for (const statement of renderMigration(migration.sql, options)) await client.command({ query: statement });
      await client.insert({
        table: `${options.database}.${ledger}`,
        values: [{ Version: migration.version, Name: migration.name }],
        format: 'JSONEachRow',
      });
    } catch (cause) {
      throw new MigrationFailedError(label, { cause });
    }
    report.applied.push(label);
  }
  return report;
}

/** Versions recorded as applied; empty when the ledger is new. */
export async function appliedVersions(client: ClickHouseClient, database: string, ledger = 'schema_migrations'): Promise<number[]> {
  const result = await client.query({
    query: `SELECT DISTINCT Version FROM ${database}.${ledger} ORDER BY Version`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ Version: number | string }>();
  return rows.map((r) => Number(r.Version));
}

/** True when every migration in `migrations` is recorded; readiness uses this, so callers pass the list they read once. */
export async function isFullyMigrated(
  client: ClickHouseClient,
  database: string,
  migrations: readonly Migration[] = readMigrations(),
  ledger = 'schema_migrations',
): Promise<boolean> {
  const expected = migrations.map((m) => m.version);
  const applied = new Set(await appliedVersions(client, database, ledger));
  return expected.every((v) => applied.has(v));
}
