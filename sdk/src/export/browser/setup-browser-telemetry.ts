/**
 * setupBrowserTelemetry: one call that exports the tracker's events and
 * metrics from a web page to the collector over OTLP/HTTP JSON.
 *
 * Why not the OpenTelemetry JS SDKs here. The browser bundle has a budget
 * (16 KiB min+gzip, about half the OpenTelemetry web set-up;
 * `npm run bench` measures both). sdk-logs + sdk-metrics + resources alone weigh about
 * 21 kB min+gzip before any exporter, and the OTLP/HTTP exporters add about
 * 8 kB, because they carry what a page reporting a handful of events and
 * instruments never uses: views, readers, aggregation selection, exemplars,
 * resource detection, protobuf and JSON serializers, XHR and beacon
 * transports. A custom exporter under the SDKs would still pay the 21 kB.
 * So this module implements the two API interfaces the tracker codes
 * against, for exactly what it calls: Logger.emit, and Counter,
 * UpDownCounter, Histogram (explicit buckets, from the instrument's advice)
 * and synchronous Gauge aggregated in memory with cumulative temporality,
 * one series per attribute set. Everything else comes from the platform:
 * JSON.stringify for the OTLP/JSON encoding, fetch for HTTP. Of the
 * OpenTelemetry API only the types are used: its global registry and diag
 * logger would cost about 1.8 kB min+gzip, so the providers are registered
 * for the page (page-environment.ts) and warnings go to the console and an
 * optional logger. An app that already runs the OpenTelemetry SDK passes
 * its providers to the tracker instead and never loads this file.
 *
 * Delivery. Log records are encoded when emitted into a bounded buffer
 * (oldest dropped and counted), exported in batches by size or age, split
 * into bodies that fit the browsers' 64 KiB keepalive limit, and sent with
 * `fetch(..., { keepalive: true })` so a request survives the page. Network
 * errors, 429, 502, 503 and 504 are retried with jittered exponential
 * backoff, or after the collector's Retry-After. On pagehide and on
 * visibilitychange to hidden everything buffered goes out at once, and
 * after pagehide so does every later record (the app's own pagehide
 * handlers run after ours); those sends stop retrying after
 * shutdownTimeoutMillis, and shutdown() waits no longer than that either.
 *
 * Diagnostics. A failing export is reported once per problem (HTTP status
 * or network error, and the URL), not once per batch, with console.warn
 * (unless `consoleWarnings: false`) and to the `logger` option; so is an
 * endpoint that looks like the URL of one signal.
 * navigator.sendBeacon is not used, not even as a fallback: it can send
 * application/json only as a Blob of that type, which is not a
 * CORS-safelisted type (it needs a preflight, some browsers refuse such
 * beacons outright), a text/plain beacon would be refused by the collector
 * (415), and a beacon never reports its response, so nothing could be
 * retried. keepalive fetch shares the same 64 KiB budget, does the CORS
 * preflight, and reports the status.
 */
import { ATTR_DEPLOYMENT_ENVIRONMENT, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@tunnelvision/semconv';
import { createExportDiagnostics, type ExportDiagnostics } from '../export-diagnostics.js';
import type { ExportProblem } from '../export-problem.js';
import { settledWithin } from '../settled-within.js';
import { signalPathEndpointWarning } from '../signal-path-endpoint.js';
import { createBoundedQueue } from './bounded-queue.js';
import { createBrowserLoggerProvider } from './browser-logger-provider.js';
import { createBrowserMeterProvider } from './browser-meter-provider.js';
import type { BrowserTelemetry, BrowserTelemetryOptions, BrowserTelemetryStats } from './browser-telemetry-types.js';
import { jsonGroup, type JsonItem } from './json-packer.js';
import { createLogBatchExporter, type LogExportCounters } from './log-batch-exporter.js';
import { toKeyValues } from './otlp-json.js';
import { createOtlpHttpSender, KEEPALIVE_MAX_BYTES } from './otlp-http-sender.js';
import { registerPageTelemetry, unregisterPageTelemetry, type PageTelemetry } from './page-environment.js';
import { watchPageLifecycle } from './page-lifecycle.js';
import { createPeriodicMetricExporter, type MetricExportCounters } from './periodic-metric-exporter.js';

/** Defaults of the options, in one place. */
export const BROWSER_TELEMETRY_DEFAULTS = {
  serviceName: 'unknown_service:browser',
  logBatchSize: 512,
  logFlushIntervalMillis: 1000,
  metricExportIntervalMillis: 10_000,
  maxBufferedRecords: 2048,
  maxRetries: 5,
  initialBackoffMillis: 1000,
  maxBackoffMillis: 60_000,
  requestTimeoutMillis: 10_000,
  shutdownTimeoutMillis: 3_000,
} as const;

/** A number option: the value if it is at least `min`, else the default (logged when a bad value was given). */
function numberOption(
  options: BrowserTelemetryOptions,
  name: keyof typeof BROWSER_TELEMETRY_DEFAULTS & keyof BrowserTelemetryOptions,
  min: number,
  diagnostics: ExportDiagnostics,
): number {
  const value = options[name];
  const fallback = BROWSER_TELEMETRY_DEFAULTS[name] as number;
  if (value === undefined) return fallback;
  if (typeof value === 'number' && value >= min && value < Infinity) return Math.floor(value);
  diagnostics.warn(`TunnelVision: ${name} must be a number >= ${min}, got ${String(value)}; using ${fallback}`);
  return fallback;
}

/** All counters at zero. */
const zeroStats = (): BrowserTelemetryStats => ({
  exportedLogRecords: 0,
  droppedLogRecords: 0,
  failedLogRecords: 0,
  rejectedLogRecords: 0,
  exportedMetricRequests: 0,
  failedMetricRequests: 0,
  rejectedDataPoints: 0,
});

/** What a shutdown that stopped waiting left behind, and why, as far as known. */
function abandonedMessage(waitedMillis: number, endpoint: string, records: number, requests: number, problem: ExportProblem | undefined): string {
  const parts = [
    ...(records > 0 ? [`${records} log record${records === 1 ? '' : 's'} for ${endpoint}/v1/logs`] : []),
    ...(requests > 0 ? [`${requests} metric request${requests === 1 ? '' : 's'} for ${endpoint}/v1/metrics`] : []),
  ];
  const why = problem ? `; the last attempt failed: ${problem.description.replace(/[.?!]$/, '')}` : '; the collector had not answered yet';
  return (
    `TunnelVision: telemetry shutdown() stopped waiting after ${waitedMillis} ms (shutdownTimeoutMillis) and abandoned ` +
    `${parts.length > 0 ? parts.join(' and ') : 'what was being sent'}${why}.`
  );
}

/** Telemetry that records and sends nothing, for when set-up cannot work. */
function disabledTelemetry(diagnostics: ExportDiagnostics): BrowserTelemetry {
  const meterProvider = createBrowserMeterProvider(jsonGroup({}), diagnostics.warn);
  meterProvider.shutdown();
  return {
    loggerProvider: { getLogger: () => ({ emit: () => undefined, enabled: () => false }) },
    meterProvider,
    flush: async () => undefined,
    shutdown: async () => undefined,
    stats: zeroStats,
  };
}

function setup(options: BrowserTelemetryOptions, diagnostics: ExportDiagnostics): BrowserTelemetry {
  const endpoint = typeof options.endpoint === 'string' ? options.endpoint.replace(/\/+$/, '') : '';
  if (endpoint === '') {
    diagnostics.error('TunnelVision: setupBrowserTelemetry needs an endpoint (the collector base URL); telemetry is off');
    return disabledTelemetry(diagnostics);
  }
  const endpointWarning = signalPathEndpointWarning('the endpoint option', options.endpoint, ['/v1/logs', '/v1/metrics']);
  if (endpointWarning) diagnostics.warn(endpointWarning);
  const shutdownTimeoutMillis = numberOption(options, 'shutdownTimeoutMillis', 1, diagnostics);
  const maxBufferedRecords = numberOption(options, 'maxBufferedRecords', 1, diagnostics);
  // A batch larger than the buffer could never fill; clamp it.
  const logBatchSize = Math.min(numberOption(options, 'logBatchSize', 1, diagnostics), maxBufferedRecords);
  const resource = {
    attributes: toKeyValues({
      ...options.resourceAttributes,
      [ATTR_SERVICE_NAME]: options.serviceName || BROWSER_TELEMETRY_DEFAULTS.serviceName,
      [ATTR_SERVICE_VERSION]: options.serviceVersion,
      [ATTR_DEPLOYMENT_ENVIRONMENT]: options.environment,
      'telemetry.sdk.name': '@tunnelvision/sdk',
      'telemetry.sdk.language': 'webjs',
    }),
  };
  const counters: LogExportCounters & MetricExportCounters = zeroStats();
  const sender = createOtlpHttpSender({
    headers: options.headers ?? {},
    fetch: options.fetch,
    requestTimeoutMillis: numberOption(options, 'requestTimeoutMillis', 1, diagnostics),
    maxRetries: numberOption(options, 'maxRetries', 0, diagnostics),
    initialBackoffMillis: numberOption(options, 'initialBackoffMillis', 1, diagnostics),
    maxBackoffMillis: numberOption(options, 'maxBackoffMillis', 1, diagnostics),
    warn: diagnostics.warn,
  });

  const queue = createBoundedQueue<JsonItem>(maxBufferedRecords);
  /** Between pagehide and pageshow: every record goes out at once (see onEmit). */
  let leaving = false;
  let sendQueued = false;
  const logExporter = createLogBatchExporter({
    queue,
    sender,
    url: `${endpoint}/v1/logs`,
    maxBatchSize: logBatchSize,
    flushIntervalMillis: numberOption(options, 'logFlushIntervalMillis', 1, diagnostics),
    maxBodyBytes: KEEPALIVE_MAX_BYTES,
    counters,
    diagnostics,
  });
  const loggerProvider = createBrowserLoggerProvider({
    envelope: jsonGroup({ resourceLogs: [{ resource, scopeLogs: [] }] }),
    queue,
    onEmit: () => {
      if (!leaving) logExporter.onEmit();
      else if (!sendQueued) {
        // The app's own pagehide handlers (closing its socket, say) run after
        // ours and emit more. A microtask runs right after each listener,
        // while the page can still send; one per burst of records.
        sendQueued = true;
        queueMicrotask(() => {
          sendQueued = false;
          sendNow();
        });
      }
    },
  });
  const meterProvider = createBrowserMeterProvider(jsonGroup({ resourceMetrics: [{ resource, scopeMetrics: [] }] }), diagnostics.warn);
  const metricExporter = createPeriodicMetricExporter({
    collect: () => meterProvider.collect(),
    measurements: () => meterProvider.measurements,
    sender,
    url: `${endpoint}/v1/metrics`,
    exportIntervalMillis: numberOption(options, 'metricExportIntervalMillis', 1, diagnostics),
    maxBodyBytes: KEEPALIVE_MAX_BYTES,
    counters,
    diagnostics,
  });

  /** Sends everything now, events first while the keepalive budget is fresh; none of it is retried for long. */
  const sendNow = () => {
    const deadline = Date.now() + shutdownTimeoutMillis;
    logExporter.flushNow(deadline);
    metricExporter.flushNow(deadline);
  };
  const stopWatchingPage =
    options.flushOnPageHide === false
      ? () => undefined
      : watchPageLifecycle({
          hidden: sendNow,
          leaving: () => {
            leaving = true;
            sendNow();
          },
          shown: () => {
            leaving = false;
          },
        });

  // The tracker's warnings carry the error behind them; the diagnostics take text.
  const warn = (message: string, error?: unknown) => diagnostics.warn(error === undefined ? message : `${message}: ${String(error)}`);
  const page: PageTelemetry = { loggerProvider, meterProvider, warn };
  if (options.registerGlobal !== false && !registerPageTelemetry(page)) {
    diagnostics.warn('TunnelVision: browser telemetry was already set up for this page; pass loggerProvider and meterProvider to createTracker');
  }

  let stopping: Promise<void> | undefined;
  return {
    loggerProvider,
    meterProvider,
    async flush() {
      await Promise.all([logExporter.flush(), metricExporter.flush()]);
    },
    shutdown() {
      stopping ??= (async () => {
        stopWatchingPage();
        leaving = false;
        logExporter.stop();
        metricExporter.stop();
        loggerProvider.shutdown();
        meterProvider.shutdown();
        if (!(await settledWithin(Promise.all([logExporter.flush(), metricExporter.flush()]), shutdownTimeoutMillis))) {
          // Counted before abandoning, which settles the sends as failed.
          const records = queue.size + logExporter.inFlightRecords;
          const requests = metricExporter.inFlightRequests;
          const problem = sender.pendingProblem();
          sender.abandon();
          diagnostics.warn(abandonedMessage(shutdownTimeoutMillis, endpoint, records, requests, problem));
        }
        unregisterPageTelemetry(page);
      })().catch(() => undefined);
      return stopping;
    },
    stats: () => ({ ...counters, droppedLogRecords: queue.dropped }),
  };
}

/**
 * Sets up OTLP/HTTP export of logs (TunnelVision events) and metrics from
 * a browser page to the collector at `options.endpoint`, and by default
 * registers the providers for the page so `createTracker()` from
 * `@tunnelvision/sdk/browser` picks them up. Never throws: a set-up that
 * cannot work says why (console.error, the logger option) and returns
 * telemetry that does nothing.
 */
export function setupBrowserTelemetry(options: BrowserTelemetryOptions): BrowserTelemetry {
  const given = options ?? ({} as BrowserTelemetryOptions);
  const diagnostics = createExportDiagnostics({ console: given.consoleWarnings !== false, logger: given.logger });
  try {
    return setup(given, diagnostics);
  } catch (err) {
    diagnostics.error(`TunnelVision: browser telemetry set-up failed; telemetry is off: ${String(err)}`);
    return disabledTelemetry(diagnostics);
  }
}
