import type { AnyValue, LogRecord } from './otlp-schema.js';

/**
 * The log record OpenTelemetry SDKs send, recognised by hand: only the
 * fields of the schema, timestamps as decimal strings, scalar attribute
 * values, lowercase hex ids. Such a record is returned as it is, which is
 * exactly what logRecordSchema would make of it; anything else returns
 * undefined and goes through the schema, which knows every other accepted
 * spelling and words every error. Validating each of thousands of records
 * per request through the schema cost more than mapping them.
 */
export function plainLogRecord(value: unknown): LogRecord | undefined {
  if (!isPlainObject(value)) return undefined;
  for (const key in value) {
    const field = value[key];
    switch (key) {
      case 'timeUnixNano':
      case 'observedTimeUnixNano':
        if (typeof field !== 'string' || !isNanos(field)) return undefined;
        break;
      case 'severityNumber':
        if (!Number.isInteger(field) || (field as number) < 0 || (field as number) > MAX_SEVERITY) return undefined;
        break;
      case 'severityText':
      case 'eventName':
        if (typeof field !== 'string') return undefined;
        break;
      case 'body':
        if (!isScalarValue(field)) return undefined;
        break;
      case 'attributes':
        if (!Array.isArray(field)) return undefined;
        for (const kv of field) if (!isScalarKeyValue(kv)) return undefined;
        break;
      case 'droppedAttributesCount':
        if (typeof field !== 'number' || !Number.isFinite(field)) return undefined;
        break;
      case 'flags':
        if (!Number.isSafeInteger(field) || (field as number) < 0) return undefined;
        break;
      case 'traceId':
        if (typeof field !== 'string' || !TRACE_ID.test(field)) return undefined;
        break;
      case 'spanId':
        if (typeof field !== 'string' || !SPAN_ID.test(field)) return undefined;
        break;
      default:
        return undefined;
    }
  }
  return value as LogRecord;
}

const NANOS = /^\d{1,19}$/;
/** The store's DateTime64(9) ends at 2^63 - 1 ns; digit strings of one length compare as numbers. */
const MAX_NANOS = '9223372036854775807';
const isNanos = (s: string) => NANOS.test(s) && (s.length < MAX_NANOS.length || s <= MAX_NANOS);
const INT = /^-?\d{1,18}$/;
const TRACE_ID = /^(?:[0-9a-f]{32})?$/;
const SPAN_ID = /^(?:[0-9a-f]{16})?$/;
/** SEVERITY_NUMBER_FATAL4. */
const MAX_SEVERITY = 24;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isScalarKeyValue(kv: unknown): boolean {
  if (!isPlainObject(kv) || typeof kv.key !== 'string') return false;
  for (const key in kv) {
    if (key === 'key') continue;
    if (key !== 'value' || !isScalarValue(kv.value)) return false;
  }
  return true;
}

/**
 * One string, bool, int or finite double, or no value at all (the official
 * JSON serializer writes a record without a body as `"body": {}`); arrays,
 * maps and bytes take the schema's path.
 */
function isScalarValue(value: unknown): value is AnyValue {
  if (!isPlainObject(value)) return false;
  let fields = 0;
  for (const key in value) {
    const field = value[key];
    fields += 1;
    switch (key) {
      case 'stringValue':
        if (typeof field !== 'string') return false;
        break;
      case 'boolValue':
        if (typeof field !== 'boolean') return false;
        break;
      case 'intValue':
        if (!(typeof field === 'string' ? INT.test(field) : Number.isSafeInteger(field))) return false;
        break;
      case 'doubleValue':
        if (typeof field !== 'number' || !Number.isFinite(field)) return false;
        break;
      default:
        return false;
    }
  }
  return fields <= 1;
}
