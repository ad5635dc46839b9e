/**
 * Where each table lives on a ClickHouse cluster (CLICKHOUSE_CLUSTER).
 *
 * - `sharded`: the high-volume tables (raw events, metrics, spans, and the
 *   rollups their materialized views fill). Each shard holds a
 *   `<name>_local` Replicated table; `<name>` is a Distributed table over
 *   them, so the collector's inserts and queries keep using the plain name.
 *   Materialized views read and write the `_local` tables, so each shard
 *   rolls up the rows it holds and queries merge the partial states.
 * - `everywhere`: small tables the collectors coordinate through (deploy
 *   markers, alert state, the leader lease, the migrations ledger). One
 *   Replicated table with a replica on every node of the cluster, read and
 *   written locally: a replica reads its own writes at once (the leader
 *   lease depends on that), with no Distributed hop and no sharding key.
 *
 * Every table a migration creates must be listed here; rendering for a
 * cluster refuses a table it does not know, so a new migration cannot ship
 * without deciding its layout.
 */
export type TablePlacement = { readonly kind: 'sharded'; readonly shardingKey: string } | { readonly kind: 'everywhere' };

/**
 * Rows are spread evenly (rand()): no query depends on which shard a row
 * is on, because every read goes through the Distributed table and
 * aggregates (uniq, t-digest, argMax, sumMap states) merge across shards.
 */
const EVEN: TablePlacement = { kind: 'sharded', shardingKey: 'rand()' };
const EVERYWHERE: TablePlacement = { kind: 'everywhere' };

export const CLUSTER_LAYOUT: Readonly<Record<string, TablePlacement>> = {
  // 0001-0003: what OTLP producers send.
  logs: EVEN,
  metrics_sum: EVEN,
  metrics_gauge: EVEN,
  metrics_histogram: EVEN,
  metrics_exponential_histogram: EVEN,
  metrics_summary: EVEN,
  // A trace's spans stay together on one shard.
  traces: { kind: 'sharded', shardingKey: 'cityHash64(TraceId)' },
  // 0005-0006: rollups, filled per shard by the materialized views.
  events_1m: EVEN,
  latency_1m: EVEN,
  active_connections_1m: EVEN,
  events_10s: EVEN,
  latency_10s: EVEN,
  // 0007: reliability rollups.
  reliability_1m: EVEN,
  reliability_1h: EVEN,
  connection_states_1m: EVEN,
  connection_states_1h: EVEN,
  // 0010: hourly event and latency rollups, filled from the per-minute ones.
  events_1h: EVEN,
  latency_1h: EVEN,
  // 0012: where each id occurs, filled per shard from the shard's own rows.
  id_buckets: EVEN,
  // Small, coordinated state.
  schema_migrations: EVERYWHERE,
  deploys: EVERYWHERE,
  alert_rules: EVERYWHERE,
  alert_silences: EVERYWHERE,
  alert_history: EVERYWHERE,
  alert_instances: EVERYWHERE,
  alert_notifications: EVERYWHERE,
  alert_leases: EVERYWHERE,
  // Access control, in the main database only (migrations/access).
  access_migrations: EVERYWHERE,
  access_tenants: EVERYWHERE,
  access_keys: EVERYWHERE,
  access_users: EVERYWHERE,
  access_sessions: EVERYWHERE,
  // 0002: each replica writes its own latest use of a key; reads take the max.
  access_key_usage: EVERYWHERE,
};

/** Suffix of the per-shard table behind a sharded table's Distributed one. */
export const LOCAL_SUFFIX = '_local';

/**
 * Settings the collector's client sends on a cluster:
 * - `insert_distributed_sync`: an insert into a Distributed table returns
 *   only once every shard has written its rows, so a 200 still means the
 *   rows are in ClickHouse (not queued on one node's disk for later).
 *   (`distributed_foreground_insert` is the newer name of the same setting.)
 * - `distributed_product_mode = 'global'`: an IN or JOIN subquery over a
 *   Distributed table (the timeline's message lookup) runs once on the node
 *   that received the query and is shipped to the shards, instead of being
 *   refused as a double-distributed subquery.
 */
export const CLUSTER_CLIENT_SETTINGS = {
  insert_distributed_sync: 1,
  distributed_product_mode: 'global',
} as const;

/** The layout of `table`, or an error naming the file to update. */
export function placementOf(table: string): TablePlacement {
  const placement = CLUSTER_LAYOUT[table];
  if (!placement) {
    throw new Error(
      `Table ${table} has no cluster layout: add it to CLUSTER_LAYOUT in collector/src/store/schema/cluster-layout.ts ` +
        '(sharded for high-volume rows, everywhere for small coordinated state)',
    );
  }
  return placement;
}
