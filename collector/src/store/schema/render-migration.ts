import { CLUSTER_LAYOUT, LOCAL_SUFFIX, placementOf, type TablePlacement } from './cluster-layout.js';

/** Values substituted into a migration template. */
export interface SchemaOptions {
  /** Database name (a plain identifier). */
  database: string;
  /** Days raw rows are kept. */
  retentionDays: number;
  /** Days per-minute rollups are kept. */
  rollupRetentionDays: number;
  /**
   * ClickHouse cluster name. When set, statements run ON CLUSTER, every
   * MergeTree-family engine becomes its Replicated variant, and each table
   * is laid out as CLUSTER_LAYOUT says: high-volume tables as `<name>_local`
   * on every shard with a Distributed `<name>` over them, small coordinated
   * tables replicated to every node (see cluster-layout.ts).
   */
  cluster?: string | undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Renders a migration template into the SQL statements to run, in order.
 * Placeholders: {{db}}, {{on_cluster}}, {{retention_days}}, {{rollup_retention_days}}.
 * Without a cluster the statements are the templates' own; with one, each
 * statement is rewritten for the cluster layout.
 */
export function renderMigration(template: string, options: SchemaOptions): string[] {
  // Names are interpolated into DDL, so only plain identifiers get through.
  if (!IDENTIFIER.test(options.database)) throw new Error(`Invalid database name: ${options.database}`);
  if (options.cluster !== undefined && !IDENTIFIER.test(options.cluster)) throw new Error(`Invalid cluster name: ${options.cluster}`);
  for (const days of [options.retentionDays, options.rollupRetentionDays]) {
    if (!Number.isInteger(days) || days < 1) throw new Error(`Retention must be a whole number of days >= 1, got ${days}`);
  }
  const sql = template
    .replaceAll('{{db}}', options.database)
    .replaceAll('{{on_cluster}}', options.cluster ? `ON CLUSTER ${options.cluster}` : '')
    .replaceAll('{{retention_days}}', String(options.retentionDays))
    .replaceAll('{{rollup_retention_days}}', String(options.rollupRetentionDays));
  const leftover = /\{\{\w+\}\}/.exec(sql);
  if (leftover) throw new Error(`Unknown placeholder ${leftover[0]} in migration`);
  const statements = splitStatements(sql);
  const cluster = options.cluster;
  if (!cluster) return statements;
  return statements.flatMap((statement) => renderForCluster(statement, options.database, cluster));
}

/** The statements that create the database and a ledger of applied migrations (default `schema_migrations`), cluster variant included. */
export function bootstrapStatements(options: SchemaOptions, ledger = 'schema_migrations'): string[] {
  if (!IDENTIFIER.test(ledger)) throw new Error(`Invalid ledger table name: ${ledger}`);
  return renderMigration(
    `CREATE DATABASE IF NOT EXISTS {{db}} {{on_cluster}};
CREATE TABLE IF NOT EXISTS {{db}}.${ledger} {{on_cluster}}
(Version UInt32, Name String, AppliedAt DateTime DEFAULT now())
ENGINE = ReplacingMergeTree ORDER BY Version;`,
    options,
  );
}

/** Keeper path of a table's replicas; sharded tables have one replica set per shard. */
export function replicationPath(database: string, table: string, placement: TablePlacement): string {
  return placement.kind === 'sharded' ? `/clickhouse/tables/{shard}/${database}/${table}` : `/clickhouse/tables/all_shards/${database}/${table}`;
}

/** Replica name; a table replicated to every node needs a name unique across shards. */
export function replicaName(placement: TablePlacement): string {
  return placement.kind === 'sharded' ? '{replica}' : '{shard}-{replica}';
}

const ENGINE = /ENGINE = (\w*)MergeTree(?:\(([^)]*)\))?/;

/** One statement of the single-node schema as the statements that give the cluster layout. */
function renderForCluster(statement: string, database: string, cluster: string): string[] {
  const { comments, body } = splitLeadingComments(statement);
  const db = escapeRegExp(database);
  const withComments = (sql: string) => comments + sql;

  if (/^CREATE DATABASE\b/.test(body)) return [statement];
  // A backfill runs once, on the node that migrates, through the Distributed
  // tables, which spread its rows over the shards: an INSERT cannot run ON
  // CLUSTER, and one per node would copy every shard's rows into each shard.
  if (/^INSERT INTO\b/.test(body)) return [statement];

  const table = new RegExp(`^CREATE TABLE IF NOT EXISTS ${db}\\.(\\w+)\\b`).exec(body);
  if (table) {
    const name = table[1]!;
    const placement = placementOf(name);
    const engine = ENGINE.exec(body);
    if (!engine) throw new Error(`Table ${name}: cluster mode knows only MergeTree-family engines`);
    const stored = placement.kind === 'sharded' ? `${name}${LOCAL_SUFFIX}` : name;
    const args = engine[2]?.trim() ? `, ${engine[2].trim()}` : '';
    const replicated = `ENGINE = Replicated${engine[1]}MergeTree('${replicationPath(database, stored, placement)}', '${replicaName(placement)}'${args})`;
    const local = body.replace(table[0], `CREATE TABLE IF NOT EXISTS ${database}.${stored}`).replace(engine[0], replicated);
    if (placement.kind === 'everywhere') return [withComments(local)];
    return [
      withComments(local),
      `CREATE TABLE IF NOT EXISTS ${database}.${name} ON CLUSTER ${cluster} AS ${database}.${stored}\n` +
        `ENGINE = Distributed(${cluster}, ${database}, ${stored}, ${placement.shardingKey})`,
    ];
  }

  const view = new RegExp(`^CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}\\.(\\w+)\\s+(?:ON CLUSTER \\w+\\s+)?TO\\s+${db}\\.(\\w+)\\b`).exec(body);
  if (view) {
    const [, name, target] = view as unknown as [string, string, string];
    const sources = [...referencedTables(body, database)].filter((t) => t !== name && t !== target);
    const targetKind = placementOf(target).kind;
    for (const source of sources) {
      // A view fires on the node that receives the insert: a sharded source
      // must roll up into the same shard's local table, never elsewhere.
      if (placementOf(source).kind !== targetKind) {
        throw new Error(`Materialized view ${name} reads ${source} (${placementOf(source).kind}) into ${target} (${targetKind}): both must have the same layout`);
      }
    }
    return [withComments(toLocalTables(body, database))];
  }

  const alter = new RegExp(`^ALTER TABLE ${db}\\.(\\w+)\\b`).exec(body);
  if (alter) {
    const name = alter[1]!;
    if (placementOf(name).kind === 'everywhere') return [statement];
    // Column changes apply to the local tables and the Distributed table;
    // storage changes (TTL, indexes, settings) to the local tables only.
    const columnChange = /\b(?:ADD|DROP|MODIFY|RENAME|COMMENT|CLEAR) COLUMN\b/.test(body);
    const storageChange = /\b(?:INDEX|TTL|SETTING|PROJECTION|ORDER BY|PARTITION|CONSTRAINT|STATISTICS)\b/.test(body);
    if (columnChange && storageChange) {
      throw new Error(`ALTER TABLE ${name} mixes column and storage changes; split it into two statements for cluster mode`);
    }
    const local = withComments(body.replace(alter[0], `ALTER TABLE ${database}.${name}${LOCAL_SUFFIX}`));
    return columnChange ? [local, body] : [local];
  }

  const sharded = [...referencedTables(body, database)].filter((t) => CLUSTER_LAYOUT[t]?.kind === 'sharded');
  if (sharded.length > 0) {
    throw new Error(`Cluster mode cannot render this statement on sharded table ${sharded[0]}: ${body.split('\n')[0]}`);
  }
  return [statement];
}

/** `<db>.<name>` references in a statement, outside string literals and comments. */
function referencedTables(sql: string, database: string): Set<string> {
  const names = new Set<string>();
  outsideLiterals(sql, (code) => {
    for (const match of code.matchAll(tableReference(database))) names.add(match[1]!);
    return code;
  });
  return names;
}

/** Every reference to a sharded table points at its per-shard local table. */
function toLocalTables(sql: string, database: string): string {
  return outsideLiterals(sql, (code) =>
    code.replace(tableReference(database), (whole, name: string) =>
      CLUSTER_LAYOUT[name]?.kind === 'sharded' ? `${database}.${name}${LOCAL_SUFFIX}` : whole,
    ),
  );
}

function tableReference(database: string): RegExp {
  return new RegExp(`(?<![\\w.])${escapeRegExp(database)}\\.(\\w+)\\b`, 'g');
}

// String literals ('...', with \' or '' escapes) and -- comments: a map key
// such as 'tv.role' is not a table even when the database is called tv.
const LITERAL = /'(?:[^'\\]|\\.|'')*'|--[^\n]*/g;

/** Applies `edit` to the parts of `sql` that are code, leaving literals and comments as they are. */
function outsideLiterals(sql: string, edit: (code: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of sql.matchAll(LITERAL)) {
    out += edit(sql.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + edit(sql.slice(last));
}

function splitLeadingComments(statement: string): { comments: string; body: string } {
  const lines = statement.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.trim().startsWith('--'))) i++;
  return { comments: lines.slice(0, i).map((l) => `${l}\n`).join(''), body: lines.slice(i).join('\n') };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits on semicolons that end a line; comments-only chunks are dropped. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}
