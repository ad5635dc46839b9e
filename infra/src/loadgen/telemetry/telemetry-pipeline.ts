import { randomBytes } from 'node:crypto';
import type { MeterProvider as MeterProviderApi } from '@opentelemetry/api';
import type { LoggerProvider as LoggerProviderApi } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { CountingLogExporter } from './counting-log-exporter.js';
import { CountingLogProcessor } from './counting-log-processor.js';
import type { TelemetryCounters } from './telemetry-counters.js';

/** Events waiting for export per pipeline before the SDK drops new ones (bounds memory, ~1 KB each). */
const MAX_QUEUED_EVENTS = 65_536;
/**
 * Events per OTLP request. The batch processor runs one export at a time
 * and the collector answers once the rows are stored (up to its batch
 * delay, ~1 s), so this is also roughly a pipeline's events/s ceiling.
 */
const MAX_EXPORT_BATCH = 8_192;
/** How long one OTLP request may take before it counts as failed. */
const EXPORT_TIMEOUT_MILLIS = 10_000;

/** Options of `createTelemetryPipeline`. */
export interface TelemetryPipelineOptions {
  /** Collector base URL; OTLP goes to `/v1/logs` and `/v1/metrics` under it. */
  collectorUrl: string;
  /** Sent as `Authorization: Bearer <key>` when set (collectors with COLLECTOR_INGEST_KEY). */
  ingestKey: string | undefined;
  /** service.name of the resource. */
  serviceName: string;
  /** service.version of the resource. */
  serviceVersion: string;
  /** deployment.environment.name of the resource. */
  environment: string;
  /** Prefix of service.instance.id; a random suffix makes each pipeline a series of its own. */
  instanceName: string;
  /** How often metrics are exported, in ms. */
  metricExportIntervalMillis: number;
  /** Longest an event waits before its batch is exported, in ms. */
  logExportDelayMillis: number;
  /** Totals the pipeline adds to. */
  counters: TelemetryCounters;
}

/** One resource's OpenTelemetry pipelines (events and metrics), built explicitly rather than registered globally. */
export interface TelemetryPipeline {
  /** Pass to createTracker({ loggerProvider }). */
  readonly loggerProvider: LoggerProviderApi;
  /** Pass to createTracker({ meterProvider }). */
  readonly meterProvider: MeterProviderApi;
  /** service.instance.id of the resource. */
  readonly instanceId: string;
  /** Exports what is buffered; never rejects. */
  flush(): Promise<void>;
  /** Exports what is buffered and stops both pipelines (idempotent); never rejects. */
  shutdown(): Promise<void>;
}

/**
 * Builds the OTLP/HTTP pipelines of one resource (a client fleet or one
 * gateway instance): a LoggerProvider whose BatchLogRecordProcessor feeds
 * an OTLPLogExporter, and a MeterProvider whose PeriodicExportingMetricReader
 * feeds an OTLPMetricExporter (cumulative temporality, as
 * tv.connection.active needs). Thousands of trackers share one pipeline.
 */
export function createTelemetryPipeline(options: TelemetryPipelineOptions): TelemetryPipeline {
  const base = options.collectorUrl.replace(/\/+$/, '');
  const headers = options.ingestKey === undefined ? {} : { headers: { authorization: `Bearer ${options.ingestKey}` } };
  const instanceId = `${options.instanceName}-${randomBytes(3).toString('hex')}`;
  const resource = resourceFromAttributes({
    'service.name': options.serviceName,
    'service.version': options.serviceVersion,
    'deployment.environment.name': options.environment,
    'service.instance.id': instanceId,
  });
  const logExporter = new CountingLogExporter(
    new OTLPLogExporter({ url: `${base}/v1/logs`, timeoutMillis: EXPORT_TIMEOUT_MILLIS, ...headers }),
    options.counters,
  );
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new CountingLogProcessor(options.counters),
      new BatchLogRecordProcessor({
        exporter: logExporter,
        maxQueueSize: MAX_QUEUED_EVENTS,
        maxExportBatchSize: MAX_EXPORT_BATCH,
        scheduledDelayMillis: options.logExportDelayMillis,
        exportTimeoutMillis: EXPORT_TIMEOUT_MILLIS,
      }),
    ],
  });
  const interval = options.metricExportIntervalMillis;
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${base}/v1/metrics`, timeoutMillis: Math.min(EXPORT_TIMEOUT_MILLIS, interval), ...headers }),
        exportIntervalMillis: interval,
        exportTimeoutMillis: Math.min(EXPORT_TIMEOUT_MILLIS, interval),
      }),
    ],
  });
  let stopping: Promise<void> | undefined;
  return {
    loggerProvider,
    meterProvider,
    instanceId,
    flush: () => settle(Promise.all([loggerProvider.forceFlush(), meterProvider.forceFlush()])),
    shutdown() {
      stopping ??= settle(Promise.all([loggerProvider.shutdown(), meterProvider.shutdown()]));
      return stopping;
    },
  };
}

async function settle(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch {
    // Export failures are counted by CountingLogExporter; shutting down must not throw.
  }
}
