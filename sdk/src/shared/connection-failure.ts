import type { ConnectionFailure } from '@tunnelvision/semconv';
import type { ErrorDescription } from './error-type.js';

/** Why an attempt never opened, as conn.close reports it (tv.connection.failure, error.type). */
export interface FailureDescription {
  failure: ConnectionFailure;
  errorType: string | undefined;
}

const BY_CODE: Record<string, ConnectionFailure> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  ETIMEDOUT: 'timeout',
  TimeoutError: 'timeout',
  ECONNRESET: 'network',
  ECONNABORTED: 'network',
  ENETUNREACH: 'network',
  EHOSTUNREACH: 'network',
  ENETDOWN: 'network',
  EPIPE: 'network',
};

/**
 * Classifies the last error of an attempt that never opened: Node error
 * codes (ws passes them through), TLS and certificate codes, and ws's
 * "Unexpected server response: 401" for an upgrade the server refused
 * (error.type then is the HTTP status). Browsers report no detail: unknown.
 */
export function describeConnectionFailure(error: ErrorDescription | undefined): FailureDescription {
  if (error === undefined) return { failure: 'unknown', errorType: undefined };
  const status = /Unexpected server response: (\d{3})/.exec(error.message ?? '')?.[1];
  if (status) return { failure: 'rejected', errorType: status };
  return { failure: failureOfErrorType(error.errorType), errorType: error.errorType };
}

/** tv.connection.failure of an error.type alone (a Node error code such as ECONNREFUSED, a TLS code): for callers that have no ws message to read. */
export function failureOfErrorType(errorType: string): ConnectionFailure {
  return BY_CODE[errorType] ?? (/TLS|SSL|CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(errorType) ? 'tls' : 'unknown');
}
