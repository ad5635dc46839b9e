import { mkdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createClient, parseError, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { EncodedBlock } from '../ingest/encoded-block.js';
import type { InsertTarget } from './table-names.js';
import {
  ACCESS_LEDGER,
  applyMigrations,
  CLUSTER_CLIENT_SETTINGS,
  isFullyMigrated,
  readAccessMigrations,
  readMigrations,
  type Migration,
  type MigrationReport,
  type SchemaOptions,
} from './schema/index.js';
import { StoreError } from '../errors.js';

/** The embedded engine's connection for inserts, and the directory its binary blocks are staged in. */
interface EmbeddedEngine {
  /** Closed with the store. */
  connection: ReturnType<typeof createChdbConnection>;
  staging: string;
}

/** Where the store lives and how it is laid out. */
export interface StoreOptions {
  /** ClickHouse server URL; unset means embedded chDB in dataDir. */
  clickhouseUrl?: string | undefined;
  /** Embedded data directory; created when missing. */
  dataDir: string;
  database: string;
  /** Cluster for ON CLUSTER / Replicated DDL (server mode only). */
  cluster?: string | undefined;
  retentionDays: number;
  rollupRetentionDays: number;
}

/**
 * The collector's one handle on ClickHouse. Both modes go through
 * @clickhouse/client; only the connection differs. chDB binds one data
 * directory per process, which is why only the collector opens the store.
 */
export class ClickHouseStore {
  private constructor(
    readonly client: ClickHouseClient,
    readonly mode: 'embedded' | 'server',
    readonly location: string,
    readonly database: string,
    /** The schema this collector applies, read from disk once at open. */
    private readonly migrations: readonly Migration[],
    /**
     * The embedded engine's own insert, which parses the bytes as they are,
     * on its own threads, over a connection of its own (see embedded()).
     */
    private readonly embeddedEngine?: EmbeddedEngine,
  ) {}

  /** Binary blocks staged so far: each gets a file name of its own. */
  private stagedFiles = 0;

  /** Cluster and retention, as every tenant database's schema is rendered. */
  private layout: Omit<SchemaOptions, 'database'> = { retentionDays: 1, rollupRetentionDays: 1 };

  /** Connects (or opens the embedded store) and applies pending migrations. */
  static async open(options: StoreOptions): Promise<{ store: ClickHouseStore; migrations: MigrationReport }> {
    if (options.cluster !== undefined && !options.clickhouseUrl) throw new StoreError('A cluster needs a ClickHouse server: set CLICKHOUSE_URL with CLICKHOUSE_CLUSTER');
    const schema = readMigrations();
    const store = options.clickhouseUrl
      ? ClickHouseStore.server(options.clickhouseUrl, options.database, options.cluster, schema)
      : ClickHouseStore.embedded(options, schema);
    store.layout = { cluster: options.cluster, retentionDays: options.retentionDays, rollupRetentionDays: options.rollupRetentionDays };
    try {
      const migrations = await applyMigrations(store.client, { database: options.database, ...store.layout }, schema);
      // Keys, users, sessions and tenants: the main database only.
      await applyMigrations(store.client, { database: options.database, ...store.layout }, readAccessMigrations(), ACCESS_LEDGER);
      return { store, migrations };
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  private static embedded(options: StoreOptions, schema: readonly Migration[]): ClickHouseStore {
    const path = resolve(options.dataDir);
    mkdirSync(path, { recursive: true });
    let client: ClickHouseClient;
    let connection: ReturnType<typeof createChdbConnection>;
    let inserts: ReturnType<typeof createChdbConnection>;
    try {
      connection = createChdbConnection({ path });
      // The engine runs one statement at a time per connection: on one
      // connection, every read (timeline, alerts, dashboard) would wait for
      // the insert in flight and every insert for the reads queued before it.
      // Connections to the same directory share the one engine and its data.
      inserts = createChdbConnection({ path });
      client = createClient({
        // chdb types its connection against @clickhouse/client-common, which
        // the client also bundles as a copy; the runtime contract is the same.
        connection: connection as unknown as ClickHouseClientConfigOptions['connection'],
        clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
      });
    } catch (cause) {
      throw new StoreError(
        `Could not open the embedded store in ${path}: ${(cause as Error).message}. ` +
          'Only one process may use a data directory; stop the other collector or set DATA_DIR.',
        { cause },
      );
    }
    // Binary blocks wait here for the engine to read them; a crash may have left some.
    const staging = join(path, 'insert-staging');
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    return new ClickHouseStore(client, 'embedded', path, options.database, schema, { connection: inserts, staging });
  }

  private static server(url: string, database: string, cluster: string | undefined, schema: readonly Migration[]): ClickHouseStore {
    const client = createClient({
      url,
      request_timeout: 30_000,
      clickhouse_settings: {
        output_format_json_quote_64bit_integers: 1,
        date_time_input_format: 'best_effort',
        // On a cluster: synchronous Distributed inserts (a 200 still means
        // stored) and IN/JOIN subqueries over Distributed tables run GLOBAL.
        ...(cluster ? CLUSTER_CLIENT_SETTINGS : {}),
      },
    });
    const safe = new URL(url);
    safe.password = safe.password ? '***' : '';
    return new ClickHouseStore(client, 'server', safe.toString(), database, schema);
  }

  /**
   * Inserts an encoded block into one table of one tenant's database (its
   * name validated where the tenant is resolved; the table is one of
   * TABLE_NAMES). `token` is its insert_deduplication_token, applied to the
   * table and to every view the insert feeds, so the same block written
   * again is skipped everywhere. The views of `logs` run side by side: each
   * costs mostly a pipeline and a part per insert, so together they finish
   * in about 60 % of the time for the same CPU (docs/benchmarks.md).
   */
  async insert({ database, table }: InsertTarget, block: EncodedBlock, token: string): Promise<void> {
    const target = `${database}.${table}`;
    const settings = { insert_deduplication_token: token, deduplicate_blocks_in_dependent_materialized_views: 1, parallel_view_processing: 1 } as const;
    if (this.embeddedEngine) {
      try {
        if (block.format === 'JSONEachRow') await this.embeddedEngine.connection.chdb.rawInsert({ table: target, values: block.body, format: block.format, settings });
        else await this.insertFromFile(this.embeddedEngine, target, block, settings);
      } catch (cause) {
        // The engine's message carries ClickHouse's error code; parsed, it reads as the client's errors do.
        throw Object.assign(parseError(cause instanceof Error ? cause.message : String(cause)), { cause });
      }
      return;
    }
    const result = await this.client.exec({
      query: `INSERT INTO ${target} FORMAT ${block.format}`,
      values: Readable.from([block.body]),
      clickhouse_settings: settings,
    });
    // The answer is empty; reading it to the end hands the connection back to the pool.
    await finished(result.stream.resume());
  }

  /**
   * The embedded engine's raw insert takes text formats only, so a binary
   * block goes through a file the engine reads itself (FROM INFILE), which
   * costs a write to the page cache and saves parsing every row's text.
   */
  private async insertFromFile({ connection, staging }: EmbeddedEngine, target: string, block: EncodedBlock, settings: Readonly<Record<string, string | number>>): Promise<void> {
    const file = join(staging, `${++this.stagedFiles}.${block.format}`);
    await writeFile(file, block.body);
    try {
      const clauses = Object.entries(settings).map(([name, value]) => `${name} = ${typeof value === 'number' ? value : sqlString(value)}`);
      await connection.chdb.queryAsync(`INSERT INTO ${target} FROM INFILE ${sqlString(file)} SETTINGS ${clauses.join(', ')} FORMAT ${block.format}`);
    } finally {
      await rm(file, { force: true });
    }
  }

  /** Creates or upgrades another tenant's database with the same schema as the main one. */
  migrateTenantDatabase(database: string): Promise<MigrationReport> {
    return applyMigrations(this.client, { database, ...this.layout }, this.migrations);
  }

  /** Store reachable and schema complete. */
  async ready(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      const ping = await this.client.ping();
      if (!ping.success) return { ok: false, reason: `ClickHouse unreachable: ${ping.error.message}` };
      if (!(await isFullyMigrated(this.client, this.database, this.migrations))) return { ok: false, reason: 'schema migrations pending' };
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
  }

  async close(): Promise<void> {
    await this.embeddedEngine?.connection.close();
    await this.client.close();
  }
}

/** A ClickHouse string literal. */
const sqlString = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
