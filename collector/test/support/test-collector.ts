import { afterEach } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import type { InsertRows } from '../../src/ingest/batch-writer.js';
import { freshDataDir, startTestCollector } from '../../src/testing/test-collector.js';

export { freshDataDir, startTestCollector };

type Overrides = NonNullable<Parameters<typeof startTestCollector>[1]>;

/**
 * For tests that each start their own collector with a fault in its store:
 * returns a starter whose collectors run on fresh data directories with
 * `defaults` under the test's own overrides, and are stopped and removed
 * after each test (newest first), from the scope it is called in.
 */
export function collectorsPerTest(defaults: Overrides = {}): (overrides: Overrides, wrapInsert: (insert: InsertRows) => InsertRows) => Promise<RunningCollector> {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  return async (overrides, wrapInsert) => {
    const data = freshDataDir();
    stops.push(() => data.remove());
    const collector = await startTestCollector(data.dir, { ...defaults, ...overrides }, { wrapInsert });
    stops.push(() => collector.stop());
    return collector;
  };
}

/** GET a query-API path and return status and parsed JSON. */
export async function getJson<T = any>(base: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

/** Polls `check` every 200 ms until it holds; throws after `timeoutMillis`. */
export async function until(check: () => Promise<boolean>, timeoutMillis: number): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMillis} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
