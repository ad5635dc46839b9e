import { describe, expect, it } from 'vitest';
import { parseRange, resolveRange, stepFor } from '../../src/shared/time-range.js';

const params = (query: string) => new URLSearchParams(query);

describe('time ranges from the URL', () => {
  it('reads presets and falls back to an hour', () => {
    expect(parseRange(params('range=6h'))).toEqual({ kind: 'preset', preset: '6h' });
    expect(parseRange(params(''))).toEqual({ kind: 'preset', preset: '1h' });
    expect(parseRange(params('range=3y'))).toEqual({ kind: 'preset', preset: '1h' });
  });

  it('reads custom bounds as ISO or epoch ms, and refuses a reversed range', () => {
    expect(parseRange(params('range=custom&from=2026-11-23T06:00:00Z&to=1795417200000'))).toEqual({
      kind: 'custom',
      from: Date.parse('2026-11-23T06:00:00Z'),
      to: 1795417200000,
    });
    expect(parseRange(params('range=custom&from=1795417200000&to=2026-11-23T06:00:00Z'))).toEqual({ kind: 'preset', preset: '1h' });
  });

  it('follows the clock for presets with fixed steps, and picks ≤ 120 buckets for custom ranges', () => {
    const now = Date.parse('2026-11-23T12:00:00.500Z');
    expect(resolveRange({ kind: 'preset', preset: '24h' }, now)).toEqual({ from: now - 500 - 86_400_000, to: now - 500, stepSeconds: 900, live: true });
    expect(resolveRange({ kind: 'custom', from: 0, to: 1_800_000 }, now)).toEqual({ from: 0, to: 1_800_000, stepSeconds: 60, live: false });
    expect(stepFor(86_400_000)).toBe(720);
  });
});
