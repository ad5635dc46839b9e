export { freshDataDir, startTestCollector } from '../../src/testing/test-collector.js';

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
