/** Options of `PoissonTraffic`. */
export interface PoissonTrafficOptions {
  /** Mean arrivals per second (the fleet's clients divided by the mean interval of each). */
  ratePerSecond: number;
  /** How often arrivals are drawn, in ms. Default 50. */
  tickMillis?: number;
  /** Called once per arrival. */
  onArrival: () => void;
}

/** Above this mean per tick, a normal approximation replaces Knuth's method. */
const NORMAL_APPROXIMATION_ABOVE = 30;

/**
 * A Poisson arrival process driven by one timer for a whole fleet. Each
 * tick draws how many arrivals fell into the elapsed time and fires
 * `onArrival` that many times; the fleet sends each from a client picked
 * at random, which makes every client an independent Poisson process of
 * rate ratePerSecond / clients (thinning), with no timer per client.
 */
export class PoissonTraffic {
  private timer: NodeJS.Timeout | undefined;
  private last = 0;

  /** @param options rate and callback */
  constructor(private readonly options: PoissonTrafficOptions) {}

  /** Starts drawing arrivals (idempotent). */
  start(): void {
    if (this.timer !== undefined) return;
    this.last = Date.now();
    this.timer = setInterval(() => this.tick(), this.options.tickMillis ?? 50);
  }

  /** Stops (idempotent). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = Date.now();
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    const arrivals = poisson(this.options.ratePerSecond * elapsed);
    for (let i = 0; i < arrivals; i++) this.options.onArrival();
  }
}

/** A Poisson-distributed count with mean `mean`. */
export function poisson(mean: number, random: () => number = Math.random): number {
  if (!(mean > 0)) return 0;
  if (mean > NORMAL_APPROXIMATION_ABOVE) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}
