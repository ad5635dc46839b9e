/** Values substituted into a migration template. */
export interface SchemaOptions {
  /** Database name (a plain identifier). */
  database: string;
  /** Days raw rows are kept. */
  retentionDays: number;
  /** Days per-minute rollups are kept. */
  rollupRetentionDays: number;
  /**
   * ClickHouse cluster name. When set, statements run ON CLUSTER and every
   * MergeTree-family engine becomes its Replicated variant, keyed by the
   * server's {shard} and {replica} macros.
   */
  cluster?: string | undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Renders a migration template into the SQL statements to run, in order.
 * Placeholders: {{db}}, {{on_cluster}}, {{retention_days}}, {{rollup_retention_days}}.
 */
export function renderMigration(template: string, options: SchemaOptions): string[] {
  // Names are interpolated into DDL, so only plain identifiers get through.
  if (!IDENTIFIER.test(options.database)) throw new Error(`Invalid database name: ${options.database}`);
  if (options.cluster !== undefined && !IDENTIFIER.test(options.cluster)) throw new Error(`Invalid cluster name: ${options.cluster}`);
  for (const days of [options.retentionDays, options.rollupRetentionDays]) {
    if (!Number.isInteger(days) || days < 1) throw new Error(`Retention must be a whole number of days >= 1, got ${days}`);
  }
  let sql = template
    .replaceAll('{{db}}', options.database)
    .replaceAll('{{on_cluster}}', options.cluster ? `ON CLUSTER ${options.cluster}` : '')
    .replaceAll('{{retention_days}}', String(options.retentionDays))
    .replaceAll('{{rollup_retention_days}}', String(options.rollupRetentionDays));
  if (options.cluster) sql = replicateEngines(sql, options.database);
  const leftover = /\{\{\w+\}\}/.exec(sql);
  if (leftover) throw new Error(`Unknown placeholder ${leftover[0]} in migration`);
  return splitStatements(sql);
}

// The database and the ledger of applied migrations, created before any migration runs.
const BOOTSTRAP = `
CREATE DATABASE IF NOT EXISTS {{db}} {{on_cluster}};
CREATE TABLE IF NOT EXISTS {{db}}.schema_migrations {{on_cluster}}
(Version UInt32, Name String, AppliedAt DateTime DEFAULT now())
ENGINE = ReplacingMergeTree ORDER BY Version;
`;

/** The statements that create the database and the migrations ledger, cluster variant included. */
export function bootstrapStatements(options: SchemaOptions): string[] {
  return renderMigration(BOOTSTRAP, options);
}

/** `ENGINE = XMergeTree[(args)]` becomes `ENGINE = ReplicatedXMergeTree('<path>', '{replica}'[, args])`. */
function replicateEngines(sql: string, database: string): string {
  return sql.replace(
    /CREATE TABLE IF NOT EXISTS (\S+)([\s\S]*?)ENGINE = (\w*)MergeTree(?:\(([^)]*)\))?/g,
    (_all, table: string, body: string, kind: string, args: string | undefined) => {
      const name = table.split('.').pop();
      const zkPath = `'/clickhouse/tables/{shard}/${database}/${name}'`;
      const extra = args && args.trim() ? `, ${args.trim()}` : '';
      return `CREATE TABLE IF NOT EXISTS ${table}${body}ENGINE = Replicated${kind}MergeTree(${zkPath}, '{replica}'${extra})`;
    },
  );
}

/** Splits on semicolons that end a line; comments-only chunks are dropped. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}
