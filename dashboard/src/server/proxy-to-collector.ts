import { readCollectorUrl } from './collector-url';

/** How long the proxy waits for the collector before answering 504. */
export const COLLECTOR_TIMEOUT_MILLIS = 10_000;

/** The largest request body the proxy forwards (a silence is well under 1 kB). */
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
  /** The request's headers, for the write checks (content type, origin, fetch site). */
  headers?: Headers;
  /** The host the browser addressed (`x-forwarded-host` or `host`), to tell same-origin writes from cross-site ones. */
  host?: string;
  signal?: AbortSignal;
}

/** A path below /api/v1 made of plain segments: `series`, `deploys/<uuid>/impact`. */
const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Query-API paths the dashboard may use, per method; anything else is
 * refused, so the proxy cannot be used to reach other routes (OTLP ingest,
 * deploy recording, rule changes). The only writes are creating a silence
 * and expiring one.
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
  ],
  POST: [/^silences$/],
  DELETE: [/^silences\/[^/]+$/],
};

function errorResponse(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ error: { status, code, message, ...extra } }, { status, headers: { 'cache-control': 'no-store' } });
}

/** True when `path` (below /api/v1) may be forwarded with `method`. */
export function isProxyAllowed(method: ProxyMethod, segments: readonly string[]): boolean {
  if (segments.length === 0 || !segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..')) return false;
  const path = segments.join('/');
  return ALLOWED[method].some((re) => re.test(path));
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Why a write must be refused, or null to let it through.
 *
 * Security: the proxy adds the collector's ingest key to writes, so a page on
 * another site must not be able to make a visitor's browser send one (CSRF).
 * A cross-site POST can only be a "simple" request (form or no-cors fetch,
 * never `application/json`), and a cross-site DELETE needs a CORS preflight
 * this server never approves; checking the content type, the Origin header
 * and Sec-Fetch-Site refuses both even if that changes.
 */
function writeRefusal(request: ProxyRequest): string | null {
  const headers = request.headers ?? new Headers();
  const site = headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return 'Writes through the dashboard are accepted from the dashboard itself only.';
  const origin = headers.get('origin');
  if (origin && request.host && hostOf(origin) !== request.host.toLowerCase()) return 'Writes through the dashboard are accepted from the dashboard itself only.';
  if (request.method === 'POST') {
    const type = headers.get('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) return 'Send the body as JSON (content-type: application/json).';
  }
  return null;
}

/** Headers for the upstream request; writes carry the ingest key when TUNNELVISION_INGEST_KEY is set. */
function upstreamHeaders(method: ProxyMethod, env: NodeJS.ProcessEnv): Headers {
  const headers = new Headers({ accept: 'application/json' });
  if (method === 'POST') headers.set('content-type', 'application/json');
  // Security: the key stays on the server; the browser never sees it, and only the allow-listed writes get it.
  const key = env.TUNNELVISION_INGEST_KEY?.trim();
  if (method !== 'GET' && key) headers.set('authorization', `Bearer ${key}`);
  return headers;
}

/**
 * Forwards a request to the collector's query API at `/api/v1/<segments>`
 * with the same query string, and passes its status and JSON body through.
 * GETs of the read paths, POST `silences` and DELETE `silences/<id>` only.
 * Answers 502 when the collector is not reachable, 504 when it is too slow,
 * each with a message that says what to do.
 */
export async function proxyToCollector(request: ProxyRequest, timeoutMillis = COLLECTOR_TIMEOUT_MILLIS): Promise<Response> {
  const setting = readCollectorUrl();
  if (!setting.ok) return errorResponse(500, 'bad_collector_url', setting.message);
  const base = setting.url;
  const { method, segments, search, signal } = request;
  const path = segments.join('/');
  if (!isProxyAllowed(method, segments)) {
    return method === 'GET' || !isProxyAllowed('GET', segments)
      ? errorResponse(404, 'unknown_route', `The dashboard does not proxy /api/v1/${path}.`)
      : errorResponse(405, 'method_not_allowed', `The dashboard does not proxy ${method} /api/v1/${path}.`);
  }
  if (method !== 'GET') {
    const refusal = writeRefusal(request);
    if (refusal) return errorResponse(403, 'forbidden', refusal);
  }
  const body = method === 'POST' ? (request.body ?? '') : undefined;
  if (body !== undefined && Buffer.byteLength(body) > MAX_BODY_BYTES) {
    return errorResponse(413, 'body_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} kB.`);
  }
  const target = `${base}/api/v1/${path}${search}`;
  const timeout = AbortSignal.timeout(timeoutMillis);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let upstream: Response;
  try {
    upstream = await fetch(target, { method, body, signal: combined, cache: 'no-store', headers: upstreamHeaders(method, process.env) });
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
  if (method !== 'GET' && (upstream.status === 401 || upstream.status === 403)) {
    const hasKey = Boolean(process.env.TUNNELVISION_INGEST_KEY?.trim());
    return errorResponse(
      upstream.status,
      'collector_refused_write',
      hasKey
        ? `The collector at ${base} refused the key in TUNNELVISION_INGEST_KEY: set it to the collector's COLLECTOR_INGEST_KEY and restart the dashboard.`
        : `The collector at ${base} needs a key for changes: set TUNNELVISION_INGEST_KEY on the dashboard server to the collector's COLLECTOR_INGEST_KEY and restart it.`,
      { collector_url: base },
    );
  }
  const headers = new Headers({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  const retryAfter = upstream.headers.get('retry-after');
  if (retryAfter) headers.set('retry-after', retryAfter);
  return new Response(text, { status: upstream.status, headers });
}
