/** z-score of the 99th percentile of the standard normal distribution. */
const Z_P99 = 2.3263478740408408;

/** A log-normal latency distribution, given the way people describe latency: its median and 99th percentile. */
export interface LogNormalOptions {
  /** Median of the distribution, in ms (> 0). */
  medianMillis: number;
  /** 99th percentile, in ms (>= medianMillis). */
  p99Millis: number;
  /** Samples above this are clamped (a TCP stack retransmits long before). Default 10 × p99Millis. */
  maxMillis?: number;
  /** Uniform random numbers in [0, 1). Default Math.random (tests pass a seeded one). */
  random?: () => number;
}

/**
 * Returns a sampler of a log-normal distribution: ln(X) is normal with
 * mu = ln(median) and sigma = ln(p99 / median) / z(0.99). Network
 * round-trip times are well described by it: most are near the median,
 * with a long tail of slow links.
 *
 * @throws RangeError when median or p99 is not a positive finite number or p99 < median.
 */
export function logNormalSampler(options: LogNormalOptions): () => number {
  const { medianMillis, p99Millis } = options;
  if (!(Number.isFinite(medianMillis) && medianMillis > 0)) {
    throw new RangeError(`logNormalSampler: medianMillis must be a positive number, got ${String(medianMillis)}`);
  }
  if (!(Number.isFinite(p99Millis) && p99Millis >= medianMillis)) {
    throw new RangeError(`logNormalSampler: p99Millis must be a number >= medianMillis (${medianMillis}), got ${String(p99Millis)}`);
  }
  const random = options.random ?? Math.random;
  const max = options.maxMillis ?? 10 * p99Millis;
  const mu = Math.log(medianMillis);
  const sigma = Math.log(p99Millis / medianMillis) / Z_P99;
  return () => Math.min(max, Math.exp(mu + sigma * standardNormal(random)));
}

/** One standard normal sample (Box–Muller). */
function standardNormal(random: () => number): number {
  const u1 = 1 - random(); // (0, 1]: log(0) would be -Infinity
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
