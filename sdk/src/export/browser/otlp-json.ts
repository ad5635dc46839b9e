import type { TimeInput } from '@opentelemetry/api';

/**
 * The pieces of the OTLP/JSON encoding (the protobuf JSON mapping) that the
 * browser export needs: AnyValue, KeyValue lists and nanosecond timestamps.
 * 64-bit integers are decimal strings, as the mapping prescribes; doubles
 * that JSON cannot carry (NaN, ±Infinity) are the special strings.
 */

/** An OTLP AnyValue in its JSON form. */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
}

/** An OTLP KeyValue (one attribute) in its JSON form. */
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

/** Encodes any JavaScript value as an OTLP AnyValue; null and undefined give an empty value. */
export function toAnyValue(value: unknown): OtlpAnyValue {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      // Integers travel as int64 (what the OpenTelemetry JS SDK does too);
      // anything else is a double, NaN and ±Infinity as their JSON-mapping strings.
      return Number.isSafeInteger(value)
        ? { intValue: String(value) }
        : { doubleValue: Number.isFinite(value) ? value : String(value) };
    case 'bigint':
      return { intValue: String(value) };
  }
  if (value instanceof Uint8Array) {
    let binary = '';
    for (const byte of value) binary += String.fromCharCode(byte);
    return { bytesValue: btoa(binary) };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toAnyValue) } };
  if (value !== null && typeof value === 'object') return { kvlistValue: { values: toKeyValues(value as Record<string, unknown>) } };
  return {};
}

/** Encodes an attribute map as a KeyValue list, leaving out undefined values. */
export function toKeyValues(attributes: Readonly<Record<string, unknown>> | undefined): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  if (attributes) {
    for (const key of Object.keys(attributes)) {
      const value = attributes[key];
      if (value !== undefined) out.push({ key, value: toAnyValue(value) });
    }
  }
  return out;
}

/** Epoch milliseconds (fractions allowed) as an unsigned nanosecond string, without losing precision. */
export function millisToNanos(millis: number): string {
  if (!(millis > 0)) return '0';
  let whole = Math.floor(millis);
  let sub = Math.round((millis - whole) * 1e6);
  if (sub >= 1e6) {
    whole += 1;
    sub = 0;
  }
  return whole > 0 ? String(whole) + String(sub).padStart(6, '0') : String(sub);
}

/**
 * An OpenTelemetry TimeInput as a nanosecond string, with the API's
 * meaning: an HrTime `[seconds, nanos]`, a Date, or a number of
 * milliseconds that is epoch time, or `performance.now()` time when it is
 * below half of `performance.timeOrigin` (as the OpenTelemetry JS SDK reads it).
 */
export function timeToNanos(time: TimeInput): string {
  if (Array.isArray(time)) {
    const [seconds, nanos] = time;
    return seconds > 0 ? String(seconds) + String(nanos).padStart(9, '0') : String(Math.max(0, nanos));
  }
  if (time instanceof Date) return millisToNanos(time.getTime());
  const origin = typeof performance === 'undefined' ? 0 : performance.timeOrigin;
  return millisToNanos(time < origin / 2 ? origin + time : time);
}
