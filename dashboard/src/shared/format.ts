/**
 * Number and time formatting with units. One locale (en-US) so numbers read
 * the same for everyone looking at a shared link; times are shown in the
 * viewer's own time zone.
 */

const LOCALE = 'en-US';
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });

/** Shown where a value is missing (no data), as opposed to a measured zero. */
export const NO_VALUE = '—';

/** 1240 -> "1,240". */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return Math.abs(value) < 10 && !Number.isInteger(value) ? oneDecimal.format(value) : integer.format(value);
}

/** A rate per minute: 19 -> "19/min", 1.25 -> "1.3/min". */
export function formatPerMinute(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return `${formatCount(value)}/min`;
}

/** Milliseconds: "4.2 ms", "1,340 ms", "12.5 s". */
export function formatMillis(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  if (Math.abs(value) >= 10_000) return `${oneDecimal.format(value / 1000)} s`;
  if (Math.abs(value) < 10 && !Number.isInteger(value)) return `${oneDecimal.format(value)} ms`;
  return `${integer.format(value)} ms`;
}

/** A share 0..1 as a percentage: 0.1304 -> "13%", 0.047 -> "4.7%". */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NO_VALUE;
  const percent = share * 100;
  if (percent === 0 || percent >= 10) return `${integer.format(percent)}%`;
  return `${oneDecimal.format(percent)}%`;
}

/** Seconds as a duration: "42 s", "3 min 5 s", "2 h 10 min". */
export function formatSeconds(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  if (value < 90) return `${oneDecimal.format(value)} s`;
  if (value < 3600) {
    const minutes = Math.floor(value / 60);
    const seconds = Math.round(value % 60);
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }
  const hours = Math.floor(value / 3600);
  const minutes = Math.round((value % 3600) / 60);
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** Clock time in the viewer's zone: "14:05" or, with seconds, "14:05:09". */
export function formatClock(epochMillis: number, withSeconds = false): string {
  return new Date(epochMillis).toLocaleTimeString(LOCALE, {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hour12: false,
  });
}

/** Clock time with milliseconds, for timelines: "14:05:09.123". */
export function formatClockMillis(epochMillis: number): string {
  const ms = String(new Date(epochMillis).getMilliseconds()).padStart(3, '0');
  return `${formatClock(epochMillis, true)}.${ms}`;
}

/** Date and time: "Nov 23, 14:05". */
export function formatDateTime(epochMillis: number): string {
  return new Date(epochMillis).toLocaleString(LOCALE, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** "Nov 23" */
export function formatDay(epochMillis: number): string {
  return new Date(epochMillis).toLocaleDateString(LOCALE, { month: 'short', day: 'numeric' });
}

/** A short commit hash for display: the first 7 characters. */
export function shortCommit(commit: string): string {
  return /^[0-9a-f]{8,}$/i.test(commit) ? commit.slice(0, 7) : commit;
}
