import { unrefTimeout, type TimerHandle } from '../../shared/unref-timers.js';
import { httpStatusProblem, noAnswerProblem, type ExportProblem } from '../export-problem.js';
import type { PackedBody } from './json-packer.js';

/**
 * Sends OTLP/JSON bodies with `fetch(url, { method: 'POST', keepalive })`
 * and retries what is worth retrying, as the OTLP/HTTP specification says:
 * network errors and 429, 502, 503, 504, after the collector's Retry-After
 * when it gives one, else with jittered exponential backoff.
 *
 * An attempt with no response within requestTimeoutMillis is aborted and
 * counts as a network error, so a hung connection cannot stall a flush.
 * A send can also have a deadline (flushes on page hide do): no attempt
 * runs past it and no retry starts after it. abandon() (a shutdown that
 * stopped waiting) ends every send at once.
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
  /** Told when the collector refused part of a body (a partial success). */
  warn: (message: string) => void;
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
      /** What went wrong, for the export diagnostics; undefined when the send was abandoned. */
      readonly problem: ExportProblem | undefined;
    };

/** Sends bodies; shared by the log and metric exporters so they share the keepalive budget. */
export interface OtlpHttpSender {
  /**
   * Sends one body, retrying as needed, but with no attempt past
   * `deadlineMillis` (a Date.now() time; none by default). Never rejects.
   */
  send(url: string, packed: PackedBody, deadlineMillis?: number): Promise<SendResult>;
  /**
   * Ends the waits of pending retries now: the page is being hidden, so each
   * gets one more attempt while it still can, even before a Retry-After.
   * With `deadlineMillis`, the sends under way stop trying then.
   */
  hurry(deadlineMillis?: number): void;
  /** Gives up every send now and from now on: in-flight requests are aborted, and nothing more is tried. */
  abandon(): void;
  /** What the last failed attempt of a send still under way ran into (it is being retried), if any. */
  pendingProblem(): ExportProblem | undefined;
}

/** The result of a send given up by abandon(). */
const ABANDONED: SendResult = { status: 'failure', retryable: true, error: 'abandoned', problem: undefined };

/** One send under way. */
interface PendingSend {
  /** No attempt runs past this (Date.now() time). */
  deadline: number;
  /** The attempt in flight, if any. */
  attempt?: Attempt;
  /** What its last failed attempt ran into. */
  problem?: ExportProblem;
}

/** One request in flight. */
interface Attempt {
  readonly abort: AbortController;
  readonly startedAt: number;
  timer?: TimerHandle;
  /** How long it may take, once armed. */
  budgetMillis: number;
  /** Why it was aborted, if it was. */
  abortedFor?: 'timeout' | 'abandon';
}

/**
 * The problem behind a fetch that rejected. Browsers say only "Failed to
 * fetch" and the like, whatever the cause, CORS refusals included. Where
 * this runs outside a browser, a fetch that names the system error
 * (`cause.code`, e.g. ECONNREFUSED, with Node's own message) is keyed by
 * it; the hints of the Node exporter's problems stay out of page bundles.
 */
function fetchErrorProblem(error: unknown): ExportProblem {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return {
    key: code ?? 'network-error',
    description: `${code ?? 'network error'} (${String(cause?.message ?? error)}): the collector cannot be reached, or does not allow this origin (COLLECTOR_CORS_ORIGINS)`,
  };
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
async function rejectedCount(response: Response, warn: (message: string) => void): Promise<number> {
  try {
    const text = await response.text();
    const partial = text
      ? (JSON.parse(text) as { partialSuccess?: { rejectedLogRecords?: string; rejectedDataPoints?: string; errorMessage?: string } })
          .partialSuccess
      : undefined;
    const rejected = Number(partial?.rejectedLogRecords ?? partial?.rejectedDataPoints ?? 0) || 0;
    if (rejected > 0) warn(`TunnelVision: collector rejected ${rejected}: ${partial?.errorMessage ?? ''}`);
    return rejected;
  } catch {
    return 0;
  }
}

/** Creates a sender. */
export function createOtlpHttpSender(options: OtlpHttpSenderOptions): OtlpHttpSender {
  let keepaliveBytesInFlight = 0;
  let abandoned = false;
  const pending = new Set<PendingSend>();
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
  /** (Re)starts an attempt's timer: it is aborted at its request timeout or its send's deadline, whichever is first. */
  const arm = (send: PendingSend, attempt: Attempt) => {
    if (attempt.timer !== undefined) clearTimeout(attempt.timer);
    const endsAt = Math.min(attempt.startedAt + options.requestTimeoutMillis, send.deadline);
    attempt.budgetMillis = Math.max(0, endsAt - attempt.startedAt);
    attempt.timer = unrefTimeout(() => {
      attempt.abortedFor ??= 'timeout';
      attempt.abort.abort();
    }, Math.max(0, endsAt - Date.now()));
  };

  /** One attempt: a result to return, or the failure to retry and how long to wait first. */
  const attemptOnce = async (
    send: PendingSend,
    url: string,
    packed: PackedBody,
    retry: number,
  ): Promise<SendResult | { retryable: boolean; problem: ExportProblem; waitMillis: number }> => {
    const keepalive = keepaliveBytesInFlight + packed.bytes <= KEEPALIVE_MAX_BYTES;
    if (keepalive) keepaliveBytesInFlight += packed.bytes;
    const attempt: Attempt = { abort: new AbortController(), startedAt: Date.now(), budgetMillis: 0 };
    send.attempt = attempt;
    arm(send, attempt);
    let response: Response | undefined;
    let problem: ExportProblem;
    try {
      // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method of another object.
      const post = options.fetch ?? fetch;
      response = await post(url, {
        method: 'POST',
        keepalive,
        headers: { ...options.headers, 'content-type': 'application/json' },
        body: packed.body,
        signal: attempt.abort.signal,
      });
      if (response.ok) return { status: 'success', rejected: await rejectedCount(response, options.warn) };
      problem = httpStatusProblem(response.status, await response.text().catch(() => ''));
    } catch (err) {
      if (attempt.abortedFor === 'abandon') return ABANDONED;
      problem = attempt.abortedFor === 'timeout' ? noAnswerProblem(attempt.budgetMillis) : fetchErrorProblem(err);
    } finally {
      clearTimeout(attempt.timer);
      send.attempt = undefined;
      if (keepalive) keepaliveBytesInFlight -= packed.bytes;
    }
    const retryable = response === undefined || RETRYABLE_STATUSES.includes(response.status);
    const waitMillis =
      (response && retryAfterMillis(response.headers.get('retry-after'), Date.now())) ??
      Math.min(options.maxBackoffMillis, options.initialBackoffMillis * 2 ** retry * (0.8 + 0.4 * Math.random()));
    return { retryable, problem, waitMillis };
  };

  return {
    async send(url, packed, deadlineMillis = Infinity) {
      const send: PendingSend = { deadline: deadlineMillis };
      pending.add(send);
      try {
        for (let retry = 0; ; retry++) {
          if (abandoned) return ABANDONED;
          const outcome = await attemptOnce(send, url, packed, retry);
          if ('status' in outcome) return outcome;
          if (abandoned) return ABANDONED;
          const { retryable, problem, waitMillis } = outcome;
          send.problem = problem;
          const failure: SendResult = { status: 'failure', retryable, error: problem.description, problem };
          if (!retryable || retry >= options.maxRetries || waitMillis > options.maxBackoffMillis || Date.now() + waitMillis >= send.deadline) {
            return failure;
          }
          await sleep(waitMillis);
          // Woken early by hurry() with a deadline that has passed meanwhile.
          if (Date.now() >= send.deadline) return abandoned ? ABANDONED : failure;
        }
      } finally {
        pending.delete(send);
      }
    },
    hurry(deadlineMillis) {
      if (deadlineMillis !== undefined) {
        for (const send of pending) {
          if (deadlineMillis >= send.deadline) continue;
          send.deadline = deadlineMillis;
          if (send.attempt) arm(send, send.attempt);
        }
      }
      for (const wake of [...wakers]) wake();
    },
    abandon() {
      abandoned = true;
      for (const send of pending) {
        if (!send.attempt) continue;
        send.attempt.abortedFor = 'abandon';
        send.attempt.abort.abort();
      }
      for (const wake of [...wakers]) wake();
    },
    pendingProblem() {
      let last: ExportProblem | undefined;
      for (const send of pending) last = send.problem ?? last;
      return last;
    },
  };
}
