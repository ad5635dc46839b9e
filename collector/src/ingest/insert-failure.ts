/**
 * ClickHouse error codes that mean the rows themselves cannot be stored
 * (text that does not parse as its column's type, values out of range):
 * writing the same block again can never work, so it must not wait in the
 * outage spool. Any other failure (connection refused or reset, timeouts,
 * memory limits, too many parts, a stopped server) may pass on retry.
 */
const BAD_DATA_CODES = new Set(['6', '26', '27', '38', '41', '53', '69', '70', '72', '117', '131']);

/** Whether an insert failed because of its rows rather than the store. */
export function isBadDataFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && BAD_DATA_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
