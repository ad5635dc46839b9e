import { describe, expect, it } from 'vitest';
import { median, spikeThreshold } from '../../src/overview/find-spikes.js';

describe('spikeThreshold', () => {
  it('is three times the typical rate, at least 5', () => {
    expect(spikeThreshold([0, 0, 1, 0, 20, 0])).toBe(5);
    expect(spikeThreshold([10, 12, 8, 11, 60])).toBe(33);
  });

  it('ignores gaps and has no spikes without data', () => {
    expect(spikeThreshold([null, 4, null, 4])).toBe(12);
    expect(spikeThreshold([null, null])).toBe(Number.POSITIVE_INFINITY);
    expect(median([])).toBeNull();
  });
});
