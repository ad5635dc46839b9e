import { describeIssues, spanSchema, tracesRequestSchema } from '../otlp/otlp-schema.js';
import { OtlpDecodeError } from '../errors.js';
import { AttributeTrim, DEFAULT_ATTRIBUTE_LIMITS, type AttributeLimits } from './attribute-limits.js';
import { attributesToMap } from './attribute-values.js';
import { nanosOrEmpty, nowNanos, toClickHouseTime } from './nanos.js';
import { RejectionLog, responseMessage, type MappingResult } from './mapping-result.js';

const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS_CODES = ['Unset', 'Ok', 'Error'];

/** Maps an ExportTraceServiceRequest to rows of `traces` (kept minimally: no events or links). */
export function mapTracesRequest(request: unknown, limits: AttributeLimits = DEFAULT_ATTRIBUTE_LIMITS): MappingResult {
  const trim = new AttributeTrim(limits);
  const envelope = tracesRequestSchema.safeParse(request);
  if (!envelope.success) throw new OtlpDecodeError(`Invalid ExportTraceServiceRequest: ${describeIssues(envelope.error)}`);
  const receivedAt = nowNanos();
  const rejections = new RejectionLog();
  const rows: Record<string, unknown>[] = [];
  const resourceSpans = envelope.data.resourceSpans ?? [];
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = resourceSpans[r]!;
    const resource = attributesToMap(rs.resource?.attributes, trim);
    const scopeSpans = rs.scopeSpans ?? [];
    for (let s = 0; s < scopeSpans.length; s++) {
      const ss = scopeSpans[s]!;
      const spans = ss.spans ?? [];
      for (let i = 0; i < spans.length; i++) {
        const parsed = spanSchema.safeParse(spans[i]);
        if (!parsed.success) {
          rejections.add(describeIssues(parsed.error, `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`));
          continue;
        }
        const span = parsed.data;
        if (span.traceId === '' || span.spanId === '') {
          rejections.add(`resourceSpans[${r}].scopeSpans[${s}].spans[${i}]: traceId and spanId are required`);
          continue;
        }
        const start = nanosOrEmpty(span.startTimeUnixNano) || receivedAt;
        const end = nanosOrEmpty(span.endTimeUnixNano) || start;
        const duration = BigInt(end) > BigInt(start) ? (BigInt(end) - BigInt(start)).toString() : '0';
        rows.push({
          Timestamp: toClickHouseTime(start),
          TraceId: span.traceId,
          SpanId: span.spanId,
          ParentSpanId: span.parentSpanId ?? '',
          TraceState: span.traceState ?? '',
          SpanName: span.name ?? '',
          SpanKind: SPAN_KINDS[span.kind ?? 0] ?? 'Unspecified',
          ServiceName: resource['service.name'] ?? '',
          ResourceAttributes: resource,
          ScopeName: ss.scope?.name ?? '',
          ScopeVersion: ss.scope?.version ?? '',
          SpanAttributes: attributesToMap(span.attributes, trim),
          Duration: duration,
          StatusCode: STATUS_CODES[span.status?.code ?? 0] ?? 'Unset',
          StatusMessage: span.status?.message ?? '',
        });
      }
    }
  }
  return { batches: rows.length > 0 ? [{ table: 'traces', rows }] : [], rejected: rejections.count, errorMessage: responseMessage(rejections, trim), trimmed: { attributes: trim.dropped, values: trim.truncated } };
}
