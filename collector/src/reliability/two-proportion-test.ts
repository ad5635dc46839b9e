/**
 * The two-proportion z-test the cohort comparison states its verdicts with:
 * is x1/n1 different from x2/n2 by more than sampling noise? Two-sided,
 * pooled standard error; it needs about five good and five bad in each
 * group for the normal approximation to hold.
 */
export interface TwoProportionResult {
  z: number;
  pValue: number;
}

/** Null when either group is empty or too small for the approximation. */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): TwoProportionResult | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const enough = (x: number, n: number) => Math.min(n * pooled, n * (1 - pooled)) >= 5 || (x >= 5 && n - x >= 5);
  if (!enough(x1, n1) || !enough(x2, n2)) return null;
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

/** Standard normal CDF through erf (Abramowitz and Stegun 7.1.26, error under 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
