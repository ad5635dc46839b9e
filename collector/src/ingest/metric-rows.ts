import type { z } from 'zod';
import {
  describeIssues,
  exponentialHistogramPointSchema,
  histogramPointSchema,
  metricSchema,
  metricsRequestSchema,
  numberPointSchema,
  summaryPointSchema,
  type Metric,
} from '../otlp/otlp-schema.js';
import { OtlpDecodeError } from '../errors.js';
import type { TableName, TableRows } from '../store/table-names.js';
import { AttributeTrim, DEFAULT_ATTRIBUTE_LIMITS, type AttributeLimits } from './attribute-limits.js';
import { attributesToMap } from './attribute-values.js';
import { nanosOrEmpty, nowNanos, toClickHouseTime, toNumber } from './nanos.js';
import { RejectionLog, responseMessage, type MappingResult } from './mapping-result.js';
import { resourceIdentity } from './semconv-columns.js';

type Row = Record<string, unknown>;
type Kind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';

/** Table and point schema for each kind of metric data. */
const KINDS: Record<Kind, { table: TableName; point: z.ZodType }> = {
  gauge: { table: 'metrics_gauge', point: numberPointSchema },
  sum: { table: 'metrics_sum', point: numberPointSchema },
  histogram: { table: 'metrics_histogram', point: histogramPointSchema },
  exponentialHistogram: { table: 'metrics_exponential_histogram', point: exponentialHistogramPointSchema },
  summary: { table: 'metrics_summary', point: summaryPointSchema },
};
const KIND_NAMES = Object.keys(KINDS) as Kind[];

const optionalNumber = (v: string | number | undefined): number | null => (v === undefined ? null : toNumber(v));
const numberList = (values: readonly (string | number)[] | undefined): number[] => (values ?? []).map((v) => toNumber(v));
// UInt64 counts stay decimal strings: as JS numbers they could round past the column's range.
const count = (v: string | number | undefined): string => (v === undefined ? '0' : String(v));
const countList = (values: readonly (string | number)[] | undefined): string[] => (values ?? []).map(count);

/** The columns specific to each point kind. */
function pointColumns(kind: Kind, metric: Metric, point: Record<string, unknown>): Row {
  switch (kind) {
    case 'gauge':
    case 'sum': {
      const p = point as z.infer<typeof numberPointSchema>;
      const value = p.asDouble !== undefined ? toNumber(p.asDouble) : toNumber(p.asInt);
      if (kind === 'gauge') return { Value: value };
      return { Value: value, AggregationTemporality: metric.sum?.aggregationTemporality ?? 0, IsMonotonic: metric.sum?.isMonotonic ?? false };
    }
    case 'histogram': {
      const p = point as z.infer<typeof histogramPointSchema>;
      return {
        Count: count(p.count),
        Sum: toNumber(p.sum),
        BucketCounts: countList(p.bucketCounts),
        ExplicitBounds: numberList(p.explicitBounds),
        Min: optionalNumber(p.min),
        Max: optionalNumber(p.max),
        AggregationTemporality: metric.histogram?.aggregationTemporality ?? 0,
      };
    }
    case 'exponentialHistogram': {
      const p = point as z.infer<typeof exponentialHistogramPointSchema>;
      return {
        Count: count(p.count),
        Sum: toNumber(p.sum),
        Scale: p.scale ?? 0,
        ZeroCount: count(p.zeroCount),
        ZeroThreshold: toNumber(p.zeroThreshold),
        PositiveOffset: p.positive?.offset ?? 0,
        PositiveBucketCounts: countList(p.positive?.bucketCounts),
        NegativeOffset: p.negative?.offset ?? 0,
        NegativeBucketCounts: countList(p.negative?.bucketCounts),
        Min: optionalNumber(p.min),
        Max: optionalNumber(p.max),
        AggregationTemporality: metric.exponentialHistogram?.aggregationTemporality ?? 0,
      };
    }
    case 'summary': {
      const p = point as z.infer<typeof summaryPointSchema>;
      return {
        Count: count(p.count),
        Sum: toNumber(p.sum),
        Quantiles: (p.quantileValues ?? []).map((q) => toNumber(q.quantile)),
        QuantileValues: (p.quantileValues ?? []).map((q) => toNumber(q.value)),
      };
    }
  }
}

/**
 * Maps an ExportMetricsServiceRequest (OTLP/JSON shape) to rows of the
 * metrics_* tables. A data point that fails validation is rejected alone;
 * a metric with no data kind, or a bad name, rejects its points.
 */
export function mapMetricsRequest(request: unknown, limits: AttributeLimits = DEFAULT_ATTRIBUTE_LIMITS): MappingResult {
  const trim = new AttributeTrim(limits);
  const envelope = metricsRequestSchema.safeParse(request);
  if (!envelope.success) throw new OtlpDecodeError(`Invalid ExportMetricsServiceRequest: ${describeIssues(envelope.error)}`);
  const receivedAt = nowNanos();
  const rejections = new RejectionLog();
  const byTable = new Map<TableName, Row[]>();
  const resourceMetrics = envelope.data.resourceMetrics ?? [];
  for (let r = 0; r < resourceMetrics.length; r++) {
    const rm = resourceMetrics[r]!;
    const resource = attributesToMap(rm.resource?.attributes, trim);
    const identity = resourceIdentity(resource);
    const scopeMetrics = rm.scopeMetrics ?? [];
    for (let s = 0; s < scopeMetrics.length; s++) {
      const sm = scopeMetrics[s]!;
      const scopeAttributes = attributesToMap(sm.scope?.attributes, trim);
      const metrics = sm.metrics ?? [];
      for (let m = 0; m < metrics.length; m++) {
        const path = `resourceMetrics[${r}].scopeMetrics[${s}].metrics[${m}]`;
        const parsed = metricSchema.safeParse(metrics[m]);
        if (!parsed.success) {
          rejections.addMany(countPoints(metrics[m]), describeIssues(parsed.error, path));
          continue;
        }
        const metric = parsed.data;
        const kind = KIND_NAMES.find((k) => metric[k] !== undefined);
        if (!kind) {
          rejections.add(`${path}: metric "${metric.name}" has no gauge, sum, histogram, exponentialHistogram or summary`);
          continue;
        }
        const { table, point: pointSchema } = KINDS[kind];
        const points = metric[kind]?.dataPoints ?? [];
        let rows = byTable.get(table);
        if (!rows) byTable.set(table, (rows = []));
        for (let p = 0; p < points.length; p++) {
          const pointParsed = pointSchema.safeParse(points[p]);
          if (!pointParsed.success) {
            rejections.add(describeIssues(pointParsed.error, `${path}.${kind}.dataPoints[${p}]`));
            continue;
          }
          const point = pointParsed.data as Record<string, unknown> & {
            attributes?: Parameters<typeof attributesToMap>[0];
            startTimeUnixNano?: string | number;
            timeUnixNano?: string | number;
            flags?: number;
          };
          const time = nanosOrEmpty(point.timeUnixNano) || receivedAt;
          rows.push({
            ResourceAttributes: resource,
            ResourceSchemaUrl: rm.schemaUrl ?? '',
            ScopeName: sm.scope?.name ?? '',
            ScopeVersion: sm.scope?.version ?? '',
            ScopeAttributes: scopeAttributes,
            ServiceName: identity.serviceName,
            ServiceVersion: identity.serviceVersion,
            Environment: identity.environment,
            MetricName: metric.name,
            MetricDescription: metric.description ?? '',
            MetricUnit: metric.unit ?? '',
            Attributes: attributesToMap(point.attributes, trim),
            StartTimeUnix: toClickHouseTime(nanosOrEmpty(point.startTimeUnixNano) || time),
            TimeUnix: toClickHouseTime(time),
            Flags: point.flags ?? 0,
            ...pointColumns(kind, metric, point),
          });
        }
      }
    }
  }
  const batches: TableRows[] = [];
  for (const [table, rows] of byTable) if (rows.length > 0) batches.push({ table, rows });
  return { batches, rejected: rejections.count, errorMessage: responseMessage(rejections, trim), trimmed: { attributes: trim.dropped, values: trim.truncated } };
}

/** Points in a metric that failed validation, so partial success counts them all. */
function countPoints(metric: unknown): number {
  if (typeof metric !== 'object' || metric === null) return 1;
  for (const kind of KIND_NAMES) {
    const data = (metric as Record<string, { dataPoints?: unknown }>)[kind];
    if (data && Array.isArray(data.dataPoints)) return Math.max(1, data.dataPoints.length);
  }
  return 1;
}
