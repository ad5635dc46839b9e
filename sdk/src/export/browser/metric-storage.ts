import type { MetricAttributes, MetricOptions } from '@opentelemetry/api';
import { jsonGroup, type JsonGroup } from './json-packer.js';
import { millisToNanos, toKeyValues, type OtlpKeyValue } from './otlp-json.js';

/**
 * In-memory aggregation of one synchronous instrument, with cumulative
 * temporality: one series per distinct attribute set, holding the running
 * sum (Counter, UpDownCounter), the last value (Gauge) or explicit-bucket
 * counts with count, sum, min and max (Histogram), all since the series
 * started. What the OpenTelemetry JS SDK's default views produce, for the
 * four instruments the tracker uses.
 */

/** The synchronous instruments aggregated here. */
export type InstrumentKind = 'counter' | 'updowncounter' | 'histogram' | 'gauge';

/** Default histogram buckets: the OpenTelemetry SDK's, used unless the instrument advises its own. */
export const DEFAULT_HISTOGRAM_BOUNDARIES: readonly number[] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

/**
 * Series per instrument before new attribute sets are folded into one
 * overflow series (`otel.metric.overflow: true`), as in the metrics SDK
 * specification's cardinality limit. Bounds memory when an app puts an id in
 * a metric attribute by mistake.
 */
export const MAX_SERIES_PER_INSTRUMENT = 2000;

const AGGREGATION_TEMPORALITY_CUMULATIVE = 2;

interface Series {
  readonly attributes: OtlpKeyValue[];
  readonly startTimeUnixNano: string;
  /** Sum, or last value for a gauge. */
  value: number;
  count: number;
  min: number;
  max: number;
  readonly bucketCounts: number[];
}

/** One instrument's aggregation state. */
export interface MetricStorage {
  /** What kind of instrument feeds it. */
  readonly kind: InstrumentKind;
  /** The metric's JSON around its data points (name, unit, description, temporality). */
  readonly group: JsonGroup;
  /** Adds one measurement; ignores values the instrument cannot take (negative for Counter and Histogram, non-finite). */
  record(value: number, attributes: MetricAttributes | undefined): void;
  /** Each series as an OTLP/JSON data point at `timeUnixNano`; empty before the first measurement. */
  collect(timeUnixNano: string): string[];
}

const attributeSetKey = (attributes: MetricAttributes | undefined): string =>
  attributes
    ? JSON.stringify(
        Object.keys(attributes)
          .filter((key) => attributes[key] !== undefined)
          .sort()
          .map((key) => [key, attributes[key]]),
      )
    : '[]';

const validBoundaries = (advice: readonly number[] | undefined): readonly number[] =>
  advice && advice.every((b, i) => Number.isFinite(b) && (i === 0 || b > advice[i - 1]!)) ? [...advice] : DEFAULT_HISTOGRAM_BOUNDARIES;

/** ValueType.INT as a literal: importing the enum would bundle the OpenTelemetry API for one number. */
const VALUE_TYPE_INT = 0;

/** Creates the storage for one instrument. */
export function createMetricStorage(kind: InstrumentKind, name: string, options: MetricOptions | undefined): MetricStorage {
  const isInt = options?.valueType === VALUE_TYPE_INT;
  const bounds = kind === 'histogram' ? validBoundaries(options?.advice?.explicitBucketBoundaries) : [];
  const series = new Map<string, Series>();
  const data =
    kind === 'gauge'
      ? { gauge: { dataPoints: [] } }
      : kind === 'histogram'
        ? { histogram: { aggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE, dataPoints: [] } }
        : { sum: { aggregationTemporality: AGGREGATION_TEMPORALITY_CUMULATIVE, isMonotonic: kind === 'counter', dataPoints: [] } };
  const group = jsonGroup({ name, description: options?.description || undefined, unit: options?.unit || undefined, ...data });
  const number = (value: number) => (isInt ? { asInt: String(value) } : { asDouble: value });

  return {
    kind,
    group,
    record(value, attributes) {
      if (typeof value !== 'number' || !Number.isFinite(value)) return;
      if (isInt) value = Math.trunc(value);
      if (value < 0 && (kind === 'counter' || kind === 'histogram')) return;
      let key = attributeSetKey(attributes);
      let entry = series.get(key);
      if (!entry) {
        if (series.size >= MAX_SERIES_PER_INSTRUMENT) {
          attributes = { 'otel.metric.overflow': true };
          key = attributeSetKey(attributes);
          entry = series.get(key);
        }
        if (!entry) {
          entry = {
            attributes: toKeyValues(attributes),
            startTimeUnixNano: millisToNanos(Date.now()),
            value: 0,
            count: 0,
            min: Infinity,
            max: -Infinity,
            bucketCounts: bounds.length > 0 ? new Array<number>(bounds.length + 1).fill(0) : [],
          };
          series.set(key, entry);
        }
      }
      entry.count++;
      if (kind === 'gauge') {
        entry.value = value;
        return;
      }
      entry.value += value;
      if (kind === 'histogram') {
        entry.min = Math.min(entry.min, value);
        entry.max = Math.max(entry.max, value);
        // Buckets are upper-inclusive: (bounds[i-1], bounds[i]], the last one (bounds[n-1], +Inf).
        let bucket = 0;
        while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
        entry.bucketCounts[bucket]!++;
      }
    },
    collect(timeUnixNano) {
      const points: string[] = [];
      for (const s of series.values()) {
        const base = { attributes: s.attributes, startTimeUnixNano: s.startTimeUnixNano, timeUnixNano };
        points.push(
          JSON.stringify(
            kind === 'histogram'
              ? {
                  ...base,
                  count: String(s.count),
                  sum: s.value,
                  bucketCounts: s.bucketCounts.map(String),
                  explicitBounds: bounds,
                  min: s.min,
                  max: s.max,
                }
              : { ...base, ...number(s.value) },
          ),
        );
      }
      return points;
    },
  };
}
