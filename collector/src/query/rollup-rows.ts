const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Rows of a rollup kept per minute (`<table>_1m`) and per hour (`<table>_1h`), for buckets over a window. */
export interface RollupRowsWindow {
  /** Start, epoch ms, a whole minute: the first bucket starts here. */
  from: number;
  /** End (exclusive), epoch ms, a whole minute. */
  to: number;
  /** Bucket width in ms: buckets are [from + k * step, from + (k + 1) * step). */
  stepMillis: number;
  /** Hours that end after this (epoch ms) are read by the minute; default `to`. */
  hoursUntil?: number;
}

/**
 * The rollup rows covering [from, to) as a SELECT * to read from: hourly
 * rows wherever a whole hour falls inside one bucket, minute rows for the
 * rest, so a week reads 168 hours per group and at most 118 minutes at its
 * edges, and every bucket sums exactly the minutes it would alone.
 */
export function rollupRowsSql(database: string, table: string, { from, to, stepMillis, hoursUntil = to }: RollupRowsWindow): string {
  const rows = (grain: '1m' | '1h', a: number, b: number) =>
    `SELECT * FROM ${database}.${table}_${grain} WHERE Minute >= toDateTime(${a / 1000}) AND Minute < toDateTime(${b / 1000})`;
  const firstHour = Math.ceil(from / HOUR) * HOUR;
  const lastHour = Math.floor(Math.min(to, hoursUntil) / HOUR) * HOUR;
  // Hours never straddle buckets that start on the hour and last whole hours, nor the single bucket of a total.
  const hoursFit = stepMillis >= to - from || (stepMillis % HOUR === 0 && from % HOUR === 0);
  if (!hoursFit || firstHour >= lastHour) return rows('1m', from, to);
  const edges = [...(from < firstHour ? [rows('1m', from, firstHour)] : []), ...(lastHour < to ? [rows('1m', lastHour, to)] : [])];
  return [rows('1h', firstHour, lastHour), ...edges].join(' UNION ALL ');
}

/** The rollup rows covering an API range taken as one bucket (a total): whole hours per hour, the edges per minute. */
export function rollupRowsOverSql(database: string, table: string, range: { from: number; to: number }): string {
  const minutes = wholeMinutes(range);
  return rollupRowsSql(database, table, { ...minutes, stepMillis: minutes.to - minutes.from });
}

/**
 * The minutes an API range covers, as whole-minute [from, to) epoch ms:
 * from the minute `from` falls in, to every minute that starts before the
 * second `to` falls in, as WHOLE_MINUTES selects them (query-params.ts).
 */
export function wholeMinutes(range: { from: number; to: number }): { from: number; to: number } {
  return { from: Math.floor(range.from / MINUTE) * MINUTE, to: Math.ceil(Math.floor(range.to / 1000) / 60) * MINUTE };
}
