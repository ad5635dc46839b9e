import { problemFromResponse, type ApiResult } from './api-problem';

/** Query parameters; undefined and empty values are left out. */
export type QueryParams = Record<string, string | number | undefined>;

/** The dashboard's proxy to the collector's /api/v1 (src/app/api/collector/[...path]/route.ts). */
export const PROXY_BASE = '/api/collector';

/** Builds the proxy URL for a query-API path such as `series` or `deploys/<id>/impact`. */
export function proxyUrl(path: string, params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  return `${PROXY_BASE}/${path}${query ? `?${query}` : ''}`;
}

/**
 * GETs a query-API path through the dashboard's proxy. Never throws for an
 * HTTP or network failure: it returns the problem, worded for the user.
 * An abort (the caller moved on) does throw, so callers can ignore it.
 */
export async function fetchCollector<T>(path: string, params: QueryParams = {}, signal?: AbortSignal): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(proxyUrl(path, params), { signal, cache: 'no-store', headers: { accept: 'application/json' } });
  } catch (err) {
    if (signal?.aborted) throw err;
    return {
      ok: false,
      problem: {
        kind: 'dashboard_unreachable',
        status: 0,
        message: 'The dashboard server is not answering. Is `npm run start -w dashboard` still running?',
      },
    };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    if (signal?.aborted) throw err;
    return {
      ok: false,
      problem: { kind: 'unexpected', status: response.status, message: `The query API answered ${response.status} without JSON.` },
    };
  }
  if (!response.ok) return { ok: false, problem: problemFromResponse(response.status, body) };
  return { ok: true, data: body as T };
}
