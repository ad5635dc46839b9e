/** Versions for the access tables' ReplacingMergeTree rows: later writes win, even within one millisecond. */
let lastVersion = 0;

export function nextVersion(now = Date.now()): number {
  lastVersion = Math.max(lastVersion + 1, now * 1000);
  return lastVersion;
}

/** DateTime64(3) columns read back with toUnixTimestamp64Milli arrive as numbers or numeric strings. */
export function isoFromMillis(value: number | string | null): string | null {
  return value === null ? null : new Date(Number(value)).toISOString();
}
