import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { TelemetryCounters } from './telemetry-counters.js';

/** Counts every emitted log record (placed before the batch processor). */
export class CountingLogProcessor implements LogRecordProcessor {
  /** @param counters totals to add to */
  constructor(private readonly counters: TelemetryCounters) {}

  /** Counts one record. */
  onEmit(_logRecord: ReadWriteLogRecord): void {
    this.counters.emitted += 1;
  }

  /** Nothing buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to release. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
