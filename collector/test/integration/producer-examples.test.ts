import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * Requests shaped like the examples published with the OTLP protocol (a log
 * record with every attribute type, an event, one metric of each kind, spans
 * with events and links), sent as the producers out there send them: OTLP/
 * JSON, gzip, gzip protobuf as the OpenTelemetry Collector's otlphttp
 * exporter forwards them, and the liberties the protobuf JSON mapping allows
 * (enum names, proto field names, base64 ids, deflate, a charset). Every one
 * is accepted whole.
 */

type Json = Record<string, unknown>;
const FIXTURES = fileURLToPath(new URL('../fixtures/otlp-examples/', import.meta.url));
const EXAMPLE_EPOCH_NANOS = 1_732_435_200_000_000_000n;

/** An example with its times moved to now (retention would drop its 2024 rows) and its service renamed. */
function example(name: 'logs' | 'events' | 'metrics' | 'traces', service: string): Json {
  const shift = BigInt(Date.now()) * 1_000_000n - EXAMPLE_EPOCH_NANOS - 60_000_000_000n;
  const text = readFileSync(join(FIXTURES, `${name}.json`), 'utf8')
    .replace(/"(\d{19})"/g, (_, nanos: string) => `"${BigInt(nanos) + shift}"`)
    .replace(/("key": "service\.name", "value": \{ "stringValue": )"[^"]*"/g, `$1${JSON.stringify(service)}`);
  return JSON.parse(text) as Json;
}

/** Log records, metric points and spans in a request. */
const RECORDS = { logs: 2, events: 1, metrics: 5, traces: 2 } as const;
const SIGNAL = { logs: 'logs', events: 'logs', metrics: 'metrics', traces: 'traces' } as const;
const REQUEST_TYPE = {
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
} as const;

const protoRoot = new protobuf.Root();
protoRoot.resolvePath = (_origin, target) => join(fileURLToPath(new URL('../../proto/', import.meta.url)), target);
for (const signal of ['logs', 'metrics'] as const) protoRoot.loadSync(`opentelemetry/proto/collector/${signal}/v1/${signal}_service.proto`);
protoRoot.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto');

/** Applies `change` to every id field (hex in OTLP/JSON) throughout a request. */
function mapIds(value: unknown, change: (hex: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapIds(v, change));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [key, /^(traceId|spanId|parentSpanId)$/.test(key) && typeof field === 'string' ? change(field) : mapIds(field, change)]),
  );
}
const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/** The binary protobuf of an OTLP/JSON request (protobufjs reads bytes fields as base64). */
function toProtobuf(signal: keyof typeof REQUEST_TYPE, request: Json): Uint8Array<ArrayBuffer> {
  const type = protoRoot.lookupType(REQUEST_TYPE[signal]);
  return new Uint8Array(type.encode(type.fromObject(mapIds(request, hexToBase64) as Json)).finish());
}

/** The same request with every field under its proto name (`time_unix_nano`). */
function withProtoFieldNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withProtoFieldNames);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), withProtoFieldNames(field)]));
}

let collector: RunningCollector;
let removeData: () => Promise<void>;
beforeAll(async () => {
  const data = freshDataDir();
  removeData = data.remove;
  collector = await startTestCollector(data.dir);
});
afterAll(async () => {
  await collector?.stop();
  await removeData?.();
});

async function post(signal: string, body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(`${collector.url}/v1/${signal}`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

async function rows<T>(query: string): Promise<T[]> {
  const result = await collector.store.client.query({ query: query.replaceAll('{db}', collector.store.database), format: 'JSONEachRow' });
  return result.json<T>();
}

/** Records stored for `service` in the tables of the example's signal. */
async function storedFor(name: keyof typeof RECORDS, service: string): Promise<number> {
  const tables =
    SIGNAL[name] === 'metrics'
      ? ['metrics_sum', 'metrics_gauge', 'metrics_histogram', 'metrics_exponential_histogram', 'metrics_summary']
      : [SIGNAL[name] === 'logs' ? 'logs' : 'traces'];
  const counts = await Promise.all(
    tables.map((table) => rows<{ n: string }>(`SELECT count() AS n FROM {db}.${table} WHERE ServiceName = '${service}'`)),
  );
  return counts.reduce((sum, [row]) => sum + Number(row!.n), 0);
}

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('the OTLP examples', () => {
  const sends = {
    json: (name: keyof typeof RECORDS, service: string) => post(SIGNAL[name], JSON.stringify(example(name, service)), JSON_HEADERS),
    'gzip JSON': (name: keyof typeof RECORDS, service: string) =>
      post(SIGNAL[name], gzipSync(JSON.stringify(example(name, service))), { ...JSON_HEADERS, 'content-encoding': 'gzip' }),
    'gzip protobuf, as the Collector forwards them': (name: keyof typeof RECORDS, service: string) =>
      post(SIGNAL[name], gzipSync(toProtobuf(SIGNAL[name], example(name, service))), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }),
  };
  for (const [how, send] of Object.entries(sends)) {
    it(`are accepted whole as ${how}`, async () => {
      for (const name of Object.keys(RECORDS) as (keyof typeof RECORDS)[]) {
        const service = `example-${name}-${how.split(',')[0]!.replace(' ', '-')}`;
        const { status, text } = await send(name, service);
        expect(status, `${name}: ${text}`).toBe(200);
        // No partial success: an empty response ({} in JSON, no bytes in protobuf).
        expect(text === '' || text === '{}', `${name} answered ${text}`).toBe(true);
        await collector.writer.flush();
        expect(await storedFor(name, service), name).toBe(RECORDS[name]);
      }
    });
  }

  it('keep what they carry: severity, ids, every attribute type, event name, metric kinds', async () => {
    await post('logs', JSON.stringify(example('logs', 'example-content')), JSON_HEADERS);
    await post('logs', JSON.stringify(example('events', 'example-content')), JSON_HEADERS);
    await collector.writer.flush();
    const logs = await rows<{ SeverityNumber: number; TraceId: string; SpanId: string; EventName: string; attrs: string[] }>(
      `SELECT SeverityNumber, TraceId, SpanId, EventName, mapKeys(LogAttributes) AS attrs FROM {db}.logs WHERE ServiceName = 'example-content' ORDER BY Timestamp`,
    );
    expect(logs.map((l) => l.SeverityNumber)).toEqual([9, 17, 9]);
    expect(logs[0]).toMatchObject({ TraceId: '6b1e2f3a4c5d6e7f8091a2b3c4d5e6f7', SpanId: '1a2b3c4d5e6f7081' });
    expect(logs[0]!.attrs).toEqual(expect.arrayContaining(['text.attr', 'flag.attr', 'count.attr', 'ratio.attr', 'list.attr', 'map.attr', 'raw.attr']));
    expect(logs[2]!.EventName).toBe('device.app.lifecycle');
  });
});

describe('producer quirks the protobuf JSON mapping allows', () => {
  it('enum values by name', async () => {
    const logs = example('logs', 'quirk-enum-names');
    const record = (logs.resourceLogs as Json[])[0]!.scopeLogs as Json[];
    ((record[0]!.logRecords as Json[])[0]!).severityNumber = 'SEVERITY_NUMBER_INFO2';
    const metrics = JSON.stringify(example('metrics', 'quirk-enum-names')).replace('"aggregationTemporality":2', '"aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE"');
    const traces = JSON.stringify(example('traces', 'quirk-enum-names'))
      .replace('"kind":2', '"kind":"SPAN_KIND_SERVER"')
      .replace('"code":2', '"code":"STATUS_CODE_ERROR"');
    expect(metrics).toContain('AGGREGATION_TEMPORALITY_CUMULATIVE');
    expect(traces).toContain('SPAN_KIND_SERVER');
    expect(traces).toContain('STATUS_CODE_ERROR');
    for (const [signal, body] of [['logs', JSON.stringify(logs)], ['metrics', metrics], ['traces', traces]] as const) {
      const { status, text } = await post(signal, body, JSON_HEADERS);
      expect({ signal, status, text }).toEqual({ signal, status: 200, text: '{}' });
    }
    await collector.writer.flush();
    expect(await rows(`SELECT SeverityNumber FROM {db}.logs WHERE ServiceName = 'quirk-enum-names' ORDER BY Timestamp`)).toEqual([{ SeverityNumber: 10 }, { SeverityNumber: 17 }]);
    expect(await rows(`SELECT AggregationTemporality FROM {db}.metrics_sum WHERE ServiceName = 'quirk-enum-names'`)).toEqual([{ AggregationTemporality: 2 }]);
    expect(await rows(`SELECT SpanKind, StatusCode FROM {db}.traces WHERE ServiceName = 'quirk-enum-names' ORDER BY Timestamp`)).toEqual([
      { SpanKind: 'Server', StatusCode: 'Ok' },
      { SpanKind: 'Client', StatusCode: 'Error' },
    ]);
  });

  it('an enum name that does not exist refuses its record only, naming the field', async () => {
    const logs = JSON.stringify(example('logs', 'quirk-bad-enum')).replace('"severityNumber":9', '"severityNumber":"SEVERITY_NUMBER_LOUD"');
    const { status, text } = await post('logs', logs, JSON_HEADERS);
    expect(status).toBe(200);
    const partial = (JSON.parse(text) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } }).partialSuccess;
    expect(partial.rejectedLogRecords).toBe('1');
    expect(partial.errorMessage).toMatch(/severityNumber/);
  });

  it('field names as the .proto spells them (resource_logs, time_unix_nano)', async () => {
    for (const name of ['logs', 'metrics', 'traces'] as const) {
      const service = `quirk-proto-names-${name}`;
      const { status, text } = await post(SIGNAL[name], JSON.stringify(withProtoFieldNames(example(name, service))), JSON_HEADERS);
      expect({ name, status, text }).toEqual({ name, status: 200, text: '{}' });
      await collector.writer.flush();
      expect(await storedFor(name, service), name).toBe(RECORDS[name]);
    }
    const [span] = await rows<{ TraceId: string; ParentSpanId: string; ms: number }>(
      `SELECT TraceId, ParentSpanId, Duration / 1e6 AS ms FROM {db}.traces WHERE ServiceName = 'quirk-proto-names-traces' AND SpanName = 'write frame'`,
    );
    expect(span).toEqual({ TraceId: '6b1e2f3a4c5d6e7f8091a2b3c4d5e6f7', ParentSpanId: '1a2b3c4d5e6f7081', ms: 1 });
  });

  it('trace and span ids in base64, as generic protobuf JSON writers spell bytes', async () => {
    const traces = mapIds(example('traces', 'quirk-base64-ids'), hexToBase64);
    expect(JSON.stringify(traces)).toContain('"traceId":"ax4vOkxdbn+AkaKzxNXm9w=="');
    const { status, text } = await post('traces', JSON.stringify(traces), JSON_HEADERS);
    expect({ status, text }).toEqual({ status: 200, text: '{}' });
    await collector.writer.flush();
    expect(await rows(`SELECT TraceId, SpanId, ParentSpanId FROM {db}.traces WHERE ServiceName = 'quirk-base64-ids' ORDER BY Timestamp`)).toEqual([
      { TraceId: '6b1e2f3a4c5d6e7f8091a2b3c4d5e6f7', SpanId: '1a2b3c4d5e6f7081', ParentSpanId: '' },
      { TraceId: '6b1e2f3a4c5d6e7f8091a2b3c4d5e6f7', SpanId: '2b3c4d5e6f708192', ParentSpanId: '1a2b3c4d5e6f7081' },
    ]);
  });

  it('a charset on the content type, and deflate as the Python exporter can send', async () => {
    const charset = await post('logs', JSON.stringify(example('events', 'quirk-charset')), { 'content-type': 'application/json; charset=utf-8' });
    expect(charset.status).toBe(200);
    const deflated = await post('logs', deflateSync(toProtobuf('logs', example('logs', 'quirk-deflate'))), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'deflate',
    });
    expect(deflated.status).toBe(200);
    await collector.writer.flush();
    expect(await storedFor('events', 'quirk-charset')).toBe(1);
    expect(await storedFor('logs', 'quirk-deflate')).toBe(2);
    // A body that is not what its Content-Encoding says is a client error, named as such.
    const wrong = await post('logs', 'plain text', { ...JSON_HEADERS, 'content-encoding': 'deflate' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toMatch(/not valid gzip or deflate/);
  });
});
