import { parseArgs } from 'node:util';
import { ACCESS_LEDGER, bootstrapStatements, readAccessMigrations, readMigrations, renderMigration } from '@tunnelvision/collector/schema';

export const SCHEMA_HELP = `Usage: tunnelvision schema [options]

Prints the ClickHouse DDL the collector applies at start, for review or to
apply by hand (clickhouse-client --multiquery < schema.sql).

  --database <name>             database (default: tunnelvision)
  --cluster <name>              emit ON CLUSTER: Replicated tables, Distributed tables over them
  --retention-days <n>          raw data TTL (default: 30)
  --rollup-retention-days <n>   rollup TTL (default: 400)
`;

/** Prints the rendered migrations; returns the exit code. */
export function schemaCommand(argv: string[], out: (text: string) => void): number {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        database: { type: 'string', default: 'tunnelvision' },
        cluster: { type: 'string' },
        'retention-days': { type: 'string', default: '30' },
        'rollup-retention-days': { type: 'string', default: '400' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    out(`tunnelvision schema: ${(err as Error).message}\n\n${SCHEMA_HELP}`);
    return 2;
  }
  if (values.help) {
    out(SCHEMA_HELP);
    return 0;
  }
  try {
    const options = {
      database: values.database,
      cluster: values.cluster,
      retentionDays: Number(values['retention-days']),
      rollupRetentionDays: Number(values['rollup-retention-days']),
    };
    const parts = bootstrapStatements(options).map((statement) => `${statement};`);
    for (const migration of readMigrations()) {
      parts.push(`-- ${String(migration.version).padStart(4, '0')}_${migration.name}`);
      for (const statement of renderMigration(migration.sql, options)) parts.push(`${statement};`);
    }
    // Keys, users, sessions and tenants: the main database only, with a ledger of their own.
    parts.push(...bootstrapStatements(options, ACCESS_LEDGER).slice(1).map((statement) => `${statement};`));
    for (const migration of readAccessMigrations()) {
      parts.push(`-- access/${String(migration.version).padStart(4, '0')}_${migration.name}`);
      for (const statement of renderMigration(migration.sql, options)) parts.push(`${statement};`);
    }
    out(`${parts.join('\n\n')}\n`);
    return 0;
  } catch (err) {
    out(`tunnelvision schema: ${(err as Error).message}`);
    return 2;
  }
}
