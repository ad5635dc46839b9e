/**
 * Why a query-API call failed, as a value the UI can show. `message` is
 * written for the person looking at the dashboard and says what to do.
 */
export interface ApiProblem {
  kind: ApiProblemKind;
  /** HTTP status from the dashboard's proxy, or 0 when the dashboard itself did not answer. */
  status: number;
  message: string;
}

/** The failures the UI tells apart. */
export type ApiProblemKind =
  /** The collector is down or not where COLLECTOR_URL points (proxy 502/504). */
  | 'collector_unreachable'
  /** The collector is up but its store cannot answer (503). */
  | 'store_unavailable'
  /** The request was refused (400/404/409): a bad id, a bad range, a bad silence. */
  | 'bad_request'
  /** A change was not allowed (401/403): the ingest key is missing or wrong, the role is not enough, or the write came from elsewhere. */
  | 'not_allowed'
  /** The collector needs a sign-in (401): no session, or it expired or was ended. */
  | 'signed_out'
  /** The dashboard's own server did not answer. */
  | 'dashboard_unreachable'
  | 'unexpected';

/** Result of a call: expected failures are values, not exceptions. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; problem: ApiProblem };

/** Classifies an error body `{ error: { status, message, code? } }` from the proxy or the collector. */
export function problemFromResponse(status: number, body: unknown): ApiProblem {
  const error = (body as { error?: { message?: unknown; code?: unknown } } | null)?.error;
  const message = typeof error?.message === 'string' ? error.message : `The query API answered ${status}.`;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  if (code === 'collector_unreachable' || code === 'collector_timeout' || status === 502 || status === 504) {
    return { kind: 'collector_unreachable', status, message };
  }
  if (status === 503) {
    return { kind: 'store_unavailable', status, message: `The collector cannot reach its store right now: ${message}` };
  }
  if (status === 400 || status === 404 || status === 409 || status === 413) return { kind: 'bad_request', status, message };
  // The proxy's own 401 for writes without a session is about the ingest key, not about signing in.
  if (status === 401 && code !== 'collector_refused_write') return { kind: 'signed_out', status, message };
  if (status === 401 || status === 403) return { kind: 'not_allowed', status, message };
  return { kind: 'unexpected', status, message };
}
