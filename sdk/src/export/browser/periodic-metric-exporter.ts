import { diag } from '@opentelemetry/api';
import { packJson, type JsonItem, type PackedBody } from './json-packer.js';
import type { OtlpHttpSender } from './otlp-http-sender.js';
import { unrefInterval } from './unref-timers.js';

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
}

/** Exports metric snapshots on an interval, one export at a time. */
export interface PeriodicMetricExporter {
  /** Exports a fresh snapshot (after any export in flight); resolves when done. Never rejects. */
  flush(): Promise<void>;
  /** Sends a snapshot at once without waiting (the page is going away), unless nothing changed since the last one. */
  flushNow(): void;
  /** Stops the interval. */
  stop(): void;
}

/**
 * Creates the exporter and starts its (unref'd) interval. Values are
 * cumulative, so an export that fails loses nothing the next one does not
 * carry; a tick that finds an export still in flight (retrying) is skipped.
 * Nothing is sent before the first measurement.
 */
export function createPeriodicMetricExporter(options: PeriodicMetricExporterOptions): PeriodicMetricExporter {
  const { sender, counters } = options;
  let inFlight: Promise<void> | undefined;
  /** options.measurements() at the last snapshot. */
  let snapshotAt = -1;

  const sendBody = async (packed: PackedBody): Promise<void> => {
    const result = await sender.send(options.url, packed);
    if (result.status === 'success') {
      counters.exportedMetricRequests++;
      counters.rejectedDataPoints += result.rejected;
    } else {
      counters.failedMetricRequests++;
      diag.warn(`TunnelVision: metric export failed: ${result.error}`);
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
    flushNow() {
      sender.hurry();
      if (options.measurements() !== snapshotAt) for (const packed of snapshot()) void sendBody(packed);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
