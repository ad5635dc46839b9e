import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLUSTER_LAYOUT, LOCAL_SUFFIX } from '../../src/store/schema/cluster-layout.js';
import { ACCESS_LEDGER, readAccessMigrations, readMigrations } from '../../src/store/schema/migration-files.js';
import { bootstrapStatements, renderMigration, type SchemaOptions } from '../../src/store/schema/render-migration.js';
import { TABLE_NAMES } from '../../src/store/table-names.js';

/**
 * CLICKHOUSE_CLUSTER: the whole schema rendered for a cluster keeps the
 * table names the collector's inserts and queries use, on tables that
 * replicate and shard; without a cluster it is exactly the single-node schema.
 */

const SINGLE: SchemaOptions = { database: 'tv', retentionDays: 30, rollupRetentionDays: 400 };
const CLUSTER: SchemaOptions = { ...SINGLE, cluster: 'tv_cluster' };

function renderAll(options: SchemaOptions): string[] {
  return [
    ...bootstrapStatements(options),
    ...readMigrations().flatMap((m) => renderMigration(m.sql, options)),
    ...bootstrapStatements(options, ACCESS_LEDGER).slice(1),
    ...readAccessMigrations().flatMap((m) => renderMigration(m.sql, options)),
  ];
}

interface Created {
  kind: 'table' | 'view';
  name: string;
  engine: string;
  statement: string;
}

/** What each statement creates: table or view, name, and engine (or the view's target). */
function created(statements: readonly string[]): Created[] {
  const out: Created[] = [];
  for (const statement of statements) {
    const table = /CREATE TABLE IF NOT EXISTS tv\.(\w+)/.exec(statement);
    if (table) {
      const engine = /ENGINE = (\w+)(?:\(([^)]*)\))?/.exec(statement)!;
      out.push({ kind: 'table', name: table[1]!, engine: engine[0], statement });
      continue;
    }
    const view = /CREATE MATERIALIZED VIEW IF NOT EXISTS tv\.(\w+)[^\n]* TO tv\.(\w+)/.exec(statement);
    if (view) out.push({ kind: 'view', name: view[1]!, engine: `TO ${view[2]}`, statement });
  }
  return out;
}

/**
 * Tables the collector's code reads or writes: `${database}.name` (and
 * `${db}`, `${this.database}`, `${config.database}`) in collector/src, plus
 * the ingest tables the batch writer inserts into.
 */
function tablesTheCodeUses(): Set<string> {
  const root = fileURLToPath(new URL('../../src/', import.meta.url));
  const names = new Set<string>(TABLE_NAMES);
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/\$\{(?:this\.|config\.|options\.)?(?:database|db)\}\.(\w+)/g)) names.add(m[1]!);
      }
    }
  };
  walk(root);
  return names;
}

describe('the schema without a cluster', () => {
  it('is the single-node schema: these tables, engines and views, nothing replicated or distributed', () => {
    const statements = renderAll(SINGLE);
    expect(statements.join('\n')).not.toMatch(/ON CLUSTER|Replicated|Distributed|_local\b/);
    expect(created(statements).map((c) => `${c.name}: ${c.engine}`)).toEqual([
      'schema_migrations: ENGINE = ReplacingMergeTree',
      'logs: ENGINE = MergeTree',
      'metrics_sum: ENGINE = MergeTree',
      'metrics_gauge: ENGINE = MergeTree',
      'metrics_histogram: ENGINE = MergeTree',
      'metrics_exponential_histogram: ENGINE = MergeTree',
      'metrics_summary: ENGINE = MergeTree',
      'traces: ENGINE = MergeTree',
      'deploys: ENGINE = MergeTree',
      'events_1m: ENGINE = AggregatingMergeTree',
      'events_1m_mv: TO events_1m',
      'latency_1m: ENGINE = AggregatingMergeTree',
      'latency_1m_mv: TO latency_1m',
      'active_connections_1m: ENGINE = AggregatingMergeTree',
      'active_connections_1m_mv: TO active_connections_1m',
      'events_10s: ENGINE = AggregatingMergeTree',
      'events_10s_mv: TO events_10s',
      'latency_10s: ENGINE = AggregatingMergeTree',
      'latency_10s_mv: TO latency_10s',
      'alert_rules: ENGINE = ReplacingMergeTree(UpdatedAt)',
      'alert_silences: ENGINE = ReplacingMergeTree(UpdatedAt)',
      'alert_history: ENGINE = MergeTree',
      'alert_instances: ENGINE = ReplacingMergeTree(UpdatedAt)',
      'alert_notifications: ENGINE = MergeTree',
      'alert_leases: ENGINE = ReplacingMergeTree(UpdatedAt)',
      'reliability_1m: ENGINE = AggregatingMergeTree',
      'reliability_1m_mv: TO reliability_1m',
      'reliability_1h: ENGINE = AggregatingMergeTree',
      'reliability_1h_mv: TO reliability_1h',
      'connection_states_1m: ENGINE = AggregatingMergeTree',
      'connection_states_1m_mv: TO connection_states_1m',
      'connection_states_1h: ENGINE = AggregatingMergeTree',
      'connection_states_1h_mv: TO connection_states_1h',
      'events_1h: ENGINE = AggregatingMergeTree',
      'latency_1h: ENGINE = AggregatingMergeTree',
      'events_1h_mv: TO events_1h',
      'latency_1h_mv: TO latency_1h',
      'id_buckets: ENGINE = ReplacingMergeTree',
      'id_buckets_mv: TO id_buckets',
      'access_migrations: ENGINE = ReplacingMergeTree',
      'access_tenants: ENGINE = ReplacingMergeTree(Version)',
      'access_keys: ENGINE = ReplacingMergeTree(Version)',
      'access_users: ENGINE = ReplacingMergeTree(Version)',
      'access_sessions: ENGINE = ReplacingMergeTree(Version)',
      'access_key_usage: ENGINE = ReplacingMergeTree(LastUsedAt)',
    ]);
  });
});

describe('the schema on a cluster', () => {
  const statements = renderAll(CLUSTER);
  const objects = created(statements);
  const byName = new Map(objects.map((c) => [c.name, c]));

  it('runs every DDL statement ON CLUSTER, and a backfill once, through the Distributed tables', () => {
    const backfills = statements.filter((s) => /^INSERT /m.test(s));
    for (const statement of statements.filter((s) => !backfills.includes(s))) {
      expect(statement.split('\n').find((l) => /^(CREATE|ALTER) /.test(l))).toContain('ON CLUSTER tv_cluster');
    }
    // An INSERT cannot run ON CLUSTER, and one per node would copy every shard's rows into each shard.
    expect(backfills.map((s) => /^INSERT INTO (\S+)/m.exec(s)![1])).toEqual(['tv.events_1h', 'tv.latency_1h', 'tv.id_buckets']);
    for (const backfill of backfills) expect(backfill).not.toMatch(/ON CLUSTER|_local\b/);
  });

  it('makes every MergeTree-family table Replicated', () => {
    const storing = objects.filter((c) => c.kind === 'table' && !c.engine.startsWith('ENGINE = Distributed'));
    expect(storing.length).toBe(33);
    for (const table of storing) {
      expect(table.engine, table.name).toMatch(/^ENGINE = Replicated\w*MergeTree\('\/clickhouse\/tables\//);
    }
  });

  it('shards the high-volume tables: Replicated <name>_local per shard, Distributed <name> over it', () => {
    const sharded = Object.entries(CLUSTER_LAYOUT).filter(([, p]) => p.kind === 'sharded');
    expect(sharded.map(([name]) => name)).toEqual(expect.arrayContaining(['logs', 'traces', 'events_1m', 'latency_10s']));
    for (const [name, placement] of sharded) {
      const local = byName.get(`${name}${LOCAL_SUFFIX}`);
      expect(local?.engine, name).toMatch(new RegExp(`^ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard\\}/tv/${name}_local', '\\{replica\\}'`));
      const distributed = byName.get(name);
      expect(distributed?.statement, name).toContain(`CREATE TABLE IF NOT EXISTS tv.${name} ON CLUSTER tv_cluster AS tv.${name}_local`);
      expect(distributed?.statement, name).toContain(`ENGINE = Distributed(tv_cluster, tv, ${name}_local, ${placement.kind === 'sharded' ? placement.shardingKey : ''})`);
      // The Distributed table comes right after the local table it reads.
      expect(objects.indexOf(distributed!)).toBe(objects.indexOf(local!) + 1);
    }
  });

  it('replicates the small coordinated tables to every node under their own names', () => {
    const everywhere = Object.entries(CLUSTER_LAYOUT).filter(([, p]) => p.kind === 'everywhere');
    expect(everywhere.map(([name]) => name)).toEqual(expect.arrayContaining(['schema_migrations', 'deploys', 'alert_leases']));
    for (const [name] of everywhere) {
      expect(byName.get(name)?.engine, name).toMatch(new RegExp(`^ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/all_shards/tv/${name}', '\\{shard\\}-\\{replica\\}'`));
      expect(byName.has(`${name}${LOCAL_SUFFIX}`)).toBe(false);
    }
    expect(byName.get('alert_leases')?.engine).toBe("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all_shards/tv/alert_leases', '{shard}-{replica}', UpdatedAt)");
  });

  it('has, for every table the collector reads or writes, a table of that name: Distributed over the right local table, or replicated everywhere', () => {
    const used = tablesTheCodeUses();
    expect(used.size).toBeGreaterThanOrEqual(19);
    for (const name of used) {
      const placement = CLUSTER_LAYOUT[name];
      expect(placement, `${name} is used by the collector but has no cluster layout`).toBeDefined();
      const table = byName.get(name);
      expect(table?.kind, name).toBe('table');
      if (placement!.kind === 'sharded') expect(table!.engine, name).toMatch(new RegExp(`^ENGINE = Distributed\\(tv_cluster, tv, ${name}_local,`));
      else expect(table!.engine, name).toMatch(/^ENGINE = Replicated/);
    }
  });

  it('points materialized views from local tables into local tables, so each shard rolls up its own rows', () => {
    const views = objects.filter((c) => c.kind === 'view');
    expect(views.map((v) => `${v.name}: ${v.engine}`)).toEqual([
      'events_1m_mv: TO events_1m_local',
      'latency_1m_mv: TO latency_1m_local',
      'active_connections_1m_mv: TO active_connections_1m_local',
      'events_10s_mv: TO events_10s_local',
      'latency_10s_mv: TO latency_10s_local',
      'reliability_1m_mv: TO reliability_1m_local',
      'reliability_1h_mv: TO reliability_1h_local',
      'connection_states_1m_mv: TO connection_states_1m_local',
      'connection_states_1h_mv: TO connection_states_1h_local',
      'events_1h_mv: TO events_1h_local',
      'latency_1h_mv: TO latency_1h_local',
      'id_buckets_mv: TO id_buckets_local',
    ]);
    for (const view of views) {
      const sources = [...view.statement.matchAll(/FROM tv\.(\w+)/g)].map((m) => m[1]);
      expect(sources.length, view.name).toBeGreaterThan(0);
      for (const source of sources) expect(source, view.name).toMatch(/_local$/);
    }
    // String literals are not table names, even when they look like <db>.<name>.
    expect(byName.get('active_connections_1m_mv')!.statement).toContain("Attributes['tv.role']");
  });

  it('lists in the layout only tables the schema creates', () => {
    for (const name of Object.keys(CLUSTER_LAYOUT)) expect(byName.has(name), name).toBe(true);
  });
});

describe('rendering a migration for a cluster', () => {
  it('refuses a table that has no layout yet, naming where to add it', () => {
    expect(() => renderMigration('CREATE TABLE IF NOT EXISTS {{db}}.new_events {{on_cluster}} (A UInt8) ENGINE = MergeTree ORDER BY A;', CLUSTER)).toThrow(
      /new_events has no cluster layout: add it to CLUSTER_LAYOUT/,
    );
    // ...and renders it unchanged without a cluster.
    expect(renderMigration('CREATE TABLE IF NOT EXISTS {{db}}.new_events {{on_cluster}} (A UInt8) ENGINE = MergeTree ORDER BY A;', SINGLE)).toEqual([
      'CREATE TABLE IF NOT EXISTS tv.new_events  (A UInt8) ENGINE = MergeTree ORDER BY A',
    ]);
  });

  it('refuses a view that would roll a sharded table up into a table on every node', () => {
    const template = 'CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.x_mv {{on_cluster}} TO {{db}}.deploys AS SELECT * FROM {{db}}.logs;';
    expect(() => renderMigration(template, CLUSTER)).toThrow(/x_mv reads logs \(sharded\) into deploys \(everywhere\)/);
  });

  it('applies column changes of a sharded table to the local and the Distributed table, storage changes to the local one only', () => {
    expect(renderMigration('ALTER TABLE {{db}}.logs {{on_cluster}} ADD COLUMN IF NOT EXISTS Region LowCardinality(String);', CLUSTER)).toEqual([
      'ALTER TABLE tv.logs_local ON CLUSTER tv_cluster ADD COLUMN IF NOT EXISTS Region LowCardinality(String)',
      'ALTER TABLE tv.logs ON CLUSTER tv_cluster ADD COLUMN IF NOT EXISTS Region LowCardinality(String)',
    ]);
    expect(renderMigration('ALTER TABLE {{db}}.logs {{on_cluster}} MODIFY TTL toDateTime(Timestamp) + toIntervalDay(7);', CLUSTER)).toEqual([
      'ALTER TABLE tv.logs_local ON CLUSTER tv_cluster MODIFY TTL toDateTime(Timestamp) + toIntervalDay(7)',
    ]);
    expect(() => renderMigration('ALTER TABLE {{db}}.logs {{on_cluster}} ADD COLUMN R String, ADD INDEX i R TYPE bloom_filter GRANULARITY 1;', CLUSTER)).toThrow(
      /mixes column and storage changes/,
    );
    expect(renderMigration('ALTER TABLE {{db}}.deploys {{on_cluster}} ADD COLUMN Url String;', CLUSTER)).toEqual([
      'ALTER TABLE tv.deploys ON CLUSTER tv_cluster ADD COLUMN Url String',
    ]);
  });

  it('refuses other statements on sharded tables rather than guess', () => {
    expect(() => renderMigration('OPTIMIZE TABLE {{db}}.logs FINAL;', CLUSTER)).toThrow(/cannot render this statement on sharded table logs/);
  });

  it('runs a backfill as written, once, through the Distributed table', () => {
    expect(renderMigration('INSERT INTO {{db}}.events_1h SELECT * FROM {{db}}.events_1m;', CLUSTER)).toEqual(['INSERT INTO tv.events_1h SELECT * FROM tv.events_1m']);
  });
});
