import { describe, expect, it } from 'vitest';
import { computeBackoff, pickBaseDelay } from '../../src/client/backoff.js';
import { seededRandom } from '@tunnelvision/test-support';

const CAP = 30_000;

function delay(attempt: number, r: number, baseMillis = 200, extra: Partial<Parameters<typeof computeBackoff>[0]> = {}) {
  return computeBackoff({ attempt, baseMillis, maxDelayMillis: CAP, jitterRatio: 0.5, random: () => r, ...extra });
}

describe('computeBackoff', () => {
  it('jitters the first delay by ±50% around the base', () => {
    expect(delay(1, 0).delayMs).toBe(100);
    expect(delay(1, 0.5).delayMs).toBe(200);
    expect(delay(1, 0.5).jitterMs).toBe(0);
    expect(delay(1, 1).delayMs).toBe(300);
    expect(delay(1, 0).jitterMs).toBe(-100);
  });

  it('doubles the nominal delay per attempt until the cap', () => {
    const nominals = [1, 2, 3, 4, 5].map((attempt) => delay(attempt, 0.5).nominalMs);
    expect(nominals).toEqual([200, 400, 800, 1600, 3200]);
    expect(delay(20, 0.5).nominalMs).toBe(CAP);
  });

  it('never exceeds the cap and stays spread once at the cap', () => {
    const random = seededRandom(7);
    for (let attempt = 1; attempt <= 200; attempt++) {
      const d = computeBackoff({ attempt, baseMillis: 500, maxDelayMillis: CAP, jitterRatio: 0.5, random });
      expect(d.delayMs).toBeLessThanOrEqual(CAP);
      expect(d.delayMs).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(d.delayMs)).toBe(true);
    }
    expect(delay(50, 0).delayMs).toBe(CAP / 2);
    expect(delay(50, 1).delayMs).toBe(CAP);
    expect(delay(1e9, 0.25).delayMs).toBe(CAP * 0.625);
  });

  it('1013: applies the multiplier and never goes under the floor', () => {
    const extra = { multiplier: 4, floorMillis: 5_000 };
    expect(delay(1, 0, 200, extra).delayMs).toBe(5_000);
    expect(delay(1, 1, 200, extra).delayMs).toBe(7_500);
    expect(delay(4, 0.5, 200, extra).nominalMs).toBe(6_400);
    expect(delay(30, 1, 200, extra).delayMs).toBe(CAP);
  });

  it('a floor above the cap is clamped to the cap', () => {
    expect(delay(1, 0.5, 200, { floorMillis: 90_000 }).delayMs).toBe(CAP);
  });
});

describe('pickBaseDelay + computeBackoff across a fleet', () => {
  it("1000 clients' first delays span the range, none exceed the cap", () => {
    const random = seededRandom(42);
    const firstDelays: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const base = pickBaseDelay(100, 500, random);
      expect(base).toBeGreaterThanOrEqual(100);
      expect(base).toBeLessThanOrEqual(500);
      firstDelays.push(computeBackoff({ attempt: 1, baseMillis: base, maxDelayMillis: CAP, jitterRatio: 0.5, random }).delayMs);
    }
    const min = Math.min(...firstDelays);
    const max = Math.max(...firstDelays);
    expect(min).toBeGreaterThanOrEqual(50);
    expect(max).toBeLessThanOrEqual(750);
    expect(min).toBeLessThan(80);
    expect(max).toBeGreaterThan(650);
    // Spread, not a herd: every 100 ms bucket of [50, 750) is used, none holds a third of the fleet.
    const buckets = new Array(7).fill(0) as number[];
    for (const d of firstDelays) buckets[Math.min(6, Math.floor((d - 50) / 100))]! += 1;
    for (const count of buckets) {
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThan(334);
    }
  });

  it('at the cap the fleet still spreads over [cap/2, cap]', () => {
    const random = seededRandom(3);
    const delays = Array.from({ length: 1000 }, () =>
      computeBackoff({ attempt: 30, baseMillis: pickBaseDelay(100, 500, random), maxDelayMillis: CAP, jitterRatio: 0.5, random }).delayMs,
    );
    expect(Math.max(...delays)).toBeLessThanOrEqual(CAP);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(CAP / 2);
    expect(new Set(delays.map((d) => Math.floor(d / 1000))).size).toBeGreaterThanOrEqual(15);
  });
});
