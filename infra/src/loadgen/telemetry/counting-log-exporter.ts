import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { TelemetryCounters } from './telemetry-counters.js';

type ResultCallback = Parameters<LogRecordExporter['export']>[1];

/** `ExportResultCode.SUCCESS` of @opentelemetry/core (not imported: one dependency fewer). */
const EXPORT_SUCCESS = 0;

/** Wraps a log exporter to count what the collector accepted and what failed. */
export class CountingLogExporter implements LogRecordExporter {
  /**
   * @param inner the exporter doing the work
   * @param counters totals to add to
   */
  constructor(
    private readonly inner: LogRecordExporter,
    private readonly counters: TelemetryCounters,
  ) {}

  /** Exports through the inner exporter and counts the outcome. */
  export(logs: ReadableLogRecord[], resultCallback: ResultCallback): void {
    this.inner.export(logs, (result) => {
      if (result.code === EXPORT_SUCCESS) {
        this.counters.exported += logs.length;
      } else {
        this.counters.failed += logs.length;
        this.counters.lastError = result.error?.message ?? 'export failed';
      }
      resultCallback(result);
    });
  }

  /** Shuts the inner exporter down. */
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  /** Flushes the inner exporter. */
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
