import type { ErrorEventLike } from './web-socket-like.js';

/** error.type when nothing better is known (browsers hide transport errors from scripts). */
const UNKNOWN_ERROR_TYPE = 'WebSocketError';

/** An error as conn.error reports it. */
export interface ErrorDescription {
  /** A short, low-cardinality class for error.type. */
  errorType: string;
  /** The human message for the event body, when there is one. */
  message: string | undefined;
}

/**
 * The one mapping from an error to error.type: a Node error code like
 * ECONNREFUSED, else the error's name (except the uninformative `Error`),
 * else WebSocketError.
 */
export function describeError(error: unknown): ErrorDescription {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' && e.code !== '' ? e.code : undefined;
  const name = typeof e?.name === 'string' && e.name !== '' && e.name !== 'Error' ? e.name : undefined;
  return { errorType: code ?? name ?? UNKNOWN_ERROR_TYPE, message: nonEmptyString(e?.message) };
}

/** `describeError` for a socket's error event: its `error`, else the event's own message. */
export function describeErrorEvent(event: ErrorEventLike | undefined): ErrorDescription {
  const { errorType, message } = describeError(event?.error);
  return { errorType, message: message ?? nonEmptyString(event?.message) };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
