import type { AttemptResult } from './webhook-request.js';

/** What to do after one delivery attempt. */
export type AttemptVerdict =
  /** The receiver took it (2xx). */
  | { action: 'delivered' }
  /** Try again later, no sooner than `minDelayMillis` (Retry-After). */
  | { action: 'retry'; reason: string; minDelayMillis: number }
  /** Retrying cannot help (a 4xx other than 408/425/429, or a redirect). */
  | { action: 'give-up'; reason: string };

/** How many characters of a rejecting receiver's response go into the log. */
export const RESPONSE_PREVIEW_CHARS = 200;

/** Statuses whose Retry-After is honoured (RFC 9110 defines it for these). */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** Decides what one attempt's result means. Pure: `now` resolves an HTTP-date Retry-After. */
export function judgeAttempt(result: AttemptResult, now: number): AttemptVerdict {
  switch (result.kind) {
    case 'timeout':
      return { action: 'retry', reason: `no response within ${result.timeoutMillis} ms`, minDelayMillis: 0 };
    case 'network-error':
      return { action: 'retry', reason: result.message, minDelayMillis: 0 };
    case 'aborted':
      return { action: 'retry', reason: 'cut short by close()', minDelayMillis: 0 };
    case 'response':
      break;
  }
  const { status } = result;
  if (status >= 200 && status < 300) return { action: 'delivered' };
  if (status === 408 || status === 425 || status === 429 || (status >= 500 && status < 600)) {
    const retryAfter = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfterMillis(result.retryAfter, now) : undefined;
    return {
      action: 'retry',
      reason: `HTTP ${status}${retryAfter === undefined ? '' : ` (Retry-After ${result.retryAfter})`}`,
      minDelayMillis: retryAfter ?? 0,
    };
  }
  if (status >= 300 && status < 400) {
    // Not followed: a signed alert must not be forwarded to wherever a
    // Location header points, and 301/302 would turn the POST into a GET.
    return { action: 'give-up', reason: `HTTP ${status}: redirects are not followed; set ALERT_WEBHOOK_URL to the final address` };
  }
  const preview = result.bodyPreview.slice(0, RESPONSE_PREVIEW_CHARS);
  return { action: 'give-up', reason: `HTTP ${status}${preview ? `: ${preview}` : ''}` };
}

/**
 * A Retry-After header as milliseconds from `now`: delay-seconds ("120") or
 * an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT", 0 when past). Undefined
 * when absent or unreadable.
 */
export function parseRetryAfterMillis(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse would also take "2" or "1.5" as a date; only a real date counts.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Backoff settings, in ms. */
export interface BackoffSettings {
  initialBackoffMillis: number;
  maxBackoffMillis: number;
}

/**
 * Wait before the next attempt after `failedAttempts` failures: exponential
 * (initial x 2^(n-1), capped at max) with full jitter (a uniform draw from
 * 0 to that), so replicas do not retry in lockstep; never below
 * `minDelayMillis` (Retry-After), and never above max.
 */
export function retryDelayMillis(failedAttempts: number, minDelayMillis: number, settings: BackoffSettings, random: () => number): number {
  const ceiling = Math.min(settings.maxBackoffMillis, settings.initialBackoffMillis * 2 ** Math.max(0, failedAttempts - 1));
  const draw = Math.min(1, Math.max(0, random()));
  const jittered = Math.floor(draw * ceiling);
  return Math.min(settings.maxBackoffMillis, Math.max(jittered, minDelayMillis));
}
