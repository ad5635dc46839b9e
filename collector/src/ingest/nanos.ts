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
