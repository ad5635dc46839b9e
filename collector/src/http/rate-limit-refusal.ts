import { TooManyAttemptsError } from '../auth/access-errors.js';

/** The refusal of a request over the per-key budget (COLLECTOR_RATE_LIMIT_PER_MINUTE), worded the same on every transport. */
export function rateLimitRefusal(max: number, retryAfterSeconds: number): TooManyAttemptsError {
  return new TooManyAttemptsError(`Rate limit of ${max} requests a minute for this key exceeded; retry in ${retryAfterSeconds} s`, retryAfterSeconds);
}
