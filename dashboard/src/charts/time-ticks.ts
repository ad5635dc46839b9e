import { formatClock, formatDateTime, formatDay } from '@/shared/format';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const INTERVALS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];

/**
 * Evenly spaced tick positions on round clock times (every 5 min, every
 * hour…) inside [from, to], at most about `maxTicks` of them. Whole-hour and
 * whole-day intervals are aligned to the viewer's local clock.
 */
export function timeTicks(from: number, to: number, maxTicks = 8): number[] {
  const span = Math.max(1, to - from);
  const interval = INTERVALS.find((i) => span / i <= maxTicks) ?? Math.ceil(span / maxTicks / DAY) * DAY;
  const offset = interval >= HOUR ? new Date(from).getTimezoneOffset() * MINUTE : 0;
  const first = Math.ceil((from - offset) / interval) * interval + offset;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += interval) ticks.push(t);
  return ticks;
}

/** A tick label that fits the range: clock times within a day, dates beyond. */
export function tickLabel(value: number, from: number, to: number): string {
  const span = to - from;
  if (span <= DAY + HOUR) return formatClock(value);
  const date = new Date(value);
  return date.getHours() === 0 && date.getMinutes() === 0 ? formatDay(value) : formatDateTime(value);
}
