export { freshDataDir, startTestCollector } from '../../src/testing/test-collector.js';

/** GET a query-API path and return status and parsed JSON. */
export async function getJson<T = any>(base: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}
