import { packJson, type JsonItem, type PackedBody } from './json-packer.js';
import type { OtlpHttpSender } from './otlp-http-sender.js';
import { unrefInterval } from '../../shared/unref-timers.js';
import type { ExportDiagnostics } from '../export-diagnostics.js';

/** Metric export counters, updated as requests complete. */
export interface MetricExportCounters {
  /** Metric requests the collector accepted. */
  exportedMetricRequests: number;
  /** Metric requests given up on. With cumulative temporality the next export carries their values again. */
  failedMetricRequests: number;
  /** Data points the collector refused one by one in a partial success. */
  rejectedDataPoints: number;
}

/** Settings of the metric exporter. */
export interface PeriodicMetricExporterOptions {
  /** Takes a snapshot of every series. */
  collect: () => JsonItem[];
  /** Measurements taken so far (a counter that moves whenever a value changes). */
  measurements: () => number;
  /** Sends bodies. */
  sender: OtlpHttpSender;
  /** The collector's /v1/metrics URL. */
  url: string;
  /** Time between exports. */
  exportIntervalMillis: number;
  /** Largest body in UTF-8 bytes (the keepalive limit); a snapshot is split to fit. */
  maxBodyBytes: number;
  /** Counters to update. */
  counters: MetricExportCounters;
  /** Where failures and recoveries are reported (once per problem). */
  diagnostics: ExportDiagnostics;
}

/** Exports metric snapshots on an interval, one export at a time. */
export interface PeriodicMetricExporter {
  /** Exports a fresh snapshot (after any export in flight); resolves when done. Never rejects. */
  flush(): Promise<void>;
  /**
   * Sends a snapshot at once without waiting (the page is going away),
   * unless nothing changed since the last one; it is not tried after
   * `deadlineMillis` (a Date.now() time).
   */
  flushNow(deadlineMillis: number): void;
  /** Stops the interval. */
  stop(): void;
  /** Requests that have not completed. */
  readonly inFlightRequests: number;
}

/**
 * Creates the exporter and starts its (unref'd) interval. Values are
 * cumulative, so an export that fails loses nothing the next one does not
 * carry; a tick that finds an export still in flight (retrying) is skipped.
 * Nothing is sent before the first measurement.
 */
export function createPeriodicMetricExporter(options: PeriodicMetricExporterOptions): PeriodicMetricExporter {
  const { sender, counters, diagnostics } = options;
  let inFlight: Promise<void> | undefined;
  let inFlightRequests = 0;
  /** options.measurements() at the last snapshot. */
  let snapshotAt = -1;

  const sendBody = async (packed: PackedBody, deadlineMillis?: number): Promise<void> => {
    inFlightRequests++;
    const result = await sender.send(options.url, packed, deadlineMillis);
    inFlightRequests--;
    if (result.status === 'success') {
      counters.exportedMetricRequests++;
      counters.rejectedDataPoints += result.rejected;
      diagnostics.succeeded(options.url);
    } else {
      counters.failedMetricRequests++;
      // Said once per problem by the diagnostics.
      if (result.problem) diagnostics.failed(options.url, result.problem);
    }
  };
  const snapshot = (): PackedBody[] => {
    snapshotAt = options.measurements();
    try {
      return packJson(options.collect(), options.maxBodyBytes);
    } catch {
      return [];
    }
  };
  const exportOnce = (): Promise<void> => {
    inFlight ??= (async () => {
      for (const packed of snapshot()) await sendBody(packed);
    })().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const timer = unrefInterval(() => void exportOnce(), options.exportIntervalMillis);

  return {
    async flush() {
      await inFlight;
      await exportOnce();
    },
    flushNow(deadlineMillis) {
      sender.hurry(deadlineMillis);
      if (options.measurements() !== snapshotAt) for (const packed of snapshot()) void sendBody(packed, deadlineMillis);
    },
    stop() {
      clearInterval(timer);
    },
    get inFlightRequests() {
      return inFlightRequests;
    },
  };
}
