import type { CollectorConfig } from '../config/collector-config.js';
import { StoreError } from '../errors.js';
import { ClickHouseStore } from '../store/clickhouse-store.js';
import { storeOptionsFrom } from '../store/store-options.js';
import type { AccessControl } from './access-control.js';
import { accessControlFrom } from './access-from-config.js';

/**
 * Opens the store the collector would open (same settings) and hands the
 * access tables to `work`, for the `tunnelvision admin` commands. The
 * embedded store can be open in one process only, so with it the collector
 * must be stopped first; the error says so.
 */
export async function withOfflineAccess<T>(config: CollectorConfig, work: (access: AccessControl) => Promise<T>): Promise<T> {
  let store: ClickHouseStore;
  try {
    ({ store } = await ClickHouseStore.open(storeOptionsFrom(config)));
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
    return await work(accessControlFrom(store.client, config));
  } finally {
    await store.close();
  }
}
