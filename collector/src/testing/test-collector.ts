import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient } from '@clickhouse/client';
import { loadCollectorConfig, type CollectorConfig } from '../config/collector-config.js';
import { startCollector, type CollectorHooks, type RunningCollector } from '../collector.js';

/**
 * The store a test collector runs on. By default the embedded store in the
 * test file's data directory; with TEST_CLICKHOUSE_URL, a database of its
 * own on that ClickHouse server (and TEST_CLICKHOUSE_CLUSTER, on that
 * cluster).
 */
export type TestStoreChoice =
  | { readonly mode: 'embedded'; readonly dataDir: string }
  | { readonly mode: 'server'; readonly url: string; readonly database: string; readonly cluster: string | undefined };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Decides where a test collector keeps its data. On a server the database
 * is named after the data directory: freshDataDir() makes a new directory
 * per test file, so each file gets a fresh database, and a test that
 * restarts its collector on the same directory finds its data again, as it
 * would on the embedded store.
 */
export function chooseTestStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): TestStoreChoice {
  const url = env.TEST_CLICKHOUSE_URL?.trim();
  const cluster = env.TEST_CLICKHOUSE_CLUSTER?.trim() || undefined;
  if (!url) {
    if (cluster) throw new Error('TEST_CLICKHOUSE_CLUSTER needs TEST_CLICKHOUSE_URL: the embedded store is a single node');
    return { mode: 'embedded', dataDir };
  }
  if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) {
    throw new Error(`TEST_CLICKHOUSE_URL="${url}": must be an http(s) URL of a ClickHouse server, e.g. http://default:secret@127.0.0.1:8123`);
  }
  if (cluster !== undefined && !IDENTIFIER.test(cluster)) throw new Error(`TEST_CLICKHOUSE_CLUSTER="${cluster}": must be a plain identifier`);
  const database = `tv_test_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)}`;
  return { mode: 'server', url, database, cluster };
}

/**
 * A fresh data directory for one test file. `remove()` deletes it and, in
 * server mode (TEST_CLICKHOUSE_URL), drops the file's database; await it so
 * the drop finishes before the test process exits.
 */
export function freshDataDir(env: NodeJS.ProcessEnv = process.env): { dir: string; remove: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'tv-test-'));
  return {
    dir,
    remove: async () => {
      rmSync(dir, { recursive: true, force: true });
      const choice = chooseTestStore(dir, env);
      if (choice.mode === 'server') await dropTestDatabase(choice);
    },
  };
}

/** Drops a test database on the server (SYNC, so replicated tables leave Keeper too). */
export async function dropTestDatabase(choice: Extract<TestStoreChoice, { mode: 'server' }>): Promise<void> {
  const client = createClient({ url: choice.url, request_timeout: 60_000 });
  try {
    const onCluster = choice.cluster ? ` ON CLUSTER ${choice.cluster}` : '';
    await client.command({ query: `DROP DATABASE IF EXISTS ${choice.database}${onCluster} SYNC` });
  } finally {
    await client.close();
  }
}

/**
 * Starts a real collector on port 0, quiet: on the embedded store in `dataDir`, or, when
 * TEST_CLICKHOUSE_URL is set, on that server in the database
 * chooseTestStore names. Lives with the collector (as
 * '@tunnelvision/collector/testing') so that packages testing against it
 * need no second copy and no dependency cycle.
 */
export async function startTestCollector(dataDir: string, overrides: Partial<CollectorConfig> = {}, hooks: CollectorHooks = {}): Promise<RunningCollector> {
  const choice = chooseTestStore(dataDir);
  // Through the environment, so the collector validates them as it would in production.
  const env: NodeJS.ProcessEnv =
    choice.mode === 'server'
      ? { CLICKHOUSE_URL: choice.url, CLICKHOUSE_DATABASE: choice.database, ...(choice.cluster ? { CLICKHOUSE_CLUSTER: choice.cluster } : {}) }
      : {};
  const config = loadCollectorConfig(env, [], {
    port: 0,
    // A free port too, so test collectors never clash on 4317.
    grpcPort: 0,
    dataDir,
    logLevel: 'silent',
    ...overrides,
  });
  return startCollector(config, hooks);
}
