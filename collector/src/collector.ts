import type { FastifyInstance } from 'fastify';
import type { CollectorConfig } from './config/collector-config.js';
import { createServer } from './http/create-server.js';
import { BatchWriter } from './ingest/batch-writer.js';
import { ClickHouseStore } from './store/clickhouse-store.js';

/** A running collector: store, batch writer and HTTP server. */
export interface RunningCollector {
  /** Base URL the server listens on, e.g. http://127.0.0.1:4318. */
  readonly url: string;
  readonly store: ClickHouseStore;
  readonly writer: BatchWriter;
  readonly server: FastifyInstance;
  /** Migrations applied at this start. */
  readonly migrationsApplied: readonly string[];
  /** Stops taking requests, writes what is buffered, closes the store. */
  stop(): Promise<void>;
}

/** Opens the store, applies migrations and starts listening. */
export async function startCollector(config: CollectorConfig): Promise<RunningCollector> {
  const { store, migrations } = await ClickHouseStore.open({
    clickhouseUrl: config.clickhouseUrl,
    dataDir: config.dataDir,
    database: config.database,
    cluster: config.clickhouseCluster,
    retentionDays: config.retentionDays,
    rollupRetentionDays: config.rollupRetentionDays,
  });
  let server: FastifyInstance | undefined;
  const writer = new BatchWriter({
    maxRows: config.batchMaxRows,
    maxDelayMillis: config.batchMaxDelayMillis,
    maxBufferedRows: config.maxBufferedRows,
    insert: async (table, rows) => {
      await store.client.insert({ table: `${config.database}.${table}`, values: rows, format: 'JSONEachRow' });
    },
    onInsertError: (table, rows, err) => server?.log.error({ err, table, rows }, 'insert failed'),
  });
  try {
    server = await createServer({
      writer,
      corsOrigins: config.corsOrigins,
      ingestKey: config.ingestKey,
      retryAfterSeconds: config.retryAfterSeconds,
      client: store.client,
      database: config.database,
      ready: () => store.ready(),
      storeMode: store.mode,
      maxRequestBytes: config.maxRequestBytes,
      logLevel: config.logLevel,
    });
    await server.listen({ port: config.port, host: config.host });
  } catch (err) {
    await server?.close();
    await store.close();
    throw err;
  }
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let stopping: Promise<void> | undefined;
  const app = server;
  return {
    url: `http://${host}:${port}`,
    store,
    writer,
    server: app,
    migrationsApplied: migrations.applied,
    stop() {
      stopping ??= (async () => {
        // Close the listener first (in-flight requests finish and wait for
        // their rows), then write what is left and release the store.
        await app.close();
        await writer.close();
        await store.close();
      })();
      return stopping;
    },
  };
}
