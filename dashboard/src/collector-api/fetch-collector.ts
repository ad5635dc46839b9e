import { sendToLogin } from '@/auth/send-to-login';
import { problemFromResponse, type ApiResult } from './api-problem';
import { csrfToken, forgetCsrfToken } from './csrf-token';

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

/** One call through the proxy: GET with params, POST with a JSON body, or DELETE. */
interface CollectorRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  params?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
}

/** Headers for one call: JSON, and on writes the session's CSRF token (none in open mode without a session). */
async function requestHeaders(method: CollectorRequest['method'], withBody: boolean): Promise<Record<string, string>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (withBody) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = await csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  return headers;
}

async function requestCollector<T>({ method, path, params = {}, body, signal }: CollectorRequest): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(proxyUrl(path, params), {
      method,
      signal,
      cache: 'no-store',
      headers: await requestHeaders(method, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
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
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch (err) {
    if (signal?.aborted) throw err;
    return {
      ok: false,
      problem: { kind: 'unexpected', status: response.status, message: `The query API answered ${response.status} without JSON.` },
    };
  }
  if (!response.ok) {
    const problem = problemFromResponse(response.status, parsed);
    if (problem.kind === 'signed_out') sendToLogin();
    // A refused write may mean a stale CSRF token (signed in again elsewhere): ask for a fresh one next time.
    if (method !== 'GET' && response.status === 403) forgetCsrfToken();
    return { ok: false, problem };
  }
  return { ok: true, data: parsed as T };
}

/**
 * GETs a query-API path through the dashboard's proxy. Never throws for an
 * HTTP or network failure: it returns the problem, worded for the user.
 * An abort (the caller moved on) does throw, so callers can ignore it.
 */
export function fetchCollector<T>(path: string, params: QueryParams = {}, signal?: AbortSignal): Promise<ApiResult<T>> {
  return requestCollector<T>({ method: 'GET', path, params, signal });
}

/**
 * POSTs a JSON body (`silences`, `admin/keys`) or DELETEs a path
 * (`silences/<id>`, `admin/users/<name>`) through the dashboard's proxy,
 * which allows only those writes, with the session's CSRF token. Failures
 * are values, as with {@link fetchCollector}; a 400's message names the bad
 * field.
 */
export function writeCollector<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiResult<T>> {
  return requestCollector<T>({ method, path, body: method === 'POST' ? (body ?? {}) : undefined });
}
