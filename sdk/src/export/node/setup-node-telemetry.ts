import { diag } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createTracker } from '../../tracker/create-tracker.js';
import { createExportDiagnostics, type ExportDiagnostics } from '../export-diagnostics.js';
import { settledWithin } from '../settled-within.js';
import { EmittedRecordCounter } from './emitted-record-counter.js';
import { ExportObserver } from './export-observer.js';
import { nodeResource } from './node-resource.js';
import type { NodeTelemetry, NodeTelemetryOptions } from './node-telemetry-options.js';
import { ObservedLogRecordExporter } from './observed-log-record-exporter.js';
import { ObservedMetricExporter } from './observed-metric-exporter.js';
import { otlpEndpointWarnings, otlpExportTimeoutMillis, otlpExportUrl, otlpSignalUrl } from './otlp-endpoint.js';

/**
 * Batch sizes for a busy server. The processor sends one request at a time
 * and the collector answers once the rows are stored (up to its batch
 * delay, 1 s by default), so the SDK's defaults (512 records a request,
 * 2,048 queued) cap a process near 500 events/s and drop the rest. The
 * standard OTEL_BLRP_* variables still win.
 */
function batchSizes(env: NodeJS.ProcessEnv): { maxExportBatchSize?: number; maxQueueSize?: number } {
  return {
    ...(env.OTEL_BLRP_MAX_EXPORT_BATCH_SIZE ? {} : { maxExportBatchSize: 8_192 }),
    ...(env.OTEL_BLRP_MAX_QUEUE_SIZE ? {} : { maxQueueSize: 65_536 }),
  };
}

/** Metric export interval by default: well inside the once-a-minute the active-connections rollup needs. */
const DEFAULT_METRIC_EXPORT_INTERVAL_MILLIS = 10_000;

/**
 * How long shutdown() waits by default: long enough for a healthy
 * collector's last answer (it answers once rows are stored, within its
 * 1 s batch delay), far inside Kubernetes' 30 s grace period.
 */
const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 3_000;

/**
 * Starts OpenTelemetry for a Node process the way TunnelVision needs it:
 * `@opentelemetry/sdk-node`'s NodeSDK with OTLP/HTTP JSON exporters for
 * logs (events, batched) and metrics (exported every
 * `metricExportIntervalMillis`), registered as the global providers, and
 * no tracing, auto-instrumentation or propagator changes (the app's own
 * set-up is left alone). Returns a tracker on those providers and the
 * means to flush and shut down; call `shutdown()` before the process
 * exits, or the last batch is lost.
 *
 * Call it once, early. If the app already registered global OpenTelemetry
 * providers, those stay in place and the tracker reports to them.
 * With OTEL_SDK_DISABLED=true nothing is started and the tracker is inert.
 *
 * When nothing arrives, it says so: an endpoint that looks like a signal's
 * URL is flagged at once, and failing exports are reported once per
 * problem (HTTP status or network error, and the URL) through the diag
 * logger and, outside production, console.warn. Each exporter is wrapped
 * to watch its results; the exporters themselves are the OpenTelemetry
 * ones, unchanged.
 *
 * @throws TypeError for an explicitly invalid option (a bad endpoint URL,
 * interval or timeout), so a configuration mistake surfaces at start-up;
 * after that nothing here throws or rejects.
 */
export function setupNodeTelemetry(options: NodeTelemetryOptions = {}): NodeTelemetry {
  validate(options);
  if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') {
    return { tracker: createTracker({ ...options.tracker }), flush: () => Promise.resolve(), shutdown: () => Promise.resolve() };
  }
  // With OTEL_LOG_LEVEL set, the NodeSDK prints diag messages itself at the level chosen; printing again would double them.
  const consoleByDefault = process.env.NODE_ENV !== 'production' && !process.env.OTEL_LOG_LEVEL?.trim();
  const diagnostics = createExportDiagnostics({ console: options.consoleWarnings ?? consoleByDefault, logger: diag });
  for (const warning of otlpEndpointWarnings(options.endpoint)) diagnostics.warn(warning);

  const logUrl = otlpSignalUrl('LOGS', options.endpoint);
  const metricUrl = otlpSignalUrl('METRICS', options.endpoint);
  const shared = {
    ...(options.headers ? { headers: { ...options.headers } } : {}),
    ...(options.exportTimeoutMillis !== undefined ? { timeoutMillis: options.exportTimeoutMillis } : {}),
  };
  const logExporter = new ObservedLogRecordExporter(
    new OTLPLogExporter({ ...(logUrl ? { url: logUrl } : {}), ...shared }),
    new ExportObserver({
      url: otlpExportUrl('LOGS', options.endpoint),
      diagnostics,
      exportTimeoutMillis: otlpExportTimeoutMillis('LOGS', options.exportTimeoutMillis),
      failureDropsItems: true,
    }),
  );
  const metricExporter = new ObservedMetricExporter(
    new OTLPMetricExporter({ ...(metricUrl ? { url: metricUrl } : {}), ...shared }),
    new ExportObserver({
      url: otlpExportUrl('METRICS', options.endpoint),
      diagnostics,
      exportTimeoutMillis: otlpExportTimeoutMillis('METRICS', options.exportTimeoutMillis),
      // Cumulative sums: the next export carries what a failed one had.
      failureDropsItems: false,
    }),
  );
  const emitted = new EmittedRecordCounter();
  const logProcessor = new BatchLogRecordProcessor({ exporter: logExporter, ...batchSizes(process.env) });
  const metricReader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: options.metricExportIntervalMillis ?? DEFAULT_METRIC_EXPORT_INTERVAL_MILLIS,
  });
  const sdk = new NodeSDK({
    resource: nodeResource(options),
    autoDetectResources: false,
    logRecordProcessors: [emitted, logProcessor],
    metricReaders: [metricReader],
    // An empty list means no tracer provider at all: no trace export, no OTEL_TRACES_EXPORTER default.
    spanProcessors: [],
    instrumentations: [],
    textMapPropagator: null,
  });
  sdk.start();

  const shutdownTimeoutMillis = options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  let stopping: Promise<void> | undefined;
  return {
    tracker: createTracker({ ...options.tracker }),
    flush: () => settle('flushing telemetry', Promise.all([logProcessor.forceFlush(), metricReader.forceFlush()])),
    shutdown() {
      stopping ??= (async () => {
        if (await settledWithin(settle('shutting down telemetry', sdk.shutdown()), shutdownTimeoutMillis)) return;
        const undelivered = Math.max(0, emitted.emitted - logExporter.observer.settledItems());
        diagnostics.warn(abandonedMessage(shutdownTimeoutMillis, undelivered, logExporter.observer, metricExporter.observer, diagnostics));
        // The processors stop at once instead of sending their next batch; requests in flight end at their timeout.
        logExporter.observer.abandon();
        metricExporter.observer.abandon();
      })().catch(() => undefined);
      return stopping;
    },
  };
}

/** "1 data point", "2 data points". */
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What a shutdown that stopped waiting left behind, and why, as far as known. */
function abandonedMessage(
  waitedMillis: number,
  undeliveredRecords: number,
  logs: ExportObserver,
  metrics: ExportObserver,
  diagnostics: ExportDiagnostics,
): string {
  const why = (url: string) => {
    const problem = diagnostics.problemOf(url);
    return problem ? `, where exports were failing: ${problem.description.replace(/[.?!]$/, '')}` : '; the exporter was still trying';
  };
  const parts: string[] = [];
  if (undeliveredRecords > 0) {
    parts.push(`${count(undeliveredRecords, 'log record', 'log records')} (not yet accepted by ${logs.url}${why(logs.url)})`);
  }
  const { exports, items } = metrics.inFlight();
  if (exports > 0) {
    parts.push(`${count(exports, 'metric export', 'metric exports')} of ${count(items, 'data point', 'data points')} (to ${metrics.url}${why(metrics.url)})`);
  }
  const what = parts.length > 0 ? `abandoned ${parts.join(' and ')}` : 'abandoned what the exporters had not finished';
  return (
    `TunnelVision: telemetry shutdown() stopped waiting after ${waitedMillis} ms (shutdownTimeoutMillis) and ${what}. ` +
    'Requests in flight end at their export timeout; nothing more is sent.'
  );
}

function validate(options: NodeTelemetryOptions): void {
  const interval = options.metricExportIntervalMillis;
  if (interval !== undefined && !(Number.isFinite(interval) && interval > 0)) {
    throw new TypeError(`setupNodeTelemetry: metricExportIntervalMillis must be a positive number of ms, got ${String(interval)}`);
  }
  for (const name of ['exportTimeoutMillis', 'shutdownTimeoutMillis'] as const) {
    const millis = options[name];
    if (millis !== undefined && !(Number.isFinite(millis) && millis > 0)) {
      throw new TypeError(`setupNodeTelemetry: ${name} must be a positive number of ms, got ${String(millis)}`);
    }
  }
  if (options.endpoint !== undefined && !URL.canParse(options.endpoint)) {
    throw new TypeError(`setupNodeTelemetry: endpoint must be an absolute URL such as http://127.0.0.1:4318, got ${JSON.stringify(options.endpoint)}`);
  }
}

/** Waits for `work`; a failure is logged through diag instead of rejecting into the app. */
async function settle(what: string, work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    diag.warn(`@tunnelvision/sdk: ${what} failed`, error);
  }
}
