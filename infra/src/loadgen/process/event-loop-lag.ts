import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay over the last completed window. */
export interface EventLoopLag {
  /** 99th percentile delay, in ms. */
  p99Millis: number;
  /** Largest delay, in ms. */
  maxMillis: number;
}

/**
 * Watches the event loop's delay in windows of `windowMillis`, keeping
 * the last completed window's p99 and max. A loaded generator shows it
 * here first: every timer (heartbeats, latency, acks) runs late by this
 * much, and clients start missing pongs once it nears pongTimeoutMillis.
 */
export class EventLoopLagMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly timer: NodeJS.Timeout;
  private last: EventLoopLag = { p99Millis: 0, maxMillis: 0 };

  /** Starts watching. */
  constructor(windowMillis = 5_000) {
    this.histogram.enable();
    this.timer = setInterval(() => this.roll(), windowMillis);
    this.timer.unref();
  }

  /** The last completed window. */
  get lag(): EventLoopLag {
    return { ...this.last };
  }

  /** Stops watching (idempotent). */
  stop(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  private roll(): void {
    this.last = {
      p99Millis: Math.round(this.histogram.percentile(99) / 1e6),
      maxMillis: Math.round(this.histogram.max / 1e6),
    };
    this.histogram.reset();
  }
}
