import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import type { AnyValue } from '@opentelemetry/api';

/** One emitted event, as a test wants to see it. */
export interface CapturedEvent {
  name: string | undefined;
  timeMillis: number;
  severity: string | undefined;
  body: AnyValue | undefined;
  /** Every attribute but tv.event.seq (tests compare those exactly). */
  attributes: Record<string, AnyValue>;
  /** tv.event.seq, taken out of the attributes. */
  seq: AnyValue | undefined;
  scope: { name: string; version?: string; schemaUrl?: string };
}

/** A MetricReader the test collects on demand. */
class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Real OpenTelemetry SDK providers feeding in-memory sinks, plus a fake clock. */
export interface TelemetryHarness {
  loggerProvider: LoggerProvider;
  meterProvider: MeterProvider;
  /** Current fake time in epoch ms. */
  clock: { now: () => number; advance: (millis: number) => void; set: (millis: number) => void };
  /** Events emitted so far, oldest first. */
  events(): CapturedEvent[];
  /** Event names emitted so far. */
  eventNames(): (string | undefined)[];
  /** Forgets the events captured so far. */
  resetEvents(): void;
  /** Collects the metric `name` (cumulative), or undefined when it has no points. */
  metric(name: string): Promise<MetricData | undefined>;
  /** The data points of a sum or gauge metric as [attributes, value] pairs. */
  points(name: string): Promise<{ attributes: Record<string, unknown>; value: number }[]>;
  /** The histogram points of `name`. */
  histogram(name: string): Promise<DataPoint<Histogram>[]>;
  shutdown(): Promise<void>;
}

export const START_MILLIS = Date.UTC(2026, 10, 23, 6, 0, 0);

export function createTelemetryHarness(): TelemetryHarness {
  const exporter = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  const meterProvider = new MeterProvider({ readers: [reader] });
  let now = START_MILLIS;
  const collect = async (name: string): Promise<MetricData | undefined> => {
    const { resourceMetrics } = await reader.collect();
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) if (metric.descriptor.name === name && metric.dataPoints.length > 0) return metric;
    }
    return undefined;
  };
  return {
    loggerProvider,
    meterProvider,
    clock: {
      now: () => now,
      advance: (millis) => {
        now += millis;
      },
      set: (millis) => {
        now = millis;
      },
    },
    events: () =>
      exporter.getFinishedLogRecords().map((record) => {
        const { 'tv.event.seq': seq, ...attributes } = record.attributes;
        return {
        name: record.eventName,
        timeMillis: record.hrTime[0] * 1000 + record.hrTime[1] / 1e6,
        severity: record.severityText,
        body: record.body,
        attributes,
        seq,
        scope: {
          name: record.instrumentationScope.name,
          version: record.instrumentationScope.version,
          schemaUrl: record.instrumentationScope.schemaUrl,
        },
        };
      }),
    eventNames: () => exporter.getFinishedLogRecords().map((record) => record.eventName),
    resetEvents: () => exporter.reset(),
    metric: collect,
    async points(name) {
      const metric = await collect(name);
      if (!metric || metric.dataPointType === DataPointType.HISTOGRAM || metric.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) return [];
      return (metric.dataPoints as DataPoint<number>[]).map((p) => ({ attributes: { ...p.attributes }, value: p.value }));
    },
    async histogram(name) {
      const metric = await collect(name);
      if (!metric || metric.dataPointType !== DataPointType.HISTOGRAM) return [];
      return metric.dataPoints;
    },
    async shutdown() {
      await loggerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}
