import type { RunningCollector } from '../../src/collector.js';

/**
 * The schema ledger, for the tests that rewind a store to before a
 * migration and then start a collector on it, as an upgrade would.
 */

/** Forgets that `version` was applied, so the next start applies it again. */
export async function forgetMigration(collector: RunningCollector, version: number): Promise<void> {
  const db = collector.store.database;
  await collector.store.client.command({ query: `ALTER TABLE ${db}.schema_migrations DELETE WHERE Version = ${version} SETTINGS mutations_sync = 2` });
}

/** The versions the ledger records as applied. */
export async function appliedMigrations(collector: RunningCollector): Promise<number[]> {
  const result = await collector.store.client.query({ query: `SELECT DISTINCT Version FROM ${collector.store.database}.schema_migrations`, format: 'JSONEachRow' });
  return (await result.json<{ Version: number | string }>()).map((row) => Number(row.Version));
}
