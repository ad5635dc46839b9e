import { unrefTimeout, type TimerHandle } from '../shared/unref-timers.js';

/** Timing of a `Heartbeat`. */
export interface HeartbeatOptions {
  /** Time between a pong and the next ping. */
  intervalMillis: number;
  /** How long a ping waits for its pong before it counts as missed. */
  pongTimeoutMillis: number;
  /** Consecutive misses after which the connection is declared dead. */
  maxMissedPongs: number;
}

/** What a `Heartbeat` does and reports. */
export interface HeartbeatCallbacks {
  /** Puts ping `n` on the wire. */
  sendPing(n: number): void;
  /** A pong arrived `rttMs` after its ping. */
  onRoundTrip(rttMs: number): void;
  /** A pong did not arrive in time; `missed` consecutive misses so far. */
  onMissed(missed: number): void;
  /** `missed` reached maxMissedPongs: the connection is half-open. */
  onDead(missed: number): void;
  /** Clock in epoch milliseconds. */
  now(): number;
}

/**
 * Application-level ping/pong on one connection (browsers cannot send
 * protocol pings). One ping is outstanding at a time: after a pong the next
 * ping goes out `intervalMillis` later; after a miss the next ping goes out
 * at once, so a dead link is found in about
 * intervalMillis + maxMissedPongs * pongTimeoutMillis.
 */
export class Heartbeat {
  private timer: TimerHandle | undefined;
  private counter = 0;
  private sentAt = 0;
  private missed = 0;
  private running = false;
  private readonly options: HeartbeatOptions;
  private readonly callbacks: HeartbeatCallbacks;

  /** Creates a stopped heartbeat. */
  constructor(options: HeartbeatOptions, callbacks: HeartbeatCallbacks) {
    this.options = options;
    this.callbacks = callbacks;
  }

  /** Starts pinging (first ping after one interval). */
  start(): void {
    this.stop();
    this.running = true;
    this.missed = 0;
    this.schedulePing(this.options.intervalMillis);
  }

  /** Stops pinging and forgets any outstanding ping. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Handles pong `n`; only the newest ping's pong counts. */
  pong(n: number): void {
    if (!this.running || n !== this.counter) return;
    const rtt = Math.max(0, this.callbacks.now() - this.sentAt);
    this.missed = 0;
    this.callbacks.onRoundTrip(rtt);
    this.schedulePing(this.options.intervalMillis);
  }

  private schedulePing(delayMillis: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = unrefTimeout(() => this.ping(), delayMillis);
  }

  private ping(): void {
    if (!this.running) return;
    this.counter += 1;
    this.sentAt = this.callbacks.now();
    this.timer = unrefTimeout(() => this.timedOut(), this.options.pongTimeoutMillis);
    this.callbacks.sendPing(this.counter);
  }

  private timedOut(): void {
    if (!this.running) return;
    this.timer = undefined;
    this.missed += 1;
    this.callbacks.onMissed(this.missed);
    if (!this.running) return;
    if (this.missed >= this.options.maxMissedPongs) {
      this.stop();
      this.callbacks.onDead(this.missed);
      return;
    }
    this.ping();
  }
}
