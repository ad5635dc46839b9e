import { METRIC_CONNECTIONS_ACTIVE, SEMCONV_SCHEMA_URL } from '@tunnelvision/semconv';

/**
 * Builders for hand-written OTLP/JSON requests (docs/semconv.md), shaped as
 * the SDK sends them: the event name in the LogRecord `eventName` field,
 * times as nanosecond strings, integers as `intValue` strings.
 */

/** An attribute value as tests write it; `{ double }` forces doubleValue for whole numbers (durations in ms). */
export type AttrValue = string | number | boolean | { double: number };

/** An OTLP KeyValue. */
export interface OtlpKeyValue {
  key: string;
  value: Record<string, unknown>;
}

const SCOPE = { name: '@tunnelvision/test-support' };

/** A double attribute value, even when whole (semconv durations are doubles). */
export const double = (value: number): { double: number } => ({ double: value });

/** OTLP KeyValue list from a plain object; integers become intValue, other numbers doubleValue. */
export function kv(attributes: Record<string, AttrValue>): OtlpKeyValue[] {
  return Object.entries(attributes).map(([key, v]) => ({ key, value: anyValue(v) }));
}

function anyValue(v: AttrValue): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'object') return { doubleValue: v.double };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

const nanos = (timeMs: number): string => `${timeMs}000000`;

/** A log record carrying the TunnelVision event `event` at `timeMs`, its name in the `eventName` field as the SDK sends it. */
export function eventRecord(event: string, attributes: Record<string, AttrValue> = {}, timeMs: number = Date.now()): Record<string, unknown> {
  return { timeUnixNano: nanos(timeMs), eventName: event, attributes: kv(attributes) };
}

/** An ExportLogsServiceRequest with one resource and one scope. */
export function logsRequest(resource: Record<string, AttrValue>, records: Record<string, unknown>[]): unknown {
  return {
    resourceLogs: [{ resource: { attributes: kv(resource) }, scopeLogs: [{ scope: SCOPE, schemaUrl: SEMCONV_SCHEMA_URL, logRecords: records }] }],
  };
}

/** One point of a metric series. */
export interface MetricPoint {
  timeMs: number;
  value: number;
  attributes: Record<string, AttrValue>;
}

/** An ExportMetricsServiceRequest with one cumulative non-monotonic sum (an up-down counter) for one resource, every point started at `startMs`. */
export function upDownCounterRequest(metric: { name: string; unit: string }, resource: Record<string, AttrValue>, points: readonly MetricPoint[], startMs: number): unknown {
  const dataPoints = points.map((p) => ({ attributes: kv(p.attributes), startTimeUnixNano: nanos(startMs), timeUnixNano: nanos(p.timeMs), asInt: String(p.value) }));
  const sum = { name: metric.name, unit: metric.unit, sum: { aggregationTemporality: 2, isMonotonic: false, dataPoints } };
  return { resourceMetrics: [{ resource: { attributes: kv(resource) }, scopeMetrics: [{ scope: SCOPE, schemaUrl: SEMCONV_SCHEMA_URL, metrics: [sum] }] }] };
}

/** An ExportMetricsServiceRequest with one cumulative tv.connection.active sum for one resource, every point started at `startMs`. */
export function activeConnectionsRequest(resource: Record<string, AttrValue>, points: readonly MetricPoint[], startMs: number): unknown {
  return upDownCounterRequest(METRIC_CONNECTIONS_ACTIVE, resource, points, startMs);
}
