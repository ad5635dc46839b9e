import { describe, expect, it } from 'vitest';
import { anomalyDecision, chooseBaseline, robustBaseline, type RobustBaseline } from '../../src/alerts/detect/anomaly-score.js';

const flat = (value: number, n: number) => Array.from({ length: n }, () => value);
const baseline = (median: number, mad: number, source: RobustBaseline['source'] = 'seasonal'): RobustBaseline => ({ median, mad, samples: 100, source });

describe('robustBaseline', () => {
  it('takes the median and the MAD scaled by 1.4826, unmoved by a storm in the history', () => {
    expect(robustBaseline([1, 2, 3, 4, 100], 'seasonal')).toEqual({ median: 3, mad: 1.4826, samples: 5, source: 'seasonal' });
    const withoutStorm = robustBaseline([1, 2, 3, 4, 5], 'seasonal');
    expect(withoutStorm.median).toBe(3);
    expect(withoutStorm.mad).toBeCloseTo(1.4826);
  });

  it('averages the middle two of an even number of samples', () => {
    // deviations from 2.5: 1.5, 0.5, 0.5, 1.5 -> median 1
    expect(robustBaseline([4, 1, 3, 2], 'recent')).toMatchObject({ median: 2.5, mad: 1.4826, samples: 4 });
  });

  it('estimates the standard deviation of normally distributed samples', () => {
    // Normal quantiles at (i + 0.5) / n: a sample with sd 1 and no randomness.
    const quantiles = Array.from({ length: 999 }, (_, i) => normalQuantile((i + 0.5) / 999));
    const { median, mad } = robustBaseline(quantiles.map((z) => 50 + 7 * z), 'seasonal');
    expect(median).toBeCloseTo(50, 6);
    expect(mad).toBeCloseTo(7, 1);
  });

  it('is all zeros without samples', () => {
    expect(robustBaseline([], 'none')).toEqual({ median: 0, mad: 0, samples: 0, source: 'none' });
  });
});

describe('anomalyDecision', () => {
  it('floors the scale with Poisson noise, so +1 on a flat history is not infinitely anomalous', () => {
    const decision = anomalyDecision(11, robustBaseline(flat(10, 400), 'seasonal'), { minVolume: 0 });
    expect(decision.score).toBeCloseTo(1 / Math.sqrt(10));
    expect(decision.anomalous).toBe(false);
    // threshold: max(0, 2 x 10, 10 + 5 x sqrt(10))
    expect(decision.threshold).toBeCloseTo(10 + 5 * Math.sqrt(10));
    expect(anomalyDecision(26, robustBaseline(flat(10, 400), 'seasonal'), { minVolume: 0 }).anomalous).toBe(true);
  });

  it('counts at least one event per window in the floor when the median is 0', () => {
    const zero = robustBaseline(flat(0, 400), 'seasonal');
    expect(anomalyDecision(1, zero, { minVolume: 0 })).toEqual({ anomalous: false, score: 1, threshold: 5 });
    // over 5-minute windows one event is 0.2/min, the floor's width
    expect(anomalyDecision(1, zero, { minVolume: 0, windowMinutes: 5 })).toEqual({ anomalous: true, score: 5, threshold: 1 });
  });

  it('narrows the floor for longer windows: a rate over w minutes varies by sqrt(rate x w) / w', () => {
    const decision = anomalyDecision(10, baseline(10, 0), { minVolume: 0, minRatio: 1, windowMinutes: 5 });
    expect(decision.threshold).toBeCloseTo(10 + 5 * (Math.sqrt(50) / 5));
  });

  it('uses the MAD when it is wider than the floor', () => {
    const decision = anomalyDecision(90, baseline(40, 12), { minVolume: 0 });
    expect(decision.score).toBeCloseTo(50 / 12);
    expect(decision.threshold).toBe(100);
  });

  it('does not page on a quiet minute with a few reconnects, however unusual, below minVolume', () => {
    const silent = chooseBaseline({ daily: flat(0, 434), weekly: flat(0, 124) }, flat(0, 60));
    expect(silent).toMatchObject({ median: 0, mad: 0, source: 'seasonal' });
    expect(anomalyDecision(3, silent, { minVolume: 30 })).toMatchObject({ anomalous: false, threshold: 30 });
    const blip = anomalyDecision(12, silent, { minVolume: 30 });
    expect(blip.score).toBe(12);
    expect(blip.anomalous).toBe(false);
    // the volume guard, not the score, is what keeps it quiet
    expect(anomalyDecision(12, silent, { minVolume: 0 }).anomalous).toBe(true);
    expect(anomalyDecision(30, silent, { minVolume: 30 }).anomalous).toBe(true);
  });

  it('requires minRatio times the median on a busy group, where the score alone would page on a few percent', () => {
    const busy = baseline(1_000, 5);
    const decision = anomalyDecision(1_500, busy, { minVolume: 30 });
    expect(decision.score).toBeGreaterThan(15);
    expect(decision).toMatchObject({ anomalous: false, threshold: 2_000 });
    expect(anomalyDecision(1_500, busy, { minVolume: 30, minRatio: 1 }).anomalous).toBe(true);
    expect(anomalyDecision(3_100, busy, { minVolume: 30, minRatio: 3 })).toMatchObject({ anomalous: true, threshold: 3_000 });
  });

  it('pages from minVolume when there is no baseline at all', () => {
    const none = chooseBaseline({ daily: [], weekly: [] }, []);
    expect(anomalyDecision(29, none, { minVolume: 30 }).anomalous).toBe(false);
    expect(anomalyDecision(30, none, { minVolume: 30 })).toEqual({ anomalous: true, score: 30, threshold: 30 });
  });

  it('refuses options no rule can have', () => {
    const b = baseline(10, 2);
    expect(() => anomalyDecision(1, b, { minVolume: 30, minScore: 0 })).toThrow(RangeError);
    expect(() => anomalyDecision(1, b, { minVolume: 30, minRatio: 0.5 })).toThrow(/minRatio/);
    expect(() => anomalyDecision(1, b, { minVolume: -1 })).toThrow(/minVolume/);
    expect(() => anomalyDecision(1, b, { minVolume: 30, windowMinutes: 0 })).toThrow(/windowMinutes/);
  });
});

describe('chooseBaseline', () => {
  const enoughDaily = flat(10, 31);

  it('uses seasonal history once the daily windows have minSeasonalSamples samples', () => {
    expect(chooseBaseline({ daily: enoughDaily, weekly: [] }, flat(50, 60))).toMatchObject({ median: 10, samples: 31, source: 'seasonal' });
    expect(chooseBaseline({ daily: flat(10, 23), weekly: [] }, flat(50, 60))).toMatchObject({ median: 50, samples: 60, source: 'recent' });
    expect(chooseBaseline({ daily: flat(10, 23), weekly: [] }, flat(50, 60), 20)).toMatchObject({ median: 10, source: 'seasonal' });
  });

  it('takes the higher median and the higher MAD of daily and weekly, so a value must be unusual for both', () => {
    // Saturday 22:00: most of the last 14 days are weekdays, quiet by then; the last Saturdays were not.
    const daily = [...flat(12, 300), ...flat(14, 30), ...flat(45, 104)];
    const weekly = [...flat(40, 30), ...flat(47, 32), ...flat(55, 30)];
    const chosen = chooseBaseline({ daily, weekly }, []);
    const d = robustBaseline(daily, 'seasonal');
    const w = robustBaseline(weekly, 'seasonal');
    expect(chosen).toEqual({ median: Math.max(d.median, w.median), mad: Math.max(d.mad, w.mad), samples: daily.length + weekly.length, source: 'seasonal' });
    expect(chosen.median).toBe(47);
    expect(anomalyDecision(60, chosen, { minVolume: 30 }).anomalous).toBe(false);
    expect(anomalyDecision(60, d, { minVolume: 30 }).anomalous).toBe(true);
  });

  it('leaves out weekly history too short to trust', () => {
    expect(chooseBaseline({ daily: enoughDaily, weekly: flat(100, 10) }, [])).toMatchObject({ median: 10, samples: 31 });
    expect(chooseBaseline({ daily: [], weekly: flat(100, 31) }, flat(5, 60))).toMatchObject({ median: 100, source: 'seasonal' });
  });

  it('falls back to short seasonal history when there is no recent history, and to none when there is nothing', () => {
    expect(chooseBaseline({ daily: flat(10, 5), weekly: flat(20, 3) }, [])).toMatchObject({ median: 20, samples: 8, source: 'seasonal' });
    expect(chooseBaseline({ daily: [], weekly: [] }, [])).toEqual({ median: 0, mad: 0, samples: 0, source: 'none' });
  });
});

/** Inverse standard normal CDF by bisection: slow, exact enough, and nothing to get wrong. */
function normalQuantile(p: number): number {
  const cdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Abramowitz–Stegun 7.1.26 (error below 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
