import { describe, expect, it } from 'vitest';
import { readMigrations } from '../src/schema/migration-files.js';
import { renderMigration } from '../src/schema/render-migration.js';

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

  it('emits the cluster variant: ON CLUSTER and Replicated engines', () => {
    const rollups = readMigrations().find((m) => m.name === 'rollups')!;
    const statements = renderMigration(rollups.sql, { ...options, cluster: 'tv_cluster' });
    expect(statements[0]).toContain('CREATE TABLE IF NOT EXISTS tv.events_1m ON CLUSTER tv_cluster');
    expect(statements[0]).toContain("ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/tv/events_1m', '{replica}')");
    expect(statements[1]).toContain('CREATE MATERIALIZED VIEW IF NOT EXISTS tv.events_1m_mv ON CLUSTER tv_cluster TO tv.events_1m');
  });

  it('refuses names that are not plain identifiers', () => {
    expect(() => renderMigration('SELECT 1', { ...options, database: 'tv; DROP DATABASE x' })).toThrow(/Invalid database name/);
    expect(() => renderMigration('SELECT 1', { ...options, cluster: "c'" })).toThrow(/Invalid cluster name/);
  });
});

describe('tunnelvision schema', () => {
  it('prints the whole DDL, cluster variant included', async () => {
    const { schemaCommand } = await import('../src/cli/schema-command.js');
    let text = '';
    expect(schemaCommand(['--cluster', 'c1', '--database', 'tv'], (t) => (text += t))).toBe(0);
    expect(text).toContain('CREATE DATABASE IF NOT EXISTS tv ON CLUSTER c1;');
    // 19 tables plus the migrations ledger.
    expect(text.match(/ENGINE = Replicated\w*MergeTree\('\/clickhouse\/tables\/\{shard\}\/tv\//g)?.length).toBe(20);
    expect(text).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/tv/schema_migrations', '{replica}')");
    expect(schemaCommand(['--retention-days', 'x'], (t) => (text = t))).toBe(2);
    expect(text).toMatch(/Retention must be a whole number of days/);
  });
});
