import { z } from 'zod';

/**
 * The OTLP/JSON shape (protobuf JSON mapping) as zod schemas. Protobuf
 * bodies are decoded into the same shape, so one validation serves both.
 * The envelope is checked first and each record on its own, so one bad
 * record becomes a partial success instead of failing the whole request.
 */

// 64-bit integers arrive as decimal strings (canonical) or JSON numbers.
// Range is checked here so one out-of-range value is rejected with its
// record instead of failing the whole ClickHouse insert it would join.
const UINT64_MAX = 18_446_744_073_709_551_615n;
const INT64_MAX = 9_223_372_036_854_775_807n;
const inRange = (min: bigint, max: bigint) => (v: string | number) => {
  // zod runs this even after the format check failed; that failure is already reported.
  if (typeof v === 'string' ? !/^-?\d+$/.test(v) : !Number.isInteger(v)) return true;
  const n = BigInt(v);
  return n >= min && n <= max;
};
// A JSON number is taken at the precision a double carries: zod's int() stops at 2^53, which
// nanosecond timestamps pass, so any whole number is accepted and range-checked as a bigint.
const wholeNumber = z.number().refine(Number.isInteger, 'expected an integer');
const nonNegativeWholeNumber = wholeNumber.refine((n) => n >= 0, 'expected a non-negative integer');
const uint64 = z
  .union([z.string().regex(/^\d{1,20}$/, 'expected an unsigned integer string'), nonNegativeWholeNumber])
  .refine(inRange(0n, UINT64_MAX), 'out of range for a 64-bit unsigned integer');
const int64 = z
  .union([z.string().regex(/^-?\d{1,19}$/, 'expected an integer string'), wholeNumber])
  .refine(inRange(-INT64_MAX - 1n, INT64_MAX), 'out of range for a 64-bit integer');
// Nanosecond timestamps are stored as DateTime64(9), which ends in 2262.
const timestamp = z
  .union([z.string().regex(/^\d{1,19}$/, 'expected nanoseconds since the epoch as an integer string'), nonNegativeWholeNumber])
  .refine(inRange(0n, INT64_MAX), 'timestamp is beyond year 2262');
// Doubles may be the special strings the JSON mapping allows.
const double = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);
// OTLP/JSON spells trace and span ids in hex; producers that serialise with a
// generic protobuf JSON library send the proto3 default, base64. The lengths
// never overlap (32 hex digits or 24 base64 characters for a trace id).
const hexId = (bytes: number) => {
  const hex = new RegExp(`^(?:[0-9a-fA-F]{${bytes * 2}})?$`);
  const base64 = new RegExp(`^[A-Za-z0-9+/_-]{${Math.ceil((bytes * 4) / 3)}}={0,2}$`);
  const paddedLength = Math.ceil(bytes / 3) * 4;
  return z
    .string()
    .refine((s) => hex.test(s) || (s.length <= paddedLength && base64.test(s)), `expected ${bytes * 2} hex digits`)
    .transform((s) => (hex.test(s) ? s.toLowerCase() : Buffer.from(s, 'base64').toString('hex')));
};
/**
 * A protobuf enum: OTLP/JSON sends the number, but the JSON mapping also
 * allows the value's name ("SEVERITY_NUMBER_INFO"), which some producers send.
 */
const protoEnum = (names: readonly [string, ...string[]]) =>
  z.union([z.number().int().min(0).max(names.length - 1), z.enum(names).transform((name) => names.indexOf(name))]);
const SEVERITY_NAMES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) => ['', '2', '3', '4'].map((n) => `SEVERITY_NUMBER_${level}${n}`)),
] as [string, ...string[]];
const temporality = protoEnum(['AGGREGATION_TEMPORALITY_UNSPECIFIED', 'AGGREGATION_TEMPORALITY_DELTA', 'AGGREGATION_TEMPORALITY_CUMULATIVE']).optional();
const spanKind = protoEnum(['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER']);
const statusCode = protoEnum(['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR']);

export type AnyValue = {
  stringValue?: string | undefined;
  boolValue?: boolean | undefined;
  intValue?: string | number | undefined;
  doubleValue?: number | string | undefined;
  arrayValue?: { values?: AnyValue[] | undefined } | undefined;
  kvlistValue?: { values?: KeyValue[] | undefined } | undefined;
  bytesValue?: string | undefined;
};
export type KeyValue = { key: string; value?: AnyValue | undefined };

export const anyValueSchema: z.ZodType<AnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: double.optional(),
    arrayValue: z.object({ values: z.array(anyValueSchema).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(keyValueSchema).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
);
export const keyValueSchema: z.ZodType<KeyValue> = z.lazy(() => z.object({ key: z.string(), value: anyValueSchema.optional() }));
const attributes = z.array(keyValueSchema).optional();

const resourceSchema = z.object({ attributes, droppedAttributesCount: z.number().optional() }).optional();
const scopeSchema = z
  .object({ name: z.string().optional(), version: z.string().optional(), attributes, droppedAttributesCount: z.number().optional() })
  .optional();

// ---- logs ----
export const logRecordSchema = z.object({
  timeUnixNano: timestamp.optional(),
  observedTimeUnixNano: timestamp.optional(),
  severityNumber: protoEnum(SEVERITY_NAMES).optional(),
  severityText: z.string().optional(),
  body: anyValueSchema.optional(),
  attributes,
  droppedAttributesCount: z.number().optional(),
  flags: z.number().int().nonnegative().optional(),
  traceId: hexId(16).optional(),
  spanId: hexId(8).optional(),
  eventName: z.string().optional(),
});
export type LogRecord = z.infer<typeof logRecordSchema>;

export const logsRequestSchema = z.object({
  resourceLogs: z
    .array(
      z.object({
        resource: resourceSchema,
        schemaUrl: z.string().optional(),
        scopeLogs: z
          .array(z.object({ scope: scopeSchema, schemaUrl: z.string().optional(), logRecords: z.array(z.unknown()).optional() }))
          .optional(),
      }),
    )
    .optional(),
});

// ---- metrics ----
const exemplars = z.array(z.unknown()).optional();
const pointBase = {
  attributes,
  startTimeUnixNano: timestamp.optional(),
  timeUnixNano: timestamp.optional(),
  flags: z.number().int().min(0).max(4_294_967_295).optional(),
  exemplars,
};
export const numberPointSchema = z.object({ ...pointBase, asDouble: double.optional(), asInt: int64.optional() });
export const histogramPointSchema = z.object({
  ...pointBase,
  count: uint64.optional(),
  sum: double.optional(),
  bucketCounts: z.array(uint64).optional(),
  explicitBounds: z.array(double).optional(),
  min: double.optional(),
  max: double.optional(),
});
const int32 = z.number().int().min(-2_147_483_648).max(2_147_483_647);
const buckets = z.object({ offset: int32.optional(), bucketCounts: z.array(uint64).optional() }).optional();
export const exponentialHistogramPointSchema = z.object({
  ...pointBase,
  count: uint64.optional(),
  sum: double.optional(),
  scale: z.number().int().min(-10).max(20).optional(),
  zeroCount: uint64.optional(),
  zeroThreshold: double.optional(),
  positive: buckets,
  negative: buckets,
  min: double.optional(),
  max: double.optional(),
});
export const summaryPointSchema = z.object({
  ...pointBase,
  count: uint64.optional(),
  sum: double.optional(),
  quantileValues: z.array(z.object({ quantile: double.optional(), value: double.optional() })).optional(),
});
export type NumberPoint = z.infer<typeof numberPointSchema>;
export type HistogramPoint = z.infer<typeof histogramPointSchema>;
export type ExponentialHistogramPoint = z.infer<typeof exponentialHistogramPointSchema>;
export type SummaryPoint = z.infer<typeof summaryPointSchema>;

const points = z.array(z.unknown()).optional();
export const metricSchema = z.object({
  name: z.string().min(1, 'metric name must not be empty'),
  description: z.string().optional(),
  unit: z.string().optional(),
  gauge: z.object({ dataPoints: points }).optional(),
  sum: z.object({ dataPoints: points, aggregationTemporality: temporality, isMonotonic: z.boolean().optional() }).optional(),
  histogram: z.object({ dataPoints: points, aggregationTemporality: temporality }).optional(),
  exponentialHistogram: z.object({ dataPoints: points, aggregationTemporality: temporality }).optional(),
  summary: z.object({ dataPoints: points }).optional(),
});
export type Metric = z.infer<typeof metricSchema>;

export const metricsRequestSchema = z.object({
  resourceMetrics: z
    .array(
      z.object({
        resource: resourceSchema,
        schemaUrl: z.string().optional(),
        scopeMetrics: z
          .array(z.object({ scope: scopeSchema, schemaUrl: z.string().optional(), metrics: z.array(z.unknown()).optional() }))
          .optional(),
      }),
    )
    .optional(),
});

// ---- traces ----
export const spanSchema = z.object({
  traceId: hexId(16),
  spanId: hexId(8),
  traceState: z.string().optional(),
  parentSpanId: hexId(8).optional(),
  flags: z.number().int().nonnegative().optional(),
  name: z.string().optional(),
  kind: spanKind.optional(),
  startTimeUnixNano: timestamp.optional(),
  endTimeUnixNano: timestamp.optional(),
  attributes,
  status: z.object({ message: z.string().optional(), code: statusCode.optional() }).optional(),
});
export type Span = z.infer<typeof spanSchema>;

export const tracesRequestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: resourceSchema,
        schemaUrl: z.string().optional(),
        scopeSpans: z.array(z.object({ scope: scopeSchema, schemaUrl: z.string().optional(), spans: z.array(z.unknown()).optional() })).optional(),
      }),
    )
    .optional(),
});

export type Resource = z.infer<typeof resourceSchema>;
export type Scope = z.infer<typeof scopeSchema>;

/** Formats a zod error as `path: message` pairs a client can act on. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = [prefix, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/^\./, '');
      return `${path || '(root)'}: ${i.message}`;
    })
    .join('; ');
}
