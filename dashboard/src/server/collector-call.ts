import { readCollectorUrl } from './collector-url';
import { errorResponse } from './error-response';

/** How long the dashboard's server waits for the collector before answering 504. */
export const COLLECTOR_TIMEOUT_MILLIS = 10_000;

/** One request from the dashboard's server to the collector's /api/v1. */
export interface CollectorCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path below /api/v1 with its query string: `auth/session`, `series?from=1`. */
  path: string;
  headers: Headers;
  body?: string;
  signal?: AbortSignal;
  timeoutMillis?: number;
}

/** The collector's answer, read (a 204 has no body, so `json` is undefined), or the error response to send instead. */
export type CollectorAnswer =
  | { ok: true; status: number; headers: Headers; text: string; json: unknown; base: string }
  | { ok: false; response: Response };

/**
 * Calls the collector at COLLECTOR_URL. Every failure to get a JSON answer
 * becomes an error response worded for the person on the dashboard: 500
 * for a bad COLLECTOR_URL, 502 when the collector is not reachable or does
 * not answer JSON, 504 when it is too slow.
 */
export async function callCollector(call: CollectorCall): Promise<CollectorAnswer> {
  const setting = readCollectorUrl();
  if (!setting.ok) return { ok: false, response: errorResponse(500, 'bad_collector_url', setting.message) };
  const base = setting.url;
  const timeoutMillis = call.timeoutMillis ?? COLLECTOR_TIMEOUT_MILLIS;
  const timeout = AbortSignal.timeout(timeoutMillis);
  const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
  let upstream: Response;
  let text: string;
  try {
    upstream = await fetch(`${base}/api/v1/${call.path}`, { method: call.method, body: call.body, headers: call.headers, signal, cache: 'no-store' });
    text = await upstream.text();
  } catch (err) {
    if (timeout.aborted) {
      const message = `The collector at ${base} did not answer within ${timeoutMillis / 1000} s. It may be overloaded; check its log.`;
      return { ok: false, response: errorResponse(504, 'collector_timeout', message, { collector_url: base }) };
    }
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    const message = `The collector at ${base} is not answering: start it with npm run collector, or point COLLECTOR_URL at it${cause}.`;
    return { ok: false, response: errorResponse(502, 'collector_unreachable', message, { collector_url: base }) };
  }
  let json: unknown;
  try {
    json = upstream.status === 204 && text === '' ? undefined : JSON.parse(text);
  } catch {
    const message = `${base} answered ${upstream.status} without JSON: is COLLECTOR_URL pointing at the TunnelVision collector?`;
    return { ok: false, response: errorResponse(502, 'collector_not_json', message, { collector_url: base }) };
  }
  return { ok: true, status: upstream.status, headers: upstream.headers, text, json, base };
}

/**
 * Headers for passing a collector error on: JSON, not cached, and the
 * collector's Retry-After (throttled logins, rate limits).
 */
export function passThroughHeaders(upstream: Headers): Headers {
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  const retryAfter = upstream.get('retry-after');
  if (retryAfter) headers.set('retry-after', retryAfter);
  return headers;
}
