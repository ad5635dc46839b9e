import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCollectorConfig, type CollectorConfig } from '../../src/config/collector-config.js';
import { startCollector, type RunningCollector } from '../../src/collector.js';

/** A fresh embedded data directory for one test file. */
export function freshDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tv-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a real collector on port 0 over the embedded store in `dataDir`. */
export async function startTestCollector(dataDir: string, overrides: Partial<CollectorConfig> = {}): Promise<RunningCollector> {
  const config = loadCollectorConfig({}, [], {
    port: 0,
    dataDir,
    logLevel: 'silent',
    batchMaxDelayMillis: 100,
    ...overrides,
  });
  return startCollector(config);
}

/** GET a query-API path and return status and parsed JSON. */
export async function getJson<T = any>(base: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}
