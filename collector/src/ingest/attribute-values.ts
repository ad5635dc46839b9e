import type { AnyValue, KeyValue } from '../otlp/otlp-schema.js';
import type { AttributeTrim } from './attribute-limits.js';

/**
 * Flattens an OTLP AnyValue to the string stored in a Map(String, String)
 * column: scalars as their text, arrays and key-value lists as JSON, bytes
 * as base64 (already so on the wire).
 */
export function anyValueToString(value: AnyValue | undefined): string {
  if (value === undefined) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.boolValue !== undefined) return value.boolValue ? 'true' : 'false';
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue !== undefined || value.kvlistValue !== undefined) return JSON.stringify(anyValueToJson(value));
  return '';
}

/** AnyValue as plain JSON, for nested values. */
function anyValueToJson(value: AnyValue | undefined): unknown {
  if (value === undefined) return null;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(anyValueToJson);
  if (value.kvlistValue !== undefined) {
    const out: Record<string, unknown> = {};
    for (const kv of value.kvlistValue.values ?? []) out[kv.key] = anyValueToJson(kv.value);
    return out;
  }
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

/**
 * Attribute list to a string map; a repeated key keeps its last value, as
 * the SDKs do. `trim` bounds the number of keys and each value's length.
 */
export function attributesToMap(attributes: readonly KeyValue[] | undefined, trim: AttributeTrim): Record<string, string> {
  const out: Record<string, string> = {};
  if (!attributes) return out;
  let size = 0;
  for (const kv of attributes) {
    const known = kv.key in out;
    if (!known && !trim.admits(size)) continue;
    if (!known) size += 1;
    out[kv.key] = trim.value(anyValueToString(kv.value));
  }
  return out;
}
