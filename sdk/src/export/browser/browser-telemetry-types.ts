import type { MeterProvider } from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/api';
import type { DiagnosticsLogger } from '../export-diagnostics.js';

/** Options of `setupBrowserTelemetry`. Durations are in milliseconds. */
export interface BrowserTelemetryOptions {
  /**
   * The collector's base URL, e.g. `https://collector.example.com` (or a
   * same-origin path such as `/otlp`); `/v1/logs` and `/v1/metrics` are
   * appended. On another origin the collector must allow this page's origin
   * (COLLECTOR_CORS_ORIGINS).
   */
  endpoint: string;
  /** `service.name` on the resource: the app reporting. Default `unknown_service:browser`. */
  serviceName: string;
  /** `service.version` on the resource; deploy impact is measured per version. */
  serviceVersion?: string;
  /** `deployment.environment.name` on the resource (`production`, `staging`, ...). */
  environment?: string;
  /**
   * More resource attributes, e.g. `session.id` or a hashed `user.id`, which
   * are fixed for a page's lifetime. The three options above win over keys here.
   */
  resourceAttributes?: Record<string, string | number | boolean>;
  /** Extra request headers, e.g. `{ authorization: 'Bearer ...' }`; content-type is always application/json. */
  headers?: Record<string, string>;
  /** Log records per export; a full batch is exported at once. Default 512. */
  logBatchSize?: number;
  /** Longest time a log record waits before it is exported. Default 1000 ms. */
  logFlushIntervalMillis?: number;
  /** Time between metric exports. Default 10000 ms. */
  metricExportIntervalMillis?: number;
  /**
   * Log records held while waiting for export; when full, the oldest is
   * dropped and counted (`stats().droppedLogRecords`). Default 2048.
   */
  maxBufferedRecords?: number;
  /** Retries of a failed request (network error, 429, 502, 503, 504) after the first attempt. Default 5. */
  maxRetries?: number;
  /** First retry delay when the collector sends no Retry-After; doubles at each retry, ±20% jitter. Default 1000 ms. */
  initialBackoffMillis?: number;
  /**
   * Longest wait between attempts. Backoff stops growing here, and a
   * Retry-After asking for longer makes the request give up rather than
   * retry early. Default 60000 ms.
   */
  maxBackoffMillis?: number;
  /**
   * An attempt with no response by then is aborted and retried like a
   * network error, so a hung connection cannot stall flush() or shutdown().
   * Default 10000 ms.
   */
  requestTimeoutMillis?: number;
  /**
   * Make these the page's providers, so a tracker from this entry's
   * `createTracker` without providers of its own uses them (also one created
   * earlier). The first set-up registered keeps them until its shutdown().
   * OpenTelemetry's globals are left alone: with the OpenTelemetry web SDK,
   * pass its providers to `createTracker`. Default true.
   */
  registerGlobal?: boolean;
  /** Send what is buffered when the page is hidden or unloaded (pagehide, visibilitychange). Default true. */
  flushOnPageHide?: boolean;
  /**
   * Longest time `shutdown()` waits for the last exports; what is unsent
   * then is abandoned (counted as failed) and reported (see
   * consoleWarnings). Flushes on page hide stop retrying after the same time.
   * Default 3000 ms.
   */
  shutdownTimeoutMillis?: number;
  /**
   * Print the SDK's warnings (a failing collector, an endpoint that looks
   * like a signal's URL, a bad option, a tracker failure) with console.warn.
   * Default true; pass false to keep the console of your users quiet.
   */
  consoleWarnings?: boolean;
  /**
   * Also gets every warning, e.g. OpenTelemetry's `diag` (from
   * `@opentelemetry/api`) to route them with the rest of your telemetry's.
   */
  logger?: DiagnosticsLogger;
  /** The fetch to send with; default the global fetch. Tests and unusual runtimes pass their own. */
  fetch?: typeof fetch;
}

/** Counters of what the export did, since setup. */
export interface BrowserTelemetryStats {
  /** Log records the collector stored. */
  exportedLogRecords: number;
  /** Log records dropped because the buffer was full (oldest first). */
  droppedLogRecords: number;
  /** Log records given up on: retries ran out, or the collector refused the request (400, 413, 415). */
  failedLogRecords: number;
  /** Log records the collector refused one by one in a partial success. */
  rejectedLogRecords: number;
  /** Metric requests the collector accepted. */
  exportedMetricRequests: number;
  /** Metric requests given up on (the next export carries the same cumulative values). */
  failedMetricRequests: number;
  /** Metric data points the collector refused in a partial success. */
  rejectedDataPoints: number;
}

/** What `setupBrowserTelemetry` returns. */
export interface BrowserTelemetry {
  /** Pass to `createTracker({ loggerProvider })`, or rely on the global registration. */
  readonly loggerProvider: LoggerProvider;
  /** Pass to `createTracker({ meterProvider })`, or rely on the global registration. */
  readonly meterProvider: MeterProvider;
  /** Exports every buffered record and a metric snapshot; resolves when sent or given up. Never rejects. */
  flush(): Promise<void>;
  /**
   * Stops taking telemetry, exports what is buffered, removes the page
   * listeners and timers and unregisters the global providers if they are
   * these. Waits at most `shutdownTimeoutMillis` (3 s by default), then
   * abandons what is unsent and says so through the diag logger.
   * Idempotent; never rejects.
   */
  shutdown(): Promise<void>;
  /** A snapshot of the export counters. */
  stats(): BrowserTelemetryStats;
}
