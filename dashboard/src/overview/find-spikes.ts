/** How far above the typical rate a bucket must be to count as a spike. */
export interface SpikeOptions {
  /** Multiple of the median (default 3). */
  factor?: number;
  /** Absolute floor, so a quiet system going from 0 to 1 is not a "spike" (default 5). */
  minimum?: number;
}

/** The value at or above which a bucket is a spike: max(minimum, factor × median). */
export function spikeThreshold(values: readonly (number | null)[], options: SpikeOptions = {}): number {
  const { factor = 3, minimum = 5 } = options;
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (present.length === 0) return Number.POSITIVE_INFINITY;
  const middle = Math.floor(present.length / 2);
  const median = present.length % 2 === 1 ? present[middle]! : (present[middle - 1]! + present[middle]!) / 2;
  return Math.max(minimum, factor * median);
}

/** The typical (median) value, for "typically N/min" wording. */
export function median(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (present.length === 0) return null;
  const middle = Math.floor(present.length / 2);
  return present.length % 2 === 1 ? present[middle]! : (present[middle - 1]! + present[middle]!) / 2;
}
