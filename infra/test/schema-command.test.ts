import { describe, expect, it } from 'vitest';
import { schemaCommand } from '../src/cli/schema-command.js';

describe('tunnelvision schema', () => {
  it('prints the whole DDL, cluster variant included', () => {
    let text = '';
    expect(schemaCommand(['--cluster', 'c1', '--database', 'tv'], (t) => (text += t))).toBe(0);
    expect(text).toContain('CREATE DATABASE IF NOT EXISTS tv ON CLUSTER c1;');
    // Every sharded table of cluster-layout.ts (19), each with a Distributed table over it.
    expect(text.match(/ENGINE = Replicated\w*MergeTree\('\/clickhouse\/tables\/\{shard\}\/tv\/\w+_local'/g)?.length).toBe(19);
    expect(text.match(/ENGINE = Distributed\(c1, tv, \w+_local, /g)?.length).toBe(19);
    expect(text).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all_shards/tv/schema_migrations', '{shard}-{replica}')");
    // The access tables are small coordinated state, on every node, with their own ledger.
    for (const table of ['access_migrations', 'access_keys', 'access_users', 'access_sessions', 'access_tenants']) {
      expect(text).toMatch(new RegExp(`ENGINE = ReplicatedReplacingMergeTree\\('/clickhouse/tables/all_shards/tv/${table}', '\\{shard\\}-\\{replica\\}'`));
    }
    expect(schemaCommand(['--retention-days', 'x'], (t) => (text = t))).toBe(2);
    expect(text).toMatch(/Retention must be a whole number of days/);
  });
});
