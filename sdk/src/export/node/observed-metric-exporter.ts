import type {
  AggregationOption,
  AggregationTemporality,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ExportObserver, ExportResult } from './export-observer.js';

/** Data points in one collection. */
function dataPointsIn(metrics: ResourceMetrics): number {
  let count = 0;
  for (const scope of metrics.scopeMetrics) for (const metric of scope.metrics) count += metric.dataPoints.length;
  return count;
}

/**
 * A PushMetricExporter that hands every collection to `exporter` (the
 * OTLP/HTTP one) unchanged and lets `observer` watch each result. The
 * exporter's temporality and aggregation preferences are passed through,
 * so the metric reader sees the same exporter it would without the wrapper.
 */
export class ObservedMetricExporter implements PushMetricExporter {
  readonly selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;
  readonly selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;

  constructor(
    private readonly exporter: PushMetricExporter,
    /** Watches the exports; read its counts when shutting down. */
    readonly observer: ExportObserver,
  ) {
    if (exporter.selectAggregationTemporality) {
      this.selectAggregationTemporality = (instrumentType) => exporter.selectAggregationTemporality!(instrumentType);
    }
    if (exporter.selectAggregation) {
      this.selectAggregation = (instrumentType) => exporter.selectAggregation!(instrumentType);
    }
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.observer.observe(dataPointsIn(metrics), (done) => this.exporter.export(metrics, done), resultCallback);
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }
}
