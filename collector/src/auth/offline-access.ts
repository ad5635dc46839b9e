import type { CollectorConfig } from '../config/collector-config.js';
import { StoreError } from '../errors.js';
import { ClickHouseStore } from '../store/clickhouse-store.js';
import { AccessControl } from './access-control.js';

/**
 * Opens the store the collector would open (same settings) and hands the
 * access tables to `work`, for the `tunnelvision admin` commands. The
 * embedded store can be open in one process only, so with it the collector
 * must be stopped first; the error says so.
 */
export async function withOfflineAccess<T>(config: CollectorConfig, work: (access: AccessControl) => Promise<T>): Promise<T> {
  let store: ClickHouseStore;
  try {
    ({ store } = await ClickHouseStore.open({
      clickhouseUrl: config.clickhouseUrl,
      dataDir: config.dataDir,
      database: config.database,
      cluster: config.clickhouseCluster,
      retentionDays: config.retentionDays,
      rollupRetentionDays: config.rollupRetentionDays,
    }));
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const busy = !config.clickhouseUrl && /lock|already running|one process|active data directory/i.test(message);
    throw new StoreError(
      busy
        ? `The embedded store in ${config.dataDir} is in use, probably by a running collector: stop it first, or sign in to the dashboard as an admin and do this under Admin (${message})`
        : `Cannot open the store: ${message}`,
      { cause },
    );
  }
  try {
    return await work(
      new AccessControl({ client: store.client, database: config.database, mode: config.auth, legacyIngestKey: config.ingestKey, sessionTtlMillis: config.sessionTtlHours * 3_600_000 }),
    );
  } finally {
    await store.close();
  }
}
