import { describe, expect, it } from 'vitest';
import { rollupRowsSql, wholeMinutes } from '../../src/query/rollup-rows.js';

/**
 * Which rows a window reads: hourly rows only for whole hours that lie in
 * one bucket, minute rows for the rest, so every bucket sums the same
 * minutes either way.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY_START = Date.UTC(2026, 0, 5);

/** The [table, from, to) each part of the UNION reads, times as ISO hours and minutes. */
function reads(sql: string): string[] {
  return [...sql.matchAll(/FROM tv\.(\w+) WHERE Minute >= toDateTime\((\d+)\) AND Minute < toDateTime\((\d+)\)/g)].map(
    ([, table, a, b]) => `${table} ${new Date(Number(a) * 1000).toISOString().slice(11, 16)}-${new Date(Number(b) * 1000).toISOString().slice(11, 16)}`,
  );
}

describe('rollupRowsSql', () => {
  it('reads the whole hours of hour-aligned buckets by the hour and the partial last hour by the minute', () => {
    const sql = rollupRowsSql('tv', 'events', { from: DAY_START, to: DAY_START + 5 * HOUR + 17 * MINUTE, stepMillis: 2 * HOUR });
    expect(reads(sql)).toEqual(['events_1h 00:00-05:00', 'events_1m 05:00-05:17']);
  });

  it('reads partial hours at both edges by the minute when the window is one bucket', () => {
    const from = DAY_START + 40 * MINUTE;
    const to = DAY_START + 6 * HOUR + 5 * MINUTE;
    expect(reads(rollupRowsSql('tv', 'latency', { from, to, stepMillis: to - from }))).toEqual([
      'latency_1h 01:00-06:00',
      'latency_1m 00:40-01:00',
      'latency_1m 06:00-06:05',
    ]);
  });

  it('reads only minutes when an hour could straddle two buckets', () => {
    for (const stepMillis of [15 * MINUTE, 90 * MINUTE]) {
      expect(reads(rollupRowsSql('tv', 'events', { from: DAY_START, to: DAY_START + 12 * HOUR, stepMillis }))).toEqual(['events_1m 00:00-12:00']);
    }
  });

  it('reads hours ending after hoursUntil by the minute', () => {
    const sql = rollupRowsSql('tv', 'reliability', { from: DAY_START, to: DAY_START + 4 * HOUR, stepMillis: HOUR, hoursUntil: DAY_START + 2 * HOUR + 30 * MINUTE });
    expect(reads(sql)).toEqual(['reliability_1h 00:00-02:00', 'reliability_1m 02:00-04:00']);
  });
});

describe('wholeMinutes', () => {
  it('covers the minute `from` falls in and every minute starting before the second `to` falls in', () => {
    expect(wholeMinutes({ from: DAY_START + 90_500, to: DAY_START + 5 * MINUTE + 500 })).toEqual({ from: DAY_START + MINUTE, to: DAY_START + 5 * MINUTE });
    expect(wholeMinutes({ from: DAY_START, to: DAY_START + 5 * MINUTE + 1_000 })).toEqual({ from: DAY_START, to: DAY_START + 6 * MINUTE });
  });
});
