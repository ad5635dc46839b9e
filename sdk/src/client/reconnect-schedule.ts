import { unrefTimeout, type TimerHandle } from '../shared/unref-timers.js';
import { computeBackoff, pickBaseDelay, type BackoffDelay } from './backoff.js';
import type { RetryKind } from './close-decision.js';
import type { ResolvedResilientWebSocketOptions } from './resilient-web-socket-options.js';

/** Backoff settings of a `ReconnectSchedule`. */
export type ReconnectScheduleOptions = Pick<
  ResolvedResilientWebSocketOptions,
  | 'minInitialDelayMillis'
  | 'maxInitialDelayMillis'
  | 'maxDelayMillis'
  | 'jitterRatio'
  | 'maxRetries'
  | 'tryAgainLaterMultiplier'
  | 'tryAgainLaterMinDelayMillis'
  | 'stableAfterMillis'
>;

/** One scheduled retry: its number in the row and its delay. */
export interface ScheduledRetry extends BackoffDelay {
  /** 1 for the first retry since the connection was last stable. */
  attempt: number;
}

/**
 * When the client reconnects: the retries in a row, their jittered
 * exponential delays, the pending retry timer, and the reset once a
 * connection has stayed up for stableAfterMillis (so a server that accepts
 * and then drops at once still meets growing delays).
 */
export class ReconnectSchedule {
  private readonly options: ReconnectScheduleOptions;
  /** This client's own base delay, drawn once so a fleet does not come back in lockstep. */
  private readonly baseDelayMillis: number;
  private retries = 0;
  private retryTimer: TimerHandle | undefined;
  private stableTimer: TimerHandle | undefined;

  /** Creates a schedule with no retries made. */
  constructor(options: ReconnectScheduleOptions) {
    this.options = options;
    this.baseDelayMillis = pickBaseDelay(options.minInitialDelayMillis, options.maxInitialDelayMillis, Math.random);
  }

  /** Retries in a row since the connection was last stable. */
  get retryCount(): number {
    return this.retries;
  }

  /** Starts the backoff over from its first delay. */
  reset(): void {
    this.retries = 0;
  }

  /** Counts one more retry and returns its delay; undefined once maxRetries are used up. */
  next(kind: RetryKind): ScheduledRetry | undefined {
    if (this.retries >= this.options.maxRetries) return undefined;
    this.retries += 1;
    const tryAgainLater = kind === 'try_again_later';
    const delay = computeBackoff({
      attempt: this.retries,
      baseMillis: this.baseDelayMillis,
      maxDelayMillis: this.options.maxDelayMillis,
      jitterRatio: this.options.jitterRatio,
      multiplier: tryAgainLater ? this.options.tryAgainLaterMultiplier : 1,
      floorMillis: tryAgainLater ? this.options.tryAgainLaterMinDelayMillis : 0,
      random: Math.random,
    });
    return { attempt: this.retries, ...delay };
  }

  /** Calls `retry` after `delayMillis`, replacing any retry still pending. */
  wait(delayMillis: number, retry: () => void): void {
    this.cancel();
    this.retryTimer = unrefTimeout(() => {
      this.retryTimer = undefined;
      retry();
    }, delayMillis);
  }

  /** Forgets the pending retry, if any. */
  cancel(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** A connection opened: the retries reset if it stays up for stableAfterMillis. */
  opened(): void {
    this.stableTimer = unrefTimeout(() => {
      this.retries = 0;
    }, this.options.stableAfterMillis);
  }

  /** The connection is gone before it became stable, or after. */
  lost(): void {
    if (this.stableTimer !== undefined) clearTimeout(this.stableTimer);
    this.stableTimer = undefined;
  }
}
