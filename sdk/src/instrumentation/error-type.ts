import type { ErrorEventLike } from './web-socket-like.js';

/** error.type when the event tells us nothing (browsers hide transport errors from scripts). */
const UNKNOWN_ERROR_TYPE = 'WebSocketError';

/**
 * A short, low-cardinality error class for error.type (a Node error code
 * like ECONNREFUSED, else the error's name) and the human message for the
 * event body.
 */
export function describeErrorEvent(event: ErrorEventLike | undefined): { errorType: string; message: string | undefined } {
  const error = event?.error as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  const code = typeof error?.code === 'string' && error.code !== '' ? error.code : undefined;
  const name = typeof error?.name === 'string' && error.name !== '' && error.name !== 'Error' ? error.name : undefined;
  const message = typeof error?.message === 'string' ? error.message : typeof event?.message === 'string' ? event.message : undefined;
  return { errorType: code ?? name ?? UNKNOWN_ERROR_TYPE, message: message === '' ? undefined : message };
}
