import { describe, expect, it } from 'vitest';
import protobuf from 'protobufjs';
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, ValueType } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { OtlpDecodeError } from '../../src/errors.js';
import { decodeProtobufRequest, encodeProtobufResponse, encodeProtobufStatus } from '../../src/otlp/protobuf-codec.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const LINK_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const LINK_SPAN_ID = '00f067aa0ba902b7';

const resource = resourceFromAttributes({ 'service.name': 'codec-test', 'service.instance.id': 'i-1', 'host.cpus': 8 });

/**
 * The official JSON serializer's output, normalised to what proto3 JSON
 * (and so our decoder) produces. The allowed differences are exactly:
 *  1. The JSON serializer writes 64-bit integers (intValue, asInt, count,
 *     zeroCount, bucketCounts) as JSON numbers; OTLP/JSON and our decoder use
 *     decimal strings. Timestamps are strings on both sides already.
 *  2. The JSON serializer writes default values (0, '', false, []) for fields
 *     without presence; proto3 omits them. Fields with presence (AnyValue and
 *     data-point value oneof members, optional sum/min/max) keep their zeros.
 *  3. It writes undefined members, which JSON.stringify already drops.
 */
const INT64_KEYS = new Set(['intValue', 'asInt', 'count', 'zeroCount', 'bucketCounts']);
const PRESENCE_KEYS = new Set([
  'stringValue', 'boolValue', 'intValue', 'doubleValue', 'bytesValue', 'asInt', 'asDouble', 'sum', 'min', 'max',
]);

function normaliseJson(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => normaliseJson(item, key));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const isDefault = v === 0 || v === '' || v === false || (Array.isArray(v) && v.length === 0);
      if (isDefault && !PRESENCE_KEYS.has(k)) continue;
      out[k] = normaliseJson(v, k);
    }
    return out;
  }
  if (typeof value === 'number' && key !== undefined && INT64_KEYS.has(key)) return String(value);
  return value;
}

function jsonOf(bytes: Uint8Array | undefined): unknown {
  if (!bytes) throw new Error('serializer returned nothing');
  return normaliseJson(JSON.parse(Buffer.from(bytes).toString('utf8')));
}

function protoOf(bytes: Uint8Array | undefined): Uint8Array {
  if (!bytes) throw new Error('serializer returned nothing');
  return bytes;
}

async function sdkLogRecords() {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('codec-test-logger', '1.2.3');
  const inSpan = trace.setSpanContext(context.active(), {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
  });
  logger.emit({
    timestamp: new Date('2024-05-01T12:00:00.123Z'),
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    eventName: 'socket.open',
    body: 'connection opened',
    context: inSpan,
    attributes: { 'net.peer.port': 443, 'ratio': 0.25, 'secure': true, 'tags': ['a', 'b'], 'raw': new Uint8Array([0, 1, 254, 255]) },
  });
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    body: { reason: 'timeout', retries: 3, nested: { ok: false, list: [1, 2.5, 'x'] } },
    attributes: { zero: 0, empty: '', no: false, negative: -7 },
  });
  logger.emit({ body: 42 });
  await provider.forceFlush();
  return exporter.getFinishedLogRecords();
}

class CollectingReader extends MetricReader {
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

async function sdkResourceMetrics() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [{ instrumentName: 'message.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('codec-test-meter', '0.1.0');
  const sent = meter.createCounter('messages.sent', { valueType: ValueType.INT, unit: '{message}' });
  sent.add(5, { room: 'a' });
  sent.add(7, { room: 'b' });
  const connections = meter.createUpDownCounter('connections.open', { valueType: ValueType.DOUBLE });
  connections.add(2.5);
  connections.add(-1);
  meter.createGauge('queue.depth', { description: 'pending messages' }).record(3.25, { queue: 'q1' });
  const latency = meter.createHistogram('delivery.latency', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [1, 10, 100] },
  });
  for (const v of [0.5, 4, 12.5, 250]) latency.record(v, { path: '/ws' });
  const size = meter.createHistogram('message.size', { unit: 'By' });
  for (const v of [0, 0, 3, 17, 1024, 65_536]) size.record(v);
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

async function sdkSpans() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('codec-test-tracer', '2.0.0');
  const parent = tracer.startSpan('ws.session', { kind: SpanKind.SERVER, attributes: { 'user.id': 'u-1' } });
  const child = tracer.startSpan(
    'deliver',
    {
      kind: SpanKind.PRODUCER,
      attributes: { attempt: 2, 'payload.bytes': 1.5 },
      links: [
        {
          context: { traceId: LINK_TRACE_ID, spanId: LINK_SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: true },
          attributes: { 'link.kind': 'fanout' },
        },
      ],
    },
    trace.setSpan(context.active(), parent),
  );
  child.addEvent('retry', { 'retry.delay_ms': 250 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'peer gone' });
  child.end();
  parent.setStatus({ code: SpanStatusCode.OK });
  parent.end();
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

describe('decodeProtobufRequest against the official OpenTelemetry JS serializers', () => {
  it('logs: protobuf decodes to the same object as the JSON serializer', async () => {
    const records = await sdkLogRecords();
    const decoded = decodeProtobufRequest('logs', protoOf(ProtobufLogsSerializer.serializeRequest(records)));
    expect(decoded).toEqual(jsonOf(JsonLogsSerializer.serializeRequest(records)));

    const first = (decoded as any).resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(first.traceId).toBe(TRACE_ID);
    expect(first.spanId).toBe(SPAN_ID);
    expect(first.timeUnixNano).toBe('1714564800123000000');
    expect(first.severityNumber).toBe(9);
  });

  it('metrics: sum, gauge, histogram and exponential histogram match the JSON serializer', async () => {
    const resourceMetrics = await sdkResourceMetrics();
    const decoded = decodeProtobufRequest('metrics', protoOf(ProtobufMetricsSerializer.serializeRequest(resourceMetrics)));
    expect(decoded).toEqual(jsonOf(JsonMetricsSerializer.serializeRequest(resourceMetrics)));

    const metrics: any[] = (decoded as any).resourceMetrics[0].scopeMetrics[0].metrics;
    const byName = Object.fromEntries(metrics.map((m) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(
      ['connections.open', 'delivery.latency', 'message.size', 'messages.sent', 'queue.depth'],
    );
    expect(byName['messages.sent'].sum.dataPoints.map((p: any) => p.asInt).sort()).toEqual(['5', '7']);
    expect(byName['connections.open'].sum.dataPoints[0].asDouble).toBe(1.5);
    expect(byName['queue.depth'].gauge.dataPoints[0].asDouble).toBe(3.25);
    const hist = byName['delivery.latency'].histogram.dataPoints[0];
    expect(hist).toMatchObject({ count: '4', sum: 267, min: 0.5, max: 250, bucketCounts: ['1', '1', '1', '1'], explicitBounds: [1, 10, 100] });
    expect(typeof hist.timeUnixNano).toBe('string');
    const exp = byName['message.size'].exponentialHistogram.dataPoints[0];
    expect(exp).toMatchObject({ count: '6', zeroCount: '2', min: 0, max: 65_536 });
    expect(exp.positive.bucketCounts.every((c: unknown) => typeof c === 'string')).toBe(true);
  });

  it('traces: spans with events, links and status match the JSON serializer', async () => {
    const spans = await sdkSpans();
    const decoded = decodeProtobufRequest('traces', protoOf(ProtobufTraceSerializer.serializeRequest(spans)));
    expect(decoded).toEqual(jsonOf(JsonTraceSerializer.serializeRequest(spans)));

    const out: any[] = (decoded as any).resourceSpans[0].scopeSpans[0].spans;
    const child = out.find((s) => s.name === 'deliver');
    const parent = out.find((s) => s.name === 'ws.session');
    expect(child.parentSpanId).toBe(parent.spanId);
    expect(child.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(child.links[0]).toMatchObject({ traceId: LINK_TRACE_ID, spanId: LINK_SPAN_ID });
    expect(child.status).toEqual({ code: 2, message: 'peer gone' });
    expect(child.kind).toBe(4); // API PRODUCER (3) + 1
    expect(child.events[0].name).toBe('retry');
  });
});

/** An independent minimal schema (upstream field numbers) used to hand-build inputs and read outputs. */
const testRoot = protobuf.parse(`
  syntax = "proto3";
  package t;
  message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3;
    double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
  message ArrayValue { repeated AnyValue values = 1; }
  message KeyValueList { repeated KeyValue values = 1; }
  message KeyValue { string key = 1; AnyValue value = 2; }
  message LogRecord { fixed64 time_unix_nano = 1; AnyValue body = 5; repeated KeyValue attributes = 6;
    bytes trace_id = 9; bytes span_id = 10; }
  message ScopeLogs { repeated LogRecord log_records = 2; }
  message ResourceLogs { repeated ScopeLogs scope_logs = 2; }
  message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
  message Exemplar { fixed64 time_unix_nano = 2; double as_double = 3; bytes span_id = 4; bytes trace_id = 5; }
  message NumberDataPoint { fixed64 time_unix_nano = 3; sfixed64 as_int = 6; repeated Exemplar exemplars = 5; }
  message Gauge { repeated NumberDataPoint data_points = 1; }
  message Metric { string name = 1; Gauge gauge = 5; }
  message ScopeMetrics { repeated Metric metrics = 2; }
  message ResourceMetrics { repeated ScopeMetrics scope_metrics = 2; }
  message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
  message Any { string type_url = 1; bytes value = 2; }
  message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
`).root;

function encodeWith(typeName: string, value: Record<string, unknown>): Uint8Array {
  const type = testRoot.lookupType(`t.${typeName}`);
  return type.encode(type.fromObject(value)).finish();
}

describe('decodeProtobufRequest value conversion', () => {
  it('keeps every attribute value kind, with int64 beyond 2^53 as an exact string', () => {
    const attributes = [
      { key: 's', value: { stringValue: 'héllo' } },
      { key: 'empty', value: { stringValue: '' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'f', value: { boolValue: false } },
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'min', value: { intValue: '-9223372036854775808' } },
      { key: 'neg', value: { intValue: -5 } },
      { key: 'd', value: { doubleValue: 0.1 } },
      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: 1 }, { doubleValue: -2.5 }] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: true } }] } } },
      { key: 'bytes', value: { bytesValue: Buffer.from([0, 1, 2, 253, 254, 255]) } },
      { key: 'unset', value: {} },
    ];
    const body = encodeWith('ExportLogsServiceRequest', {
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '18446744073709551615', attributes }] }] }],
    });
    const decoded = decodeProtobufRequest('logs', body) as any;
    const record = decoded.resourceLogs[0].scopeLogs[0].logRecords[0];
    expect(record.timeUnixNano).toBe('18446744073709551615');
    expect(record.attributes).toEqual([
      { key: 's', value: { stringValue: 'héllo' } },
      { key: 'empty', value: { stringValue: '' } },
      { key: 'b', value: { boolValue: true } },
      { key: 'f', value: { boolValue: false } },
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'min', value: { intValue: '-9223372036854775808' } },
      { key: 'neg', value: { intValue: '-5' } },
      { key: 'd', value: { doubleValue: 0.1 } },
      { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '1' }, { doubleValue: -2.5 }] } } },
      { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { boolValue: true } }] } } },
      { key: 'bytes', value: { bytesValue: Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64') } },
      { key: 'unset', value: {} },
    ]);
    // Ids present only here; absent ids must stay absent rather than become ''.
    expect(record).not.toHaveProperty('traceId');
    expect(record).not.toHaveProperty('spanId');
  });

  it('spells exemplar ids as hex and keeps fixed64/sfixed64 as strings', () => {
    const body = encodeWith('ExportMetricsServiceRequest', {
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{
        timeUnixNano: '1714564800123456789',
        asInt: '-9007199254740993',
        exemplars: [{ timeUnixNano: '1', asDouble: 2.5, traceId: Buffer.from(TRACE_ID, 'hex'), spanId: Buffer.from(SPAN_ID, 'hex') }],
      }] } }] }] }],
    });
    const decoded = decodeProtobufRequest('metrics', body) as any;
    const point = decoded.resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0];
    expect(point).toEqual({
      timeUnixNano: '1714564800123456789',
      asInt: '-9007199254740993',
      exemplars: [{ timeUnixNano: '1', asDouble: 2.5, traceId: TRACE_ID, spanId: SPAN_ID }],
    });
  });

  it('accepts a Uint8Array that is a view into a larger buffer', () => {
    const inner = encodeWith('ExportLogsServiceRequest', {
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'in the middle' } }] }] }],
    });
    const big = new Uint8Array(inner.length + 20).fill(0xff);
    big.set(inner, 10);
    const decoded = decodeProtobufRequest('logs', big.subarray(10, 10 + inner.length)) as any;
    expect(decoded.resourceLogs[0].scopeLogs[0].logRecords[0].body).toEqual({ stringValue: 'in the middle' });
  });

  it('an empty body is an empty request', () => {
    expect(decodeProtobufRequest('traces', new Uint8Array())).toEqual({});
  });
});

describe('decodeProtobufRequest on bad input', () => {
  const garbage: Array<[string, Uint8Array]> = [
    ['text', new TextEncoder().encode('this is not protobuf at all')],
    ['overlong varint', new Uint8Array(11).fill(0xff)],
    ['truncated message', new Uint8Array([0x0a, 0x10, 0x12, 0x03])],
    ['field number 0', new Uint8Array([0x00, 0x01])],
  ];
  for (const [label, bytes] of garbage) {
    it(`throws OtlpDecodeError for ${label}`, () => {
      for (const signal of ['logs', 'metrics', 'traces'] as const) {
        let caught: unknown;
        try {
          decodeProtobufRequest(signal, bytes);
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(OtlpDecodeError);
        const err = caught as OtlpDecodeError;
        expect(err.code).toBe('OTLP_DECODE');
        expect(err.message).toContain(signal);
        expect(err.cause).toBeInstanceOf(Error);
        expect(err.message).toContain((err.cause as Error).message);
      }
    });
  }
});

describe('encodeProtobufResponse / encodeProtobufStatus', () => {
  it('full success is an empty message', () => {
    for (const signal of ['logs', 'metrics', 'traces'] as const) {
      expect(encodeProtobufResponse(signal, {}).length).toBe(0);
    }
  });

  it('partial success round-trips through the official OpenTelemetry response deserializers', () => {
    const partial = { rejected: 3, errorMessage: '3 records had no timestamp' };
    expect(ProtobufLogsSerializer.deserializeResponse(encodeProtobufResponse('logs', { partialSuccess: partial })))
      .toEqual({ partialSuccess: { rejectedLogRecords: 3, errorMessage: partial.errorMessage } });
    expect(ProtobufMetricsSerializer.deserializeResponse(encodeProtobufResponse('metrics', { partialSuccess: partial })))
      .toEqual({ partialSuccess: { rejectedDataPoints: 3, errorMessage: partial.errorMessage } });
    expect(ProtobufTraceSerializer.deserializeResponse(encodeProtobufResponse('traces', { partialSuccess: partial })))
      .toEqual({ partialSuccess: { rejectedSpans: 3, errorMessage: partial.errorMessage } });
  });

  it('google.rpc.Status decodes back to the given code and message', () => {
    const bytes = encodeProtobufStatus({ code: 3, message: 'request body is not a valid ExportLogsServiceRequest' });
    const type = testRoot.lookupType('t.Status');
    expect(type.toObject(type.decode(bytes))).toEqual({
      code: 3,
      message: 'request body is not a valid ExportLogsServiceRequest',
    });
  });
});
