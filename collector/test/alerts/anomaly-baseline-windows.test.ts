import { describe, expect, it } from 'vitest';
import { baselineWindows, type BaselineWindow } from '../../src/alerts/detect/baseline-windows.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const WEEK = 7 * DAY;
/** A Saturday evening, 42.123 s into the minute. */
const now = Date.parse('2026-11-21T22:17:42.123Z');
const currentEnd = Date.parse('2026-11-21T22:17:00Z');

const ends = (windows: readonly BaselineWindow[]) => windows.map((w) => w.end);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sortedUnique = (values: number[]) => [...new Set(values)].sort((a, b) => a - b);

describe('baselineWindows', () => {
  it('with the defaults: 434 daily, 124 weekly, 496 distinct seasonal and 60 recent windows', () => {
    const windows = baselineWindows(now, MINUTE);
    expect(windows.daily).toHaveLength(434);
    expect(windows.weekly).toHaveLength(124);
    expect(windows.seasonal).toHaveLength(496);
    expect(windows.recent).toHaveLength(60);
    expect(new Set(ends([...windows.seasonal, ...windows.recent])).size).toBe(556);
  });

  it('puts every window on minute boundaries, the rule window long', () => {
    for (const windowMillis of [MINUTE, 5 * MINUTE, 60 * MINUTE]) {
      const { seasonal, daily, weekly, recent } = baselineWindows(now, windowMillis);
      const misfits = [...seasonal, ...daily, ...weekly, ...recent].filter((w) => w.end % MINUTE !== 0 || w.end - w.start !== windowMillis);
      expect(misfits).toEqual([]);
    }
  });

  it('takes the same time of day on each previous day and of week on each previous week, ±15 minutes in 1-minute steps', () => {
    const { daily, weekly } = baselineWindows(now, MINUTE);
    const around = (anchor: number) => range(-15, 15).map((m) => anchor + m * MINUTE);
    expect(ends(daily)).toEqual(sortedUnique(range(1, 14).flatMap((k) => around(currentEnd - k * DAY))));
    expect(ends(weekly)).toEqual(sortedUnique(range(1, 4).flatMap((k) => around(currentEnd - k * WEEK))));
  });

  it('lists each seasonal window once: days 7 and 14 are weeks 1 and 2', () => {
    const { seasonal, daily, weekly } = baselineWindows(now, MINUTE);
    expect(ends(seasonal)).toEqual(sortedUnique(ends([...daily, ...weekly])));
    expect(ends(daily)).toContain(currentEnd - WEEK);
    expect(ends(weekly)).toContain(currentEnd - WEEK);
    expect(ends(seasonal).filter((e) => e === currentEnd - WEEK)).toHaveLength(1);
  });

  it('dedupes windows of adjacent days once neighbourhoods overlap', () => {
    const { daily } = baselineWindows(now, MINUTE, { days: 3, weeks: 0, neighbourhoodMillis: 15 * 60 * MINUTE });
    expect(new Set(ends(daily)).size).toBe(daily.length);
    // ±15 h in 1-hour steps: days 1, 2 and 3 back share windows
    expect(daily).toHaveLength(79);
  });

  it('takes recent windows from the hour before the current window, one per minute, none overlapping it', () => {
    for (const windowMillis of [MINUTE, 5 * MINUTE]) {
      const { recent } = baselineWindows(now, windowMillis);
      expect(recent).toHaveLength(60);
      expect(recent.at(-1)!.end).toBe(currentEnd - windowMillis);
      expect(recent[0]!.end).toBe(currentEnd - windowMillis - 59 * MINUTE);
      expect(ends(recent)).toEqual(range(-59, 0).map((m) => currentEnd - windowMillis + m * MINUTE));
      // the current window is the trailing windowMillis before now
      expect(recent.filter((w) => w.end > now - windowMillis)).toEqual([]);
    }
  });

  it('keeps seasonal windows in the past, clear of the current window', () => {
    const { seasonal } = baselineWindows(now, MINUTE);
    expect(seasonal.at(-1)!.end).toBe(currentEnd - DAY + 15 * MINUTE);
    expect(seasonal[0]!.end).toBe(currentEnd - 4 * WEEK - 15 * MINUTE);
  });

  it('keeps the window count whatever the window length', () => {
    const windows = baselineWindows(now, 5 * MINUTE);
    expect([windows.daily.length, windows.weekly.length, windows.seasonal.length, windows.recent.length]).toEqual([434, 124, 496, 60]);
  });

  it('spreads at most 31 offsets over a wide neighbourhood, so the schema maximum stays one query', () => {
    const windows = baselineWindows(now, MINUTE, { days: 60, weeks: 12, neighbourhoodMillis: 2 * 60 * MINUTE });
    expect(windows.daily).toHaveLength(60 * 31);
    expect(windows.weekly).toHaveLength(12 * 31);
    expect(windows.seasonal).toHaveLength(2_044 - 60);
    const yesterday = ends(windows.daily).filter((e) => Math.abs(e - (currentEnd - DAY)) <= 2 * 60 * MINUTE);
    expect(yesterday).toEqual(range(-15, 15).map((i) => currentEnd - DAY + i * 8 * MINUTE));
  });

  it('steps by 1 minute for neighbourhoods up to 15 minutes, and takes the exact time alone with none', () => {
    expect(baselineWindows(now, MINUTE, { days: 1, weeks: 0, neighbourhoodMillis: 10 * MINUTE }).daily).toHaveLength(21);
    const exact = baselineWindows(now, MINUTE, { neighbourhoodMillis: 0 });
    expect(exact.seasonal).toHaveLength(16);
    expect(ends(exact.weekly)).toEqual(range(1, 4).map((k) => currentEnd - k * WEEK).reverse());
  });

  it('honours recentMillis and no history at all', () => {
    const windows = baselineWindows(now, MINUTE, { days: 0, weeks: 0, recentMillis: 30 * MINUTE });
    expect(windows).toMatchObject({ seasonal: [], daily: [], weekly: [] });
    expect(windows.recent).toHaveLength(30);
  });

  it('refuses values no rule can have', () => {
    expect(() => baselineWindows(now, 90_000)).toThrow(/windowMillis must be a whole number of minutes/);
    expect(() => baselineWindows(now, 0)).toThrow(RangeError);
    expect(() => baselineWindows(now, MINUTE, { days: -1 })).toThrow(/days/);
    expect(() => baselineWindows(now, MINUTE, { weeks: 1.5 })).toThrow(/weeks/);
    expect(() => baselineWindows(now, MINUTE, { neighbourhoodMillis: 30_000 })).toThrow(/neighbourhoodMillis/);
    expect(() => baselineWindows(Number.NaN, MINUTE)).toThrow(/now/);
  });
});
