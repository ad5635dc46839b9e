import { describe, expect, it } from 'vitest';
import { seededRandom as seeded } from '@tunnelvision/test-support';
import { logNormalSampler } from '../../src/loadgen/network/log-normal.js';
import { poisson } from '../../src/loadgen/fleet/poisson-traffic.js';
import { clientsWithin, filesNeeded, readOpenFileLimit } from '../../src/loadgen/process/open-file-limit.js';

const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;

describe('logNormalSampler', () => {
  it('has the median and p99 it was given', () => {
    const sample = logNormalSampler({ medianMillis: 40, p99Millis: 300, random: seeded(7) });
    const values = Array.from({ length: 100_000 }, sample).sort((a, b) => a - b);
    expect(quantile(values, 0.5)).toBeGreaterThan(38);
    expect(quantile(values, 0.5)).toBeLessThan(42);
    expect(quantile(values, 0.99)).toBeGreaterThan(270);
    expect(quantile(values, 0.99)).toBeLessThan(330);
    expect(values[values.length - 1]).toBeLessThanOrEqual(3_000);
  });

  it('refuses a p99 below the median', () => {
    expect(() => logNormalSampler({ medianMillis: 40, p99Millis: 20 })).toThrow(/p99Millis must be a number >= medianMillis/);
    expect(() => logNormalSampler({ medianMillis: 0, p99Millis: 20 })).toThrow(/medianMillis must be a positive number/);
  });
});

describe('poisson', () => {
  it.each([0.3, 5, 200])('averages its mean (%d)', (mean) => {
    const random = seeded(11);
    let total = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) total += poisson(mean, random);
    expect(total / n).toBeGreaterThan(mean * 0.97);
    expect(total / n).toBeLessThan(mean * 1.03);
  });

  it('is 0 for a mean of 0', () => {
    expect(poisson(0)).toBe(0);
  });
});

describe('open file limit', () => {
  it('reads the soft limit from /proc/self/limits', () => {
    const text = [
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max open files            20000                20000                files',
    ].join('\n');
    expect(readOpenFileLimit(text)).toBe(20_000);
    expect(readOpenFileLimit('Max open files            unlimited            unlimited            files')).toBe(Number.POSITIVE_INFINITY);
    expect(readOpenFileLimit('nothing here')).toBeUndefined();
  });

  it('budgets four files per client', () => {
    expect(filesNeeded(10_000)).toBe(40_256);
    expect(clientsWithin(20_000)).toBe(4_936);
  });
});
