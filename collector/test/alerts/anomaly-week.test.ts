import { describe, expect, it } from 'vitest';
import { formatStudyTable, runAnomalyWeekStudy, type DetectorName } from '../../bench/anomaly-week-study.js';

describe('synthetic-week study: anomaly rule against fixed thresholds', () => {
  const result = runAnomalyWeekStudy();
  const detector = (name: DetectorName) => result.detectors.find((d) => d.name === name)!;
  console.log(formatStudyTable(result));

  it('evaluates every minute of the last week with a seasonal baseline', () => {
    expect(result.evaluatedMinutes).toBe(7 * 1_440);
    expect(result.storms).toHaveLength(10);
    expect(result.baselineSources.seasonal).toBe(result.evaluatedMinutes);
  });

  it('catches every storm within a minute, with at most one false page, and not the quiet blip', () => {
    const anomaly = detector('anomaly');
    expect(anomaly.missed).toBe(0);
    expect(anomaly.falsePages).toBeLessThanOrEqual(1);
    expect(anomaly.maxDelayMinutes).toBeLessThanOrEqual(1);
    expect(anomaly.blipPaged).toBe(false);
    expect(result.blip.paged).toBe(false);
    // the blip's score alone would page; min_volume is what keeps it quiet
    expect(result.blip.score).toBeGreaterThan(5);
  });

  it('shows each fixed threshold trading misses for false pages', () => {
    const high = detector('fixed-high');
    const low = detector('fixed-low');
    expect(high.missed + high.falsePages).toBeGreaterThan(0);
    expect(low.missed + low.falsePages).toBeGreaterThan(0);
    // above the normal peak it sleeps through the quiet-hour storms
    expect(high.falsePages).toBe(0);
    expect(high.missed).toBeGreaterThanOrEqual(result.storms.filter((s) => s.kind === 'quiet').length);
    // low enough for the quiet-hour storms it pages on normal evening peaks
    expect(low.missed).toBe(0);
    expect(low.falsePages).toBeGreaterThanOrEqual(7);
  });

  it('pages on weekend evenings when days and weeks are pooled into one baseline', () => {
    expect(detector('anomaly-pooled').falsePages).toBeGreaterThan(detector('anomaly').falsePages);
  });
});
