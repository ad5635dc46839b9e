/** Small builders for hand-written OTLP/JSON requests in tests. */

type Attr = string | number | boolean;

export function kv(attributes: Record<string, Attr>): { key: string; value: Record<string, unknown> }[] {
  return Object.entries(attributes).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: String(v) }
            : { doubleValue: v },
  }));
}

/** An ExportLogsServiceRequest with one resource and one scope. */
export function logsRequest(resource: Record<string, Attr>, records: Record<string, unknown>[]): unknown {
  return { resourceLogs: [{ resource: { attributes: kv(resource) }, scopeLogs: [{ scope: { name: 'test' }, logRecords: records }] }] };
}

/** A log record carrying a TunnelVision event at `timeMs`. */
export function eventRecord(event: string, attributes: Record<string, Attr>, timeMs = Date.now()): Record<string, unknown> {
  return { timeUnixNano: `${timeMs}000000`, attributes: kv({ 'event.name': event, ...attributes }) };
}
