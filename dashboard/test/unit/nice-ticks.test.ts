import { describe, expect, it } from 'vitest';
import { niceTicks } from '../../src/charts/nice-ticks.js';

describe('niceTicks', () => {
  it('rounds the top up to a round step', () => {
    expect(niceTicks(204, true)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(20, true)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(4000, false)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(niceTicks(0.9, false)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('never gives whole-number data fractional ticks', () => {
    expect(niceTicks(1, true)).toEqual([0, 1]);
    expect(niceTicks(3, true)).toEqual([0, 1, 2, 3]);
  });

  it('draws an empty axis from 0 to 1', () => {
    expect(niceTicks(0, true)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN, false)).toEqual([0, 1]);
  });
});
