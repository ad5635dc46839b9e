/**
 * Refusals of the access layer. Each carries the HTTP status it is answered
 * with and a message that says what to send instead; none repeats a secret.
 */

/** No credential, or one that is wrong, revoked or expired: 401. */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
  readonly code = 'UNAUTHENTICATED';
  readonly statusCode = 401;
}

/** A valid credential without the right to do this: 403. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  readonly code = 'FORBIDDEN';
  readonly statusCode = 403;
}

/** Too many attempts (failed logins) or requests (rate limit): 429 with Retry-After. */
export class TooManyAttemptsError extends Error {
  override readonly name = 'TooManyAttemptsError';
  readonly code = 'TOO_MANY_ATTEMPTS';
  readonly statusCode = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A tenant, key or user that this change needs is missing, or already exists: 404 / 409. */
export class AccessConflictError extends Error {
  override readonly name = 'AccessConflictError';
  readonly code = 'CONFLICT';
  constructor(
    message: string,
    readonly statusCode: 404 | 409,
  ) {
    super(message);
  }
}
