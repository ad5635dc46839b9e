import type { Attributes } from '@opentelemetry/api';
import type { Tracker, TrackerOptions } from '../../tracker/tracker-types.js';

/** Options of setupNodeTelemetry. Each falls back to the standard OTEL_* variable where one exists. */
export interface NodeTelemetryOptions {
  /** service.name of the resource; default OTEL_SERVICE_NAME (or OTEL_RESOURCE_ATTRIBUTES), else `unknown_service:node`. */
  serviceName?: string;
  /** service.version of the resource (deploy impact is measured per version); default from OTEL_RESOURCE_ATTRIBUTES. */
  serviceVersion?: string;
  /** deployment.environment.name of the resource (`production`, `staging`, ...); default from OTEL_RESOURCE_ATTRIBUTES. */
  environment?: string;
  /** More resource attributes; the options above win over keys repeated here. */
  resourceAttributes?: Attributes;
  /**
   * Base URL of the collector's OTLP/HTTP endpoint; `/v1/logs` and
   * `/v1/metrics` are appended. Default http://127.0.0.1:4318. Not used
   * for a signal whose endpoint OTEL_EXPORTER_OTLP_ENDPOINT or
   * OTEL_EXPORTER_OTLP_{LOGS,METRICS}_ENDPOINT sets: the environment wins,
   * so operators can redirect telemetry without a code change.
   */
  endpoint?: string;
  /** Headers on every export request (e.g. an API key); merged over OTEL_EXPORTER_OTLP_*_HEADERS. */
  headers?: Record<string, string>;
  /** How often metrics are exported, in ms; default 10_000 (the conventions ask for at least once a minute). */
  metricExportIntervalMillis?: number;
  /**
   * Longest time one export may take, retries included, in ms (the OTLP
   * exporters' `timeoutMillis`); an export still failing then is given up
   * and reported. Default OTEL_EXPORTER_OTLP_TIMEOUT (or the signal's own
   * variable), else 10_000.
   */
  exportTimeoutMillis?: number;
  /**
   * Longest time `shutdown()` waits for the last exports, in ms. When the
   * collector is unreachable or does not answer, shutdown resolves then,
   * reporting what it abandoned through the diag logger, instead of
   * waiting out the exporters' retries. Default 3_000.
   */
  shutdownTimeoutMillis?: number;
  /**
   * Also print export problems with console.warn (they always go to the
   * OpenTelemetry diag logger, which prints nothing unless configured, e.g.
   * with OTEL_LOG_LEVEL=warn). Default true unless NODE_ENV is `production`
   * or OTEL_LOG_LEVEL is set (the diag logger then prints them itself).
   */
  consoleWarnings?: boolean;
  /** Options of the tracker that is created; it always uses the providers set up here. */
  tracker?: Omit<TrackerOptions, 'loggerProvider' | 'meterProvider'>;
}

/** What setupNodeTelemetry started. */
export interface NodeTelemetry {
  /** A tracker wired to the exporters set up here. */
  readonly tracker: Tracker;
  /** Exports everything buffered (events and a metrics collection) now; never rejects. */
  flush(): Promise<void>;
  /**
   * Flushes and stops exporting; call it before the process exits. Waits at
   * most `shutdownTimeoutMillis` (3 s by default), then resolves and reports
   * through the diag logger what was abandoned. Idempotent; never rejects.
   */
  shutdown(): Promise<void>;
}
