import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One versioned schema migration, as read from collector/migrations/NNNN_name.sql. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The SQL template, with {{placeholders}} not yet rendered. */
  readonly sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
/** Access control (keys, users, sessions, tenants): the main database only, with its own ledger. */
const ACCESS_MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/access/', import.meta.url));

/** The ledger table recording which access-control migrations ran. */
export const ACCESS_LEDGER = 'access_migrations';
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads every migration file in version order; versions must be unique. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = FILE_PATTERN.exec(file);
    if (!match) continue;
    migrations.push({ version: Number(match[1]), name: match[2]!, sql: readFileSync(new URL(file, `file://${dir}`), 'utf8') });
  }
  const versions = new Set(migrations.map((m) => m.version));
  if (versions.size !== migrations.length) throw new Error(`Duplicate migration version in ${dir}`);
  return migrations;
}

/** The access-control migrations (collector/migrations/access), applied to the main database only. */
export function readAccessMigrations(): Migration[] {
  return readMigrations(ACCESS_MIGRATIONS_DIR);
}
