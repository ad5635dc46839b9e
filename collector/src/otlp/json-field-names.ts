/**
 * The protobuf JSON mapping lets a parser accept a field under its proto
 * name (`resource_logs`, `time_unix_nano`) as well as its JSON name
 * (`resourceLogs`). OTLP/JSON producers use the JSON names, but some built on
 * generic protobuf libraries keep the proto names; this re-spells those.
 *
 * Only requests whose top level uses a proto name are walked, so the usual
 * request costs one look at its top-level keys. Every object key in an OTLP
 * request is a field name (attribute keys are values of `key`), so renaming
 * keys never touches telemetry.
 */
export function withJsonFieldNames(request: unknown): unknown {
  if (!isObject(request) || !Object.keys(request).some((key) => key.includes('_'))) return request;
  return respell(request);
}

function respell(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(respell);
  if (!isObject(value)) return value;
  // fromEntries defines own properties, so a "__proto__" key stays data.
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), respell(field)]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
