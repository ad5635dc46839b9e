import { diag } from '@opentelemetry/api';
import type { PackedBody } from './json-packer.js';
import { unrefTimeout } from './unref-timers.js';

/**
 * Sends OTLP/JSON bodies with `fetch(url, { method: 'POST', keepalive })`
 * and retries what is worth retrying, as the OTLP/HTTP specification says:
 * network errors and 429, 502, 503, 504, after the collector's Retry-After
 * when it gives one, else with jittered exponential backoff.
 *
 * An attempt with no response within requestTimeoutMillis is aborted and
 * counts as a network error, so a hung connection cannot stall a flush.
 *
 * keepalive lets a request outlive the page (it is what makes flushing on
 * pagehide work), but browsers cap the bodies of all keepalive requests in
 * flight at 64 KiB together. The sender keeps count: a body that would go
 * over the budget is sent without keepalive, which works as long as the
 * page stays open, instead of failing outright. (It counts only its own
 * requests; should the page's other keepalive fetches exhaust the budget,
 * the browser rejects ours and it is retried like a network error.)
 */

/** The keepalive body budget of a document (Fetch standard, "keepalive"). */
export const KEEPALIVE_MAX_BYTES = 64 * 1024;

const RETRYABLE_STATUSES = [429, 502, 503, 504];

/** Settings of the sender. */
export interface OtlpHttpSenderOptions {
  /** Extra request headers, e.g. authorization; content-type is always application/json. */
  headers: Readonly<Record<string, string>>;
  /** The fetch to use; undefined means the global fetch, looked up at each call. */
  fetch: typeof fetch | undefined;
  /** An attempt with no response by then is aborted and counts as a network error. */
  requestTimeoutMillis: number;
  /** Retries after the first attempt (0 = never retry). */
  maxRetries: number;
  /** Wait before the first retry when the collector gives no Retry-After; doubles at each retry. */
  initialBackoffMillis: number;
  /**
   * Longest wait between attempts: backoff stops growing there, and a
   * Retry-After longer than this makes the sender give the body up rather
   * than retry sooner than the collector asked.
   */
  maxBackoffMillis: number;
}

/** What became of one body. */
export type SendResult =
  | {
      readonly status: 'success';
      /** Records or data points the collector refused in a partial success. */
      readonly rejected: number;
    }
  | {
      readonly status: 'failure';
      /** True when the failure was transient (retries ran out), false when the collector refused the body. */
      readonly retryable: boolean;
      /** Why, for the diagnostic log. */
      readonly error: string;
    };

/** Sends bodies; shared by the log and metric exporters so they share the keepalive budget. */
export interface OtlpHttpSender {
  /** Sends one body, retrying as needed. Never rejects. */
  send(url: string, packed: PackedBody): Promise<SendResult>;
  /**
   * Ends the waits of pending retries now: the page is being hidden, so each
   * gets one more attempt while it still can, even before a Retry-After.
   */
  hurry(): void;
}

/** Milliseconds a Retry-After header asks for (delta-seconds or an HTTP date), if it is valid. */
export function retryAfterMillis(header: string | null, nowMillis: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMillis);
}

/** Counts a partial success's rejections (rejectedLogRecords / rejectedDataPoints) in a 200 response. */
async function rejectedCount(response: Response): Promise<number> {
  try {
    const text = await response.text();
    const partial = text
      ? (JSON.parse(text) as { partialSuccess?: { rejectedLogRecords?: string; rejectedDataPoints?: string; errorMessage?: string } })
          .partialSuccess
      : undefined;
    const rejected = Number(partial?.rejectedLogRecords ?? partial?.rejectedDataPoints ?? 0) || 0;
    if (rejected > 0) diag.warn(`TunnelVision: collector rejected ${rejected}: ${partial?.errorMessage ?? ''}`);
    return rejected;
  } catch {
    return 0;
  }
}

/** Creates a sender. */
export function createOtlpHttpSender(options: OtlpHttpSenderOptions): OtlpHttpSender {
  let keepaliveBytesInFlight = 0;
  const wakers = new Set<() => void>();
  const sleep = (millis: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        wakers.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = unrefTimeout(wake, millis);
      wakers.add(wake);
    });

  return {
    async send(url, packed) {
      for (let retry = 0; ; retry++) {
        let response: Response | undefined;
        let error: string;
        const keepalive = keepaliveBytesInFlight + packed.bytes <= KEEPALIVE_MAX_BYTES;
        if (keepalive) keepaliveBytesInFlight += packed.bytes;
        const abort = new AbortController();
        const timeout = unrefTimeout(() => abort.abort(), options.requestTimeoutMillis);
        try {
          // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of another object.
          const post = options.fetch ?? fetch;
          response = await post(url, {
            method: 'POST',
            keepalive,
            headers: { ...options.headers, 'content-type': 'application/json' },
            body: packed.body,
            signal: abort.signal,
          });
          if (response.ok) return { status: 'success', rejected: await rejectedCount(response) };
          error = `HTTP ${response.status}`;
        } catch (err) {
          error = String(err);
        } finally {
          clearTimeout(timeout);
          if (keepalive) keepaliveBytesInFlight -= packed.bytes;
        }
        const retryable = response === undefined || RETRYABLE_STATUSES.includes(response.status);
        const wait =
          (response && retryAfterMillis(response.headers.get('retry-after'), Date.now())) ??
          Math.min(options.maxBackoffMillis, options.initialBackoffMillis * 2 ** retry * (0.8 + 0.4 * Math.random()));
        if (!retryable || retry >= options.maxRetries || wait > options.maxBackoffMillis) {
          return { status: 'failure', retryable, error };
        }
        await sleep(wait);
      }
    },
    hurry() {
      for (const wake of [...wakers]) wake();
    },
  };
}
