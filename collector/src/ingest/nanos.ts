/** Nanosecond timestamps are carried as decimal strings: they exceed 2^53. */

/** Current time in nanoseconds since the epoch, as a decimal string. */
export function nowNanos(): string {
  return (BigInt(Date.now()) * 1_000_000n).toString();
}

/** An OTLP fixed64 time (string or number) as a decimal string; '' when unset or zero. */
export function nanosOrEmpty(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? BigInt(Math.trunc(value)).toString() : value;
  return text === '0' || text === '' ? '' : text.replace(/^0+(?=\d)/, '');
}

/** An OTLP 64-bit number as a JS number (precision loss beyond 2^53 is accepted for values). */
export function toNumber(value: string | number | undefined, fallback = 0): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  const n = Number(value);
  return Number.isNaN(n) && value !== 'NaN' ? fallback : n;
}

/**
 * A nanosecond time as ClickHouse reads a DateTime64(9) from text whatever
 * its value and time zone: zero-padded Unix seconds, a point, nine digits.
 * Bare nanosecond digits are read by their count (19 digits as a time,
 * 8 as a date, 2 as a day of this month), so any time before September 2001
 * failed the whole insert, and small values were stored as the wrong day.
 */
export function toClickHouseTime(nanos: string): string {
  const digits = nanos.padStart(19, '0');
  return `${digits.slice(0, -9)}.${digits.slice(-9)}`;
}
