import { callCollector, COLLECTOR_TIMEOUT_MILLIS, passThroughHeaders } from './collector-call';
import { errorResponse } from './error-response';
import { writeRefusal } from './same-origin-write';
import { readSessionToken } from './session-cookie';

/** The largest request body the proxy forwards (a silence or a new key is well under 1 kB). */
export const MAX_BODY_BYTES = 16 * 1024;

/** Methods the proxy forwards. */
export type ProxyMethod = 'GET' | 'POST' | 'DELETE';

/** A request for the collector's query API, as the route handler received it. */
export interface ProxyRequest {
  method: ProxyMethod;
  /** Path segments below /api/v1: `['deploys', '<id>', 'impact']`. */
  segments: readonly string[];
  /** The query string, with its leading `?` (or empty). */
  search: string;
  /** The request body (POST only). */
  body?: string;
  /** The request's headers: the session cookie, the CSRF token, and what the write checks read (content type, origin, fetch site). */
  headers?: Headers;
  /** The host the browser addressed (`x-forwarded-host` or `host`), to tell same-origin writes from cross-site ones. */
  host?: string;
  signal?: AbortSignal;
}

/** A path below /api/v1 made of plain segments: `series`, `deploys/<uuid>/impact`, `admin/users/ana@example.com`. */
const SEGMENT = /^[A-Za-z0-9._@+-]+$/;

/**
 * Query-API paths the dashboard may use, per method; anything else is
 * refused, so the proxy cannot be used to reach other routes (OTLP ingest,
 * deploy recording, rule changes, logins: those would hand the session
 * token to the page). The writes are silences, keys and users; the
 * collector decides who may make them.
 */
const ALLOWED: Record<ProxyMethod, readonly RegExp[]> = {
  GET: [
    /^series$/,
    /^overview$/,
    /^timeline$/,
    /^close-codes$/,
    /^labels$/,
    /^deploys$/,
    /^deploys\/[^/]+\/impact$/,
    /^status$/,
    /^alerts$/,
    /^alerts\/rules$/,
    /^alerts\/history$/,
    /^silences$/,
    /^objectives$/,
    /^reliability\/compare$/,
    /^auth\/session$/,
    /^admin\/keys$/,
    /^admin\/users$/,
  ],
  POST: [/^silences$/, /^admin\/keys$/, /^admin\/users$/, /^auth\/password$/],
  DELETE: [/^silences\/[^/]+$/, /^admin\/keys\/[^/]+$/, /^admin\/users\/[^/]+$/],
};

/** True when `path` (below /api/v1) may be forwarded with `method`. */
export function isProxyAllowed(method: ProxyMethod, segments: readonly string[]): boolean {
  if (segments.length === 0 || !segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) return false;
  const path = segments.join('/');
  return ALLOWED[method].some((re) => re.test(path));
}

/**
 * Headers for the upstream request. With a session cookie, its token goes
 * as the bearer credential on every method and the page's CSRF token on
 * writes. Without one (open mode, or a collector that only checks writes),
 * writes carry the ingest key when TUNNELVISION_INGEST_KEY is set.
 */
function upstreamHeaders(method: ProxyMethod, requestHeaders: Headers | undefined, env: NodeJS.ProcessEnv): Headers {
  const headers = new Headers({ accept: 'application/json' });
  if (method === 'POST') headers.set('content-type', 'application/json');
  // Security: the token and the key stay on the server; the browser sends the token only inside its HttpOnly cookie.
  const token = readSessionToken(requestHeaders);
  if (token) {
    headers.set('authorization', `Bearer ${token}`);
    const csrf = requestHeaders?.get('x-csrf-token');
    if (method !== 'GET' && csrf) headers.set('x-csrf-token', csrf);
    return headers;
  }
  const key = env.TUNNELVISION_INGEST_KEY?.trim();
  if (method !== 'GET' && key) headers.set('authorization', `Bearer ${key}`);
  return headers;
}

/** A refused write without a session: the ingest key is missing or wrong, and the message says which setting to fix. */
function refusedKeyResponse(status: number, base: string): Response {
  const hasKey = Boolean(process.env.TUNNELVISION_INGEST_KEY?.trim());
  return errorResponse(
    status,
    'collector_refused_write',
    hasKey
      ? `The collector at ${base} refused the key in TUNNELVISION_INGEST_KEY: set it to the collector's COLLECTOR_INGEST_KEY and restart the dashboard.`
      : `The collector at ${base} needs a key for changes: set TUNNELVISION_INGEST_KEY on the dashboard server to the collector's COLLECTOR_INGEST_KEY and restart it.`,
    { collector_url: base },
  );
}

/**
 * Forwards a request to the collector's query API at `/api/v1/<segments>`
 * with the same query string, and passes its status and JSON body through.
 * Only the allow-listed paths, and writes only from the dashboard's own
 * pages. Answers 502 when the collector is not reachable, 504 when it is
 * too slow, each with a message that says what to do.
 */
export async function proxyToCollector(request: ProxyRequest, timeoutMillis = COLLECTOR_TIMEOUT_MILLIS): Promise<Response> {
  const { method, segments, search, signal } = request;
  const path = segments.join('/');
  if (!isProxyAllowed(method, segments)) {
    return method === 'GET' || !isProxyAllowed('GET', segments)
      ? errorResponse(404, 'unknown_route', `The dashboard does not proxy /api/v1/${path}.`)
      : errorResponse(405, 'method_not_allowed', `The dashboard does not proxy ${method} /api/v1/${path}.`);
  }
  if (method !== 'GET') {
    const refusal = writeRefusal(method, request.headers, request.host);
    if (refusal) return errorResponse(403, 'forbidden', refusal);
  }
  const body = method === 'POST' ? (request.body ?? '') : undefined;
  if (body !== undefined && Buffer.byteLength(body) > MAX_BODY_BYTES) {
    return errorResponse(413, 'body_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} kB.`);
  }
  const answer = await callCollector({
    method,
    path: `${path}${search}`,
    body,
    signal,
    timeoutMillis,
    headers: upstreamHeaders(method, request.headers, process.env),
  });
  if (!answer.ok) return answer.response;
  const withSession = readSessionToken(request.headers) !== undefined;
  // With a session, the collector's own words (signed out, needs the admin role, missing CSRF token) are the right ones.
  if (!withSession && method !== 'GET' && (answer.status === 401 || answer.status === 403)) return refusedKeyResponse(answer.status, answer.base);
  return new Response(answer.text, { status: answer.status, headers: passThroughHeaders(answer.headers) });
}
