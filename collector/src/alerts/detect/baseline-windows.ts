/**
 * Which historical windows an anomaly rule compares the current window with.
 * The evaluator counts events in every window this returns, in one query on
 * the per-minute table, and hands the per-minute rates to `chooseBaseline`
 * (anomaly-score.ts).
 *
 * Seasonal windows come in two lists because the baseline treats them apart
 * (anomaly-score.ts says why): `daily`, the same time of day on each of the
 * previous `days` days, and `weekly`, the same time of week on each of the
 * previous `weeks` weeks. Each is slid over ±`neighbourhoodMillis`, so that a
 * peak arriving a few minutes early or late on some day still lands in the
 * baseline, and so that each day gives several samples instead of one.
 * `recent` is the last `recentMillis` before the current window, the
 * fallback for a group with too little history.
 *
 * Counts with the defaults (14 days, 4 weeks, ±15 min, 1 h), whatever the
 * window length: daily 14 × 31 = 434, weekly 4 × 31 = 124, recent 60, 618
 * in all. Weeks 1 and 2 are days 7 and 14, so `seasonal` (daily and weekly
 * together) holds 496 and the query counts 556 distinct windows, spread over
 * 17 stretches of the per-minute table (16 of 30 + w minutes, one of 59 + w
 * for a window of w minutes). The rule schema's largest settings (60 days,
 * 12 weeks, ±2 h) give 60 × 31 + 12 × 31 + 60 = 2,292 windows, 2,044
 * distinct.
 */

const MINUTE_MILLIS = 60_000;
const DAY_MILLIS = 24 * 60 * MINUTE_MILLIS;
const WEEK_MILLIS = 7 * DAY_MILLIS;

/**
 * Offsets per anchor day, at most. Windows slid along one day share that
 * day's level, so past ~30 of them they add little to a median and MAD that
 * are dominated by how days differ, while the query grows with each. A
 * neighbourhood of ±15 min or less therefore steps by 1 minute; a wider one
 * spreads 31 offsets evenly over it (±2 h steps by 8 minutes).
 */
const MAX_OFFSETS_PER_ANCHOR = 31;

/** A half-open interval [start, end) of epoch milliseconds, both on a minute boundary. */
export interface BaselineWindow {
  start: number;
  end: number;
}

/** The windows to count, each list sorted by `end`, oldest first, no window twice in a list. */
export interface BaselineWindows {
  /** `daily` and `weekly` together, each window once (days 7, 14, … are weeks 1, 2, …): what the query counts. */
  seasonal: BaselineWindow[];
  /** Same time of day on each previous day, slid over the neighbourhood. */
  daily: BaselineWindow[];
  /** Same time of week on each previous week, slid over the neighbourhood. */
  weekly: BaselineWindow[];
  /** Windows ending in the `recentMillis` before the current window starts, one per minute; none overlaps the current window. */
  recent: BaselineWindow[];
}

export interface BaselineWindowsOptions {
  /** Previous days to compare with at the same time of day (anomaly rule `baseline_days`). Default 14. */
  days?: number;
  /** Previous weeks to compare with at the same time of week (`baseline_weeks`). Default 4. */
  weeks?: number;
  /**
   * How far each seasonal window slides either side of the exact time
   * (`baseline_neighbourhood`), a whole number of minutes. Default 15 min.
   */
  neighbourhoodMillis?: number;
  /** How far back the recent fallback windows reach, a whole number of minutes. Default 1 h. */
  recentMillis?: number;
}

const BASELINE_WINDOWS_DEFAULTS: Required<BaselineWindowsOptions> = {
  days: 14,
  weeks: 4,
  neighbourhoodMillis: 15 * MINUTE_MILLIS,
  recentMillis: 60 * MINUTE_MILLIS,
};

/**
 * The daily, weekly and recent windows for a rule evaluated at `now` over a
 * trailing window of `windowMillis`. Windows end on minute boundaries because
 * they are counted from the per-minute table; the current window is taken to
 * end at `now`, so the newest recent window ends at floor-to-minute(now) −
 * `windowMillis`, before the current window starts.
 *
 * Throws RangeError on a value no rule can have (a window that is not a whole
 * number of minutes, a negative or fractional day count).
 */
export function baselineWindows(now: number, windowMillis: number, options: BaselineWindowsOptions = {}): BaselineWindows {
  const days = options.days ?? BASELINE_WINDOWS_DEFAULTS.days;
  const weeks = options.weeks ?? BASELINE_WINDOWS_DEFAULTS.weeks;
  const neighbourhoodMillis = options.neighbourhoodMillis ?? BASELINE_WINDOWS_DEFAULTS.neighbourhoodMillis;
  const recentMillis = options.recentMillis ?? BASELINE_WINDOWS_DEFAULTS.recentMillis;
  requireWholeMinutes('windowMillis', windowMillis, 1);
  requireWholeMinutes('neighbourhoodMillis', neighbourhoodMillis, 0);
  requireWholeMinutes('recentMillis', recentMillis, 0);
  requireCount('days', days);
  requireCount('weeks', weeks);
  if (!Number.isFinite(now)) throw new RangeError(`now must be epoch milliseconds, got ${now}`);

  const currentEnd = Math.floor(now / MINUTE_MILLIS) * MINUTE_MILLIS;
  const offsets = neighbourhoodOffsets(neighbourhoodMillis);
  const sameTimeEach = (count: number, periodMillis: number) => {
    const ends: number[] = [];
    for (let k = 1; k <= count; k++) {
      for (const offset of offsets) ends.push(currentEnd - k * periodMillis + offset);
    }
    return ends;
  };
  const daily = sameTimeEach(days, DAY_MILLIS);
  const weekly = sameTimeEach(weeks, WEEK_MILLIS);
  const newestRecentEnd = currentEnd - windowMillis;
  const recent = Array.from({ length: recentMillis / MINUTE_MILLIS }, (_, i) => newestRecentEnd - i * MINUTE_MILLIS);
  return {
    seasonal: toWindows([...daily, ...weekly], windowMillis),
    daily: toWindows(daily, windowMillis),
    weekly: toWindows(weekly, windowMillis),
    recent: toWindows(recent, windowMillis),
  };
}

/** Windows of `windowMillis` ending at each distinct one of `ends`, oldest first. */
function toWindows(ends: readonly number[], windowMillis: number): BaselineWindow[] {
  const sorted = Float64Array.from(ends).sort();
  const windows: BaselineWindow[] = [];
  sorted.forEach((end, i) => {
    if (i === 0 || end !== sorted[i - 1]) windows.push({ start: end - windowMillis, end });
  });
  return windows;
}

/** Whole-minute offsets in [−neighbourhood, +neighbourhood], at most MAX_OFFSETS_PER_ANCHOR of them. */
function neighbourhoodOffsets(neighbourhoodMillis: number): number[] {
  const reachMinutes = neighbourhoodMillis / MINUTE_MILLIS;
  const half = (MAX_OFFSETS_PER_ANCHOR - 1) / 2;
  const offsets = new Set<number>();
  for (let i = -half; i <= half; i++) offsets.add(Math.round((reachMinutes * i) / half) * MINUTE_MILLIS);
  return [...offsets];
}

function requireWholeMinutes(name: string, millis: number, minMinutes: number): void {
  if (!Number.isInteger(millis) || millis % MINUTE_MILLIS !== 0 || millis < minMinutes * MINUTE_MILLIS) {
    throw new RangeError(`${name} must be a whole number of minutes${minMinutes > 0 ? ', at least 1' : ''} (e.g. 60000), got ${millis}`);
  }
}

function requireCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number, 0 or more, got ${value}`);
}
