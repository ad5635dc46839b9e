import type { CollectorConfig } from '../config/collector-config.js';
import type { StoreOptions } from './clickhouse-store.js';

/** The store the configuration names: the collector and the `tunnelvision admin` commands open the same one. */
export function storeOptionsFrom(config: CollectorConfig): StoreOptions {
  return {
    clickhouseUrl: config.clickhouseUrl,
    dataDir: config.dataDir,
    database: config.database,
    cluster: config.clickhouseCluster,
    retentionDays: config.retentionDays,
    rollupRetentionDays: config.rollupRetentionDays,
  };
}
