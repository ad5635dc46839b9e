import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ExportObserver, ExportResult } from './export-observer.js';

/**
 * A LogRecordExporter that hands every batch to `exporter` (the OTLP/HTTP
 * one) unchanged and lets `observer` watch each result: this is how the
 * SDK learns that exports fail, and with what, without touching the
 * exporter's internals.
 */
export class ObservedLogRecordExporter implements LogRecordExporter {
  constructor(
    private readonly exporter: LogRecordExporter,
    /** Watches the exports; read its counts when shutting down. */
    readonly observer: ExportObserver,
  ) {}

  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this.observer.observe(logs.length, (done) => this.exporter.export(logs, done), resultCallback);
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }
}
