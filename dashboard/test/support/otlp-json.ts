/** Builders for hand-written OTLP/JSON requests (docs/semconv.md), for seeding a collector in tests. */

/** An attribute value as the tests write it; `{ double }` forces doubleValue for whole numbers (durations in ms). */
export type AttrValue = string | number | boolean | { double: number };

/** A double attribute value, even when whole (semconv durations are doubles). */
export const double = (value: number): { double: number } => ({ double: value });

/** OTLP KeyValue list from a plain object; integers become intValue, other numbers doubleValue. */
export function kv(attributes: Record<string, AttrValue>): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(attributes).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : typeof v === 'object'
            ? { doubleValue: v.double }
            : Number.isInteger(v)
            ? { intValue: String(v) }
            : { doubleValue: v },
  }));
}

/** A log record carrying a TunnelVision event at `timeMs`. */
export function eventRecord(event: string, timeMs: number, attributes: Record<string, AttrValue> = {}): Record<string, unknown> {
  return { timeUnixNano: `${timeMs}000000`, eventName: event, attributes: kv(attributes) };
}

/** An ExportLogsServiceRequest with one resource and one scope. */
export function logsRequest(resource: Record<string, AttrValue>, records: Record<string, unknown>[]): unknown {
  return {
    resourceLogs: [
      {
        resource: { attributes: kv(resource) },
        scopeLogs: [{ scope: { name: '@tunnelvision/dashboard-test' }, schemaUrl: 'https://tunnelvision.dev/schemas/1.0.0', logRecords: records }],
      },
    ],
  };
}

/** An ExportMetricsServiceRequest with one cumulative tv.connection.active sum for one resource. */
export function activeConnectionsRequest(
  resource: Record<string, AttrValue>,
  points: readonly { timeMs: number; value: number; attributes: Record<string, AttrValue> }[],
  startMs: number,
): unknown {
  return {
    resourceMetrics: [
      {
        resource: { attributes: kv(resource) },
        scopeMetrics: [
          {
            scope: { name: '@tunnelvision/dashboard-test' },
            metrics: [
              {
                name: 'tv.connection.active',
                unit: '{connection}',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: false,
                  dataPoints: points.map((p) => ({
                    attributes: kv(p.attributes),
                    startTimeUnixNano: `${startMs}000000`,
                    timeUnixNano: `${p.timeMs}000000`,
                    asInt: String(p.value),
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}
