/**
 * Scores the current value of a counted signal against what is usual. Every
 * number here is a per-minute rate (a window's count divided by its minutes).
 *
 * Baselines are robust (median and MAD, not mean and standard deviation)
 * because the history they are built from contains the very storms we look
 * for: a few storm minutes among hundreds of samples barely move a median,
 * while they would inflate a standard deviation enough to hide the next one.
 *
 * A value pages only when it clears three bars at once, each covering a case
 * the others miss:
 * - `minVolume`: a quiet hour going from 0 to 3 reconnects is a huge score
 *   but nobody should wake up for it;
 * - `minRatio × median`: on a busy group the score alone would page on a rise
 *   of a few percent once the scale is small next to the level;
 * - `median + minScore × scale`: on a quiet or noisy group the ratio alone
 *   would page on ordinary fluctuation.
 * The scale is the MAD, floored by Poisson noise so that a flat history (MAD
 * 0) does not make one extra event infinitely anomalous.
 *
 * The seasonal baseline looks at the same time of day on previous days and
 * at the same time of week on previous weeks, and takes whichever is higher
 * (median and MAD each): a value must be unusual for 22:00 and for a
 * Saturday at 22:00. Pooled into one sample, fourteen days hold ten
 * weekdays, so a weekend evening peak that comes half an hour later than on
 * weekdays looks like a storm all along its falling flank. The synthetic-week
 * study (collector/bench/anomaly-week-study.ts, seeds 1–20) counted 7–38
 * false pages a week that way, and none with the higher of the two.
 */

/** Makes the MAD of normally distributed data estimate its standard deviation. */
const MAD_TO_SIGMA = 1.4826;

/** Where a baseline came from: previous days and weeks at this time, the last hour, or nothing at all. */
export type BaselineSource = 'seasonal' | 'recent' | 'none';

export interface RobustBaseline {
  /** Median of the samples, a per-minute rate; 0 when there are none. */
  median: number;
  /** Median absolute deviation from the median, times 1.4826 (a standard deviation for normal data); 0 when there are no samples. */
  mad: number;
  /** How many samples the median and MAD were taken over (for seasonal, daily plus weekly). */
  samples: number;
  source: BaselineSource;
}

/**
 * Per-minute rates of the seasonal windows from `baselineWindows`.
 * Windows with no data (before the group's first event, or past retention)
 * are left out, not counted as 0: zeros would make a new group's history look
 * silent and page on its first evening peak.
 */
export interface SeasonalSamples {
  /** The `daily` windows' rates: the same time on previous days. */
  daily: readonly number[];
  /** The `weekly` windows' rates: the same time of week on previous weeks. */
  weekly: readonly number[];
}

export interface AnomalyDecisionOptions {
  /** Robust z-score at or above which a value is unusual (rule `min_score`). Default 5. */
  minScore?: number;
  /** Per-minute rate below which nothing pages, however unusual (rule `min_volume`). */
  minVolume: number;
  /** How many times the median a value must reach (rule `min_ratio`). Default 2. */
  minRatio?: number;
  /**
   * Minutes the value and the baseline samples were counted over (the rule's
   * window). Sets the Poisson noise floor: a rate r measured over w minutes
   * varies by about √(r·w)/w. Default 1.
   */
  windowMinutes?: number;
}

const ANOMALY_DECISION_DEFAULTS = { minScore: 5, minRatio: 2, windowMinutes: 1 } as const;

/**
 * Samples the daily or the weekly windows need before they are trusted over
 * the last hour. With the default windows one day (or week) of history gives
 * 31.
 */
const DEFAULT_MIN_SEASONAL_SAMPLES = 24;

export interface AnomalyDecision {
  /** Whether the value reached `threshold`. */
  anomalous: boolean;
  /** (value − median) / scale: how many noise widths above usual; negative below it. */
  score: number;
  /** The smallest value that would have been anomalous against this baseline. */
  threshold: number;
}

/** Median and scaled MAD of `samples` (per-minute rates), labelled with where they came from. */
export function robustBaseline(samples: readonly number[], source: BaselineSource): RobustBaseline {
  if (samples.length === 0) return { median: 0, mad: 0, samples: 0, source };
  const middle = median(samples);
  return {
    median: middle,
    mad: MAD_TO_SIGMA * median(samples.map((x) => Math.abs(x - middle))),
    samples: samples.length,
    source,
  };
}

/**
 * The baseline to score against. Seasonal when the daily or the weekly
 * windows have at least `minSeasonalSamples` samples: the higher median and
 * the higher MAD of those that do (see the file comment). Otherwise the
 * recent windows (a new group, or history lost); otherwise whatever seasonal
 * samples there are; otherwise 'none' (median 0, MAD 0), where only
 * `minVolume` and the noise floor stand between a value and a page.
 */
export function chooseBaseline(
  seasonal: SeasonalSamples,
  recent: readonly number[],
  minSeasonalSamples: number = DEFAULT_MIN_SEASONAL_SAMPLES,
): RobustBaseline {
  const daily = robustBaseline(seasonal.daily, 'seasonal');
  const weekly = robustBaseline(seasonal.weekly, 'seasonal');
  const trusted = [daily, weekly].filter((b) => b.samples > 0 && b.samples >= minSeasonalSamples);
  if (trusted.length > 0) return higherOf(trusted);
  if (recent.length > 0) return robustBaseline(recent, 'recent');
  if (daily.samples + weekly.samples > 0) return higherOf([daily, weekly].filter((b) => b.samples > 0));
  return robustBaseline([], 'none');
}

/**
 * Whether `value` (the current window's per-minute rate) is anomalous
 * against `baseline`: it is when it reaches `threshold`, the largest of
 * `minVolume`, `minRatio × median` and `median + minScore × scale`.
 *
 * Throws RangeError on options no rule can have (minScore ≤ 0, minRatio < 1,
 * negative minVolume, windowMinutes < 1).
 */
export function anomalyDecision(value: number, baseline: RobustBaseline, options: AnomalyDecisionOptions): AnomalyDecision {
  const { minVolume } = options;
  const minScore = options.minScore ?? ANOMALY_DECISION_DEFAULTS.minScore;
  const minRatio = options.minRatio ?? ANOMALY_DECISION_DEFAULTS.minRatio;
  const windowMinutes = options.windowMinutes ?? ANOMALY_DECISION_DEFAULTS.windowMinutes;
  if (!(minScore > 0)) throw new RangeError(`minScore must be above 0, got ${minScore}`);
  if (!(minRatio >= 1)) throw new RangeError(`minRatio must be 1 or more, got ${minRatio}`);
  if (!(minVolume >= 0)) throw new RangeError(`minVolume must be 0 or more, got ${minVolume}`);
  if (!(windowMinutes >= 1)) throw new RangeError(`windowMinutes must be 1 or more, got ${windowMinutes}`);

  const scale = Math.max(baseline.mad, poissonFloor(baseline.median, windowMinutes));
  const threshold = Math.max(minVolume, minRatio * baseline.median, baseline.median + minScore * scale);
  return { anomalous: value >= threshold, score: (value - baseline.median) / scale, threshold };
}

/**
 * The upper envelope of seasonal baselines: its threshold is at least each
 * one's, because a threshold only grows with the median and the MAD.
 */
function higherOf(baselines: readonly RobustBaseline[]): RobustBaseline {
  return {
    median: Math.max(...baselines.map((b) => b.median)),
    mad: Math.max(...baselines.map((b) => b.mad)),
    samples: baselines.reduce((sum, b) => sum + b.samples, 0),
    source: 'seasonal',
  };
}

/**
 * The standard deviation of a Poisson count with the median's mean, as a
 * per-minute rate, counting at least one event per window so that an empty
 * history still has a width.
 */
function poissonFloor(medianRate: number, windowMinutes: number): number {
  return Math.sqrt(Math.max(medianRate * windowMinutes, 1)) / windowMinutes;
}

/** Median of a non-empty list; a typed array sorts numbers natively, several times faster than a comparator. */
function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
