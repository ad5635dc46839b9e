import { CONNECTION_FAILURES, type ConnectionFailure } from '@tunnelvision/semconv';

/** Why an attempt never opened, in words that finish "Never opened: …". */
const FAILURE_WORDS: Readonly<Record<ConnectionFailure, string>> = {
  refused: 'connection refused',
  dns: 'server name not found (DNS)',
  tls: 'TLS handshake failed',
  timeout: 'timed out before it opened',
  rejected: 'the server rejected the handshake',
  network: 'network error',
  unknown: 'no reason reported',
};

/** What a failed attempt's `conn.close` (no `tv.connection.duration_ms`) says, from its attributes or its connection's `conn.error`. */
export interface FailedAttemptFacts {
  /** `tv.connection.failure`, else inferred from `error.type`, the HTTP status or close code 1015. */
  failure: ConnectionFailure;
  errorType: string | undefined;
  httpStatus: number | undefined;
  /** "Never opened: connection refused (ECONNREFUSED)". */
  meaning: string;
}

const isFailure = (value: string | undefined): value is ConnectionFailure => CONNECTION_FAILURES.includes(value as ConnectionFailure);

/** The HTTP status a rejected upgrade answered with: `http.response.status_code`, or an `error.type` such as "401" or "HTTP 401". */
function httpStatusOf(attributes: Readonly<Record<string, string>>, errorType: string | undefined): number | undefined {
  const raw = attributes['http.response.status_code'] ?? /^(?:HTTP\s*)?([1-5]\d\d)$/i.exec(errorType ?? '')?.[1];
  const status = Number(raw);
  return Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/** For producers that send no `tv.connection.failure`: the class an `error.type` (Node's codes, DOM error names) belongs to. */
function inferFailure(errorType: string | undefined, httpStatus: number | undefined, closeCode: number | undefined): ConnectionFailure {
  const type = errorType ?? '';
  if (httpStatus !== undefined) return 'rejected';
  if (/ECONNREFUSED/i.test(type)) return 'refused';
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|DNS/i.test(type)) return 'dns';
  if (/CERT|TLS|SSL|EPROTO/i.test(type) || closeCode === 1015) return 'tls';
  if (/TIMEDOUT|TIMEOUT/i.test(type)) return 'timeout';
  if (/ECONNRESET|ENETUNREACH|EHOSTUNREACH|ENETDOWN|EPIPE|ECONNABORTED/i.test(type)) return 'network';
  return 'unknown';
}

/**
 * Reads why an attempt never opened. `fallbackErrorType` is the
 * `error.type` of a `conn.error` on the same connection, for producers
 * that put it there rather than on the close.
 */
export function failedAttemptFacts(attributes: Readonly<Record<string, string>>, closeCode: number | undefined, fallbackErrorType?: string): FailedAttemptFacts {
  const errorType = attributes['error.type'] || fallbackErrorType || undefined;
  const httpStatus = httpStatusOf(attributes, errorType);
  const declared = attributes['tv.connection.failure'];
  const failure = isFailure(declared) ? declared : inferFailure(errorType, httpStatus, closeCode);
  const words = failure === 'rejected' && httpStatus !== undefined ? `${FAILURE_WORDS.rejected} with HTTP ${httpStatus}` : FAILURE_WORDS[failure];
  const code = errorType && String(httpStatus) !== errorType.replace(/^HTTP\s*/i, '') ? ` (${errorType})` : '';
  return { failure, errorType, httpStatus, meaning: `Never opened: ${words}${code}` };
}
