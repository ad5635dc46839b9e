import { describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/store/schema/migration-files.js';
import { renderMigration } from '../../src/store/schema/render-migration.js';

const options = { database: 'tv', retentionDays: 7, rollupRetentionDays: 90 };

describe('renderMigration', () => {
  it('renders every migration with no placeholder left', () => {
    for (const migration of readMigrations()) {
      for (const statement of renderMigration(migration.sql, options)) {
        expect(statement).not.toMatch(/\{\{/);
        expect(statement).not.toMatch(/;\s*$/);
      }
    }
  });

  it('applies the retention settings', () => {
    const [logs] = renderMigration(readMigrations()[0]!.sql, options);
    expect(logs).toContain('CREATE TABLE IF NOT EXISTS tv.logs');
    expect(logs).toContain('toIntervalDay(7)');
  });

  it('emits the cluster variant: ON CLUSTER, Replicated local tables, Distributed tables under the plain names', () => {
    const rollups = readMigrations().find((m) => m.name === 'rollups')!;
    const statements = renderMigration(rollups.sql, { ...options, cluster: 'tv_cluster' });
    expect(statements[0]).toContain('CREATE TABLE IF NOT EXISTS tv.events_1m_local ON CLUSTER tv_cluster');
    expect(statements[0]).toContain("ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/tv/events_1m_local', '{replica}')");
    expect(statements[1]).toBe(
      'CREATE TABLE IF NOT EXISTS tv.events_1m ON CLUSTER tv_cluster AS tv.events_1m_local\nENGINE = Distributed(tv_cluster, tv, events_1m_local, rand())',
    );
    expect(statements[2]).toContain('CREATE MATERIALIZED VIEW IF NOT EXISTS tv.events_1m_mv ON CLUSTER tv_cluster TO tv.events_1m_local');
    expect(statements[2]).toContain('FROM tv.logs_local');
  });

  it('refuses names that are not plain identifiers', () => {
    expect(() => renderMigration('SELECT 1', { ...options, database: 'tv; DROP DATABASE x' })).toThrow(/Invalid database name/);
    expect(() => renderMigration('SELECT 1', { ...options, cluster: "c'" })).toThrow(/Invalid cluster name/);
  });
});
