import { readCollectorUrl } from './collector-url';

/** How long the proxy waits for the collector before answering 504. */
export const COLLECTOR_TIMEOUT_MILLIS = 10_000;

/** A path below /api/v1 made of plain segments: `series`, `deploys/<uuid>/impact`. */
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Query-API paths the dashboard reads; anything else is refused, so the proxy cannot be used to reach other routes. */
const ALLOWED = [/^series$/, /^timeline$/, /^close-codes$/, /^labels$/, /^deploys$/, /^deploys\/[^/]+\/impact$/, /^status$/];

function errorResponse(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ error: { status, code, message, ...extra } }, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * Forwards a GET to the collector's query API at `/api/v1/<segments>` with
 * the same query string, and passes its status and JSON body through.
 * Answers 502 when the collector is not reachable, 504 when it is too slow,
 * each with a message that says what to do.
 */
export async function proxyToCollector(
  segments: readonly string[],
  search: string,
  signal?: AbortSignal,
  timeoutMillis = COLLECTOR_TIMEOUT_MILLIS,
): Promise<Response> {
  const setting = readCollectorUrl();
  if (!setting.ok) return errorResponse(500, 'bad_collector_url', setting.message);
  const base = setting.url;
  const path = segments.join('/');
  if (!segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..') || !ALLOWED.some((re) => re.test(path))) {
    return errorResponse(404, 'unknown_route', `The dashboard does not proxy /api/v1/${path}.`);
  }
  const target = `${base}/api/v1/${path}${search}`;
  const timeout = AbortSignal.timeout(timeoutMillis);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let upstream: Response;
  try {
    upstream = await fetch(target, { signal: combined, cache: 'no-store', headers: { accept: 'application/json' } });
  } catch (err) {
    if (timeout.aborted) {
      return errorResponse(
        504,
        'collector_timeout',
        `The collector at ${base} did not answer within ${timeoutMillis / 1000} s. It may be overloaded; check its log.`,
        { collector_url: base },
      );
    }
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return errorResponse(
      502,
      'collector_unreachable',
      `The collector at ${base} is not answering: start it with npm run collector, or point COLLECTOR_URL at it${cause}.`,
      { collector_url: base },
    );
  }
  const text = await upstream.text();
  try {
    JSON.parse(text);
  } catch {
    return errorResponse(
      502,
      'collector_not_json',
      `${base} answered ${upstream.status} without JSON: is COLLECTOR_URL pointing at the TunnelVision collector?`,
      { collector_url: base },
    );
  }
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  const retryAfter = upstream.headers.get('retry-after');
  if (retryAfter) headers.set('retry-after', retryAfter);
  return new Response(text, { status: upstream.status, headers });
}
