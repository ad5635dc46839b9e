import { describeIssues, logRecordSchema, logsRequestSchema } from '../otlp/otlp-schema.js';
import { plainLogRecord } from '../otlp/plain-log-record.js';
import { OtlpDecodeError } from '../errors.js';
import { AttributeTrim, DEFAULT_ATTRIBUTE_LIMITS, type AttributeLimits } from './attribute-limits.js';
import { anyValueToString, attributesToMap } from './attribute-values.js';
import { nanosOrEmpty, nowNanos, toClickHouseTime } from './nanos.js';
import { RejectionLog, responseMessage, type MappingResult } from './mapping-result.js';
import { resourceIdentity, semconvColumns } from './semconv-columns.js';
import { moveAttributesToColumns } from '../store/attributes-in-columns.js';

// Non-nullable numeric columns, whose default is 0. Every other column
// defaults to NULL (Nullable) or '' / {} (strings, maps).
const ZERO_DEFAULT = new Set(['TraceFlags', 'SeverityNumber', 'CloseCode', 'Attempt', 'MissedCount', 'AttributesInColumns']);

/**
 * Sets the columns whose value is not their column's default. Most typed
 * columns are empty for any one event, and ClickHouse fills omitted
 * JSONEachRow fields with the default, so this shortens every insert. A 0
 * in a Nullable column (latency 0 ms) is a value and is set. Properties are
 * only ever added, never deleted, which keeps rows fast objects for V8 and
 * JSON.stringify.
 */
function setUnlessDefault(row: Record<string, unknown>, columns: object): Record<string, unknown> {
  for (const key in columns) {
    const value = (columns as Record<string, unknown>)[key];
    if (value === null || value === undefined || value === '' || (value === 0 && ZERO_DEFAULT.has(key))) continue;
    if (typeof value === 'object' && isEmpty(value)) continue;
    row[key] = value;
  }
  return row;
}

function isEmpty(object: object): boolean {
  for (const _ in object) return false;
  return true;
}

/**
 * Maps an ExportLogsServiceRequest (OTLP/JSON shape) to rows of `logs`.
 * Throws OtlpDecodeError when the envelope itself is malformed; bad records
 * inside a valid envelope are rejected one by one.
 */
export function mapLogsRequest(request: unknown, limits: AttributeLimits = DEFAULT_ATTRIBUTE_LIMITS): MappingResult {
  const trim = new AttributeTrim(limits);
  const envelope = logsRequestSchema.safeParse(request);
  if (!envelope.success) throw new OtlpDecodeError(`Invalid ExportLogsServiceRequest: ${describeIssues(envelope.error)}`);
  const receivedAt = nowNanos();
  const rejections = new RejectionLog();
  const rows: Record<string, unknown>[] = [];
  const resourceLogs = envelope.data.resourceLogs ?? [];
  for (let r = 0; r < resourceLogs.length; r++) {
    const rl = resourceLogs[r]!;
    const resource = attributesToMap(rl.resource?.attributes, trim);
    const identity = resourceIdentity(resource);
    const scopeLogs = rl.scopeLogs ?? [];
    for (let s = 0; s < scopeLogs.length; s++) {
      const sl = scopeLogs[s]!;
      const scopeAttributes = attributesToMap(sl.scope?.attributes, trim);
      const records = sl.logRecords ?? [];
      for (let i = 0; i < records.length; i++) {
        let record = plainLogRecord(records[i]);
        if (!record) {
          const parsed = logRecordSchema.safeParse(records[i]);
          if (!parsed.success) {
            rejections.add(describeIssues(parsed.error, `resourceLogs[${r}].scopeLogs[${s}].logRecords[${i}]`));
            continue;
          }
          record = parsed.data;
        }
        const attributes = attributesToMap(record.attributes, trim);
        const observed = nanosOrEmpty(record.observedTimeUnixNano) || receivedAt;
        const columns = semconvColumns(attributes, resource, identity, record.eventName);
        const attributesInColumns = moveAttributesToColumns(attributes, columns);
        const row: Record<string, unknown> = {
          Timestamp: toClickHouseTime(nanosOrEmpty(record.timeUnixNano) || observed),
          ObservedTimestamp: toClickHouseTime(observed),
        };
        setUnlessDefault(row, {
          ServiceName: identity.serviceName,
          TraceId: record.traceId,
          SpanId: record.spanId,
          TraceFlags: (record.flags ?? 0) & 0xff,
          SeverityText: record.severityText,
          SeverityNumber: record.severityNumber,
          Body: anyValueToString(record.body),
          ResourceSchemaUrl: rl.schemaUrl,
          ResourceAttributes: resource,
          ScopeSchemaUrl: sl.schemaUrl,
          ScopeName: sl.scope?.name,
          ScopeVersion: sl.scope?.version,
          ScopeAttributes: scopeAttributes,
          LogAttributes: attributes,
          AttributesInColumns: attributesInColumns,
        });
        rows.push(setUnlessDefault(row, columns));
      }
    }
  }
  return { batches: rows.length > 0 ? [{ table: 'logs', rows }] : [], rejected: rejections.count, errorMessage: responseMessage(rejections, trim), trimmed: { attributes: trim.dropped, values: trim.truncated } };
}

