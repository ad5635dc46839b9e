/**
 * Reconnect delays: jittered exponential backoff, as a pure function of its
 * inputs (the random source is injected, so tests are deterministic).
 *
 * nominal = clamp(base * multiplier * 2^(attempt - 1), floor, cap)
 * delay   = uniform in [max(floor, nominal * (1 - jitter)), min(cap, nominal * (1 + jitter))]
 *
 * Sampling inside the capped range (instead of clamping a jittered value to
 * the cap) keeps clients spread out even once every one of them is at the cap.
 */

/** Inputs of one reconnect delay. */
export interface BackoffInput {
  /** 1 for the first retry after a drop. */
  attempt: number;
  /** This client's base delay (see `pickBaseDelay`). */
  baseMillis: number;
  /** Hard upper bound of the delay. */
  maxDelayMillis: number;
  /** Share of the nominal delay that is random, either way (0.5 = ±50%). */
  jitterRatio: number;
  /** Multiplies the exponential part (1013 "try again later" uses more than 1). Default 1. */
  multiplier?: number;
  /** Lower bound of the delay, jitter included (for 1013). Default 0. */
  floorMillis?: number;
  /** Uniform random number in [0, 1). */
  random: () => number;
}

/** One computed delay. */
export interface BackoffDelay {
  /** The wait, jitter included. */
  delayMs: number;
  /** The deterministic part of the wait. */
  nominalMs: number;
  /** delayMs - nominalMs: the random part (can be negative). */
  jitterMs: number;
}

/** The delay before reconnect attempt `input.attempt`. */
export function computeBackoff(input: BackoffInput): BackoffDelay {
  const multiplier = input.multiplier ?? 1;
  const cap = Math.max(0, input.maxDelayMillis);
  const floor = Math.min(cap, Math.max(0, input.floorMillis ?? 0));
  // Cap the exponent so huge attempt numbers stay finite.
  const exponent = Math.min(Math.max(0, input.attempt - 1), 52);
  const exponential = input.baseMillis * multiplier * 2 ** exponent;
  const nominal = Math.min(cap, Math.max(floor, exponential));
  const ratio = Math.min(1, Math.max(0, input.jitterRatio));
  const low = Math.max(floor, nominal * (1 - ratio));
  const high = Math.max(low, Math.min(cap, nominal * (1 + ratio)));
  const r = Math.min(Math.max(input.random(), 0), 1);
  const delay = low + r * (high - low);
  return { delayMs: delay, nominalMs: nominal, jitterMs: delay - nominal };
}

/**
 * A client's own base delay, uniform in [minMillis, maxMillis]. Each client
 * picks one once, so a fleet that dropped at the same instant does not come
 * back in lockstep.
 */
export function pickBaseDelay(minMillis: number, maxMillis: number, random: () => number): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return minMillis + r * (maxMillis - minMillis);
}
