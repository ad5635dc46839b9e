import { diag } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createTracker } from '../../tracker/create-tracker.js';
import { nodeResource } from './node-resource.js';
import type { NodeTelemetry, NodeTelemetryOptions } from './node-telemetry-options.js';
import { otlpSignalUrl } from './otlp-endpoint.js';

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
 * @throws TypeError for an explicitly invalid option (a bad endpoint URL or
 * export interval), so a configuration mistake surfaces at start-up; after
 * that nothing here throws or rejects.
 */
export function setupNodeTelemetry(options: NodeTelemetryOptions = {}): NodeTelemetry {
  validate(options);
  if (process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') {
    return { tracker: createTracker({ ...options.tracker }), flush: () => Promise.resolve(), shutdown: () => Promise.resolve() };
  }
  const logUrl = otlpSignalUrl('LOGS', options.endpoint);
  const metricUrl = otlpSignalUrl('METRICS', options.endpoint);
  const headers = options.headers ? { headers: { ...options.headers } } : {};
  const logProcessor = new BatchLogRecordProcessor({
    exporter: new OTLPLogExporter({ ...(logUrl ? { url: logUrl } : {}), ...headers }),
    ...batchSizes(process.env),
  });
  const metricReader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ ...(metricUrl ? { url: metricUrl } : {}), ...headers }),
    exportIntervalMillis: options.metricExportIntervalMillis ?? DEFAULT_METRIC_EXPORT_INTERVAL_MILLIS,
  });
  const sdk = new NodeSDK({
    resource: nodeResource(options),
    autoDetectResources: false,
    logRecordProcessors: [logProcessor],
    metricReaders: [metricReader],
    // An empty list means no tracer provider at all: no trace export, no OTEL_TRACES_EXPORTER default.
    spanProcessors: [],
    instrumentations: [],
    textMapPropagator: null,
  });
  sdk.start();

  let stopping: Promise<void> | undefined;
  return {
    tracker: createTracker({ ...options.tracker }),
    flush: () => settle('flushing telemetry', Promise.all([logProcessor.forceFlush(), metricReader.forceFlush()])),
    shutdown() {
      stopping ??= settle('shutting down telemetry', sdk.shutdown());
      return stopping;
    },
  };
}

function validate(options: NodeTelemetryOptions): void {
  const interval = options.metricExportIntervalMillis;
  if (interval !== undefined && !(Number.isFinite(interval) && interval > 0)) {
    throw new TypeError(`setupNodeTelemetry: metricExportIntervalMillis must be a positive number of ms, got ${String(interval)}`);
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
