/** Running totals of the generator's own telemetry, shared by all its pipelines. */
export interface TelemetryCounters {
  /** Log records (events) handed to the SDK by trackers. */
  emitted: number;
  /** Log records the collector accepted. */
  exported: number;
  /** Log records in exports that failed (collector down, refused, timed out). */
  failed: number;
  /** The last export error, if any. */
  lastError: string | undefined;
}

/** Zeroed counters. */
export function createTelemetryCounters(): TelemetryCounters {
  return { emitted: 0, exported: 0, failed: 0, lastError: undefined };
}
