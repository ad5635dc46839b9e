import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * Property-based bad input: whatever a client sends, the collector answers
 * with a success or a 4xx that says why, never a 500 and never a hang, and
 * keeps serving. Each property reports how many cases it ran.
 */

const RUNS = 200;
const TIMEOUT_MILLIS = 10_000;
const data = freshDataDir();
let collector: RunningCollector;
const ran: Record<string, number> = {};

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
});
afterAll(async () => {
  console.log(`fuzz cases run: ${JSON.stringify(ran)}`);
  await collector?.stop();
  await data.remove();
});

async function send(path: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(`${collector.url}${path}`, { ...init, signal: AbortSignal.timeout(TIMEOUT_MILLIS) });
  await response.arrayBuffer();
  return response.status;
}

const isClientOutcome = (status: number) => status === 200 || (status >= 400 && status < 500 && status !== 408);

/** Sometimes the right type, sometimes anything JSON can hold. */
const or = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });

const nanos = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
  fc.double({ noNaN: false }),
  fc.integer(),
  fc.constantFrom('', '-1', '1e18', '0x10', ' 1', '18446744073709551616'),
);
const anyValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.record({ stringValue: or(fc.string()) }),
    fc.record({ intValue: or(nanos) }),
    fc.record({ doubleValue: or(fc.oneof(fc.double(), fc.constantFrom('NaN', 'Infinity', 'nope'))) }),
    fc.record({ boolValue: or(fc.boolean()) }),
    fc.record({ bytesValue: or(fc.base64String()) }),
    fc.record({ arrayValue: fc.record({ values: or(fc.array(tie('value'), { maxLength: 3 })) }) }),
    fc.record({ kvlistValue: fc.record({ values: or(fc.array(fc.record({ key: or(fc.string()), value: tie('value') }), { maxLength: 3 })) }) }),
    fc.constant({}),
  ),
})).value;
const attributes = or(fc.array(fc.record({ key: or(fc.string()), value: or(anyValue) }, { requiredKeys: [] }), { maxLength: 5 }));
const hex = (length: number) => fc.oneof(fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`)), fc.string());
const logRecord = fc.record(
  {
    timeUnixNano: or(nanos),
    observedTimeUnixNano: or(nanos),
    severityNumber: or(fc.integer({ min: -5, max: 30 })),
    severityText: or(fc.string()),
    eventName: or(fc.constantFrom('conn.open', 'conn.close', 'msg.sent', 'msg.acked', '')),
    body: or(anyValue),
    attributes,
    traceId: or(hex(32)),
    spanId: or(hex(16)),
    flags: or(fc.integer()),
  },
  { requiredKeys: [] },
);
const resource = or(fc.record({ attributes }, { requiredKeys: [] }));
const logsRequest = fc.record(
  { resourceLogs: or(fc.array(fc.record({ resource, scopeLogs: or(fc.array(fc.record({ logRecords: or(fc.array(logRecord, { maxLength: 4 })) }, { requiredKeys: [] }), { maxLength: 2 })) }, { requiredKeys: [] }), { maxLength: 2 })) },
  { requiredKeys: [] },
);
const point = fc.record(
  {
    timeUnixNano: or(nanos),
    startTimeUnixNano: or(nanos),
    asInt: or(nanos),
    asDouble: or(fc.double()),
    count: or(nanos),
    sum: or(fc.double()),
    bucketCounts: or(fc.array(nanos, { maxLength: 4 })),
    explicitBounds: or(fc.array(fc.double(), { maxLength: 3 })),
    attributes,
  },
  { requiredKeys: [] },
);
const metric = fc.record(
  {
    name: or(fc.string()),
    sum: or(fc.record({ aggregationTemporality: or(fc.integer({ min: -1, max: 3 })), isMonotonic: or(fc.boolean()), dataPoints: or(fc.array(point, { maxLength: 3 })) }, { requiredKeys: [] })),
    gauge: or(fc.record({ dataPoints: or(fc.array(point, { maxLength: 3 })) }, { requiredKeys: [] })),
    histogram: or(fc.record({ aggregationTemporality: or(fc.integer()), dataPoints: or(fc.array(point, { maxLength: 3 })) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const metricsRequest = fc.record(
  { resourceMetrics: or(fc.array(fc.record({ resource, scopeMetrics: or(fc.array(fc.record({ metrics: or(fc.array(metric, { maxLength: 3 })) }, { requiredKeys: [] }), { maxLength: 2 })) }, { requiredKeys: [] }), { maxLength: 2 })) },
  { requiredKeys: [] },
);

describe('fuzzed OTLP', () => {
  it('OTLP/JSON logs of any shape: 200 (perhaps partial) or 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(logsRequest, async (body) => {
        ran.jsonLogs = (ran.jsonLogs ?? 0) + 1;
        const status = await send('/v1/logs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(isClientOutcome(status), `status ${status} for ${JSON.stringify(body).slice(0, 400)}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('OTLP/JSON metrics of any shape: 200 (perhaps partial) or 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(metricsRequest, async (body) => {
        ran.jsonMetrics = (ran.jsonMetrics ?? 0) + 1;
        const status = await send('/v1/metrics', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(isClientOutcome(status), `status ${status} for ${JSON.stringify(body).slice(0, 400)}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('protobuf bodies, random or a valid request with bytes flipped: 200 or 400, never 500', async () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(fileURLToPath(new URL('../../proto/', import.meta.url)), target);
    root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto');
    const Request = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
    const valid = Request.encode(
      Request.fromObject({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
            scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), eventName: 'conn.open', attributes: [{ key: 'session.id', value: { stringValue: 's' } }] }] }],
          },
        ],
      }),
    ).finish();
    const mutated = fc
      .array(fc.record({ at: fc.nat(valid.length - 1), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 6 })
      .map((flips) => {
        const copy = Uint8Array.from(valid);
        for (const { at, byte } of flips) copy[at] = byte;
        return copy;
      });
    const body = fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated);
    const signal = fc.constantFrom('logs', 'metrics', 'traces');
    await fc.assert(
      fc.asyncProperty(signal, body, async (path, bytes) => {
        ran.protobuf = (ran.protobuf ?? 0) + 1;
        const status = await send(`/v1/${path}`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: bytes });
        expect(isClientOutcome(status), `status ${status} for /v1/${path} ${Buffer.from(bytes).toString('hex')}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Every query endpoint and the parameters it reads. */
const ENDPOINTS: Record<string, string[]> = {
  '/api/v1/timeline': ['user_id', 'session_id', 'connection_id', 'message_id', 'from', 'to', 'limit'],
  '/api/v1/series': ['metric', 'from', 'to', 'step', 'service', 'environment', 'version', 'server', 'role', 'cohort', 'latency_threshold_ms'],
  '/api/v1/reliability': ['from', 'to', 'cohort', 'latency_threshold_ms', 'service', 'role'],
  '/api/v1/reliability/compare': ['from', 'to', 'a', 'b', 'latency_threshold_ms'],
  '/api/v1/labels': ['from', 'to'],
  '/api/v1/close-codes': ['from', 'to', 'service', 'environment', 'version', 'server', 'role'],
  '/api/v1/deploys': ['from', 'to', 'service', 'environment', 'limit'],
  '/api/v1/deploys/x/impact': ['window'],
  '/api/v1/alerts': ['state'],
  '/api/v1/alerts/history': ['from', 'to', 'limit'],
  '/api/v1/silences': ['state'],
};

const paramValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('', '0', '-1', '1e400', 'NaN', '9999999999999999999', '2026-13-45T99:99:99Z', '1h', '1m', 'reconnects', 'connection_reliability', 'feature_flag.x:on', 'a:b:c', "'; DROP TABLE logs; --"),
);

describe('fuzzed query parameters', () => {
  it('every endpoint, any parameter values (repeated too): 200 or a 4xx that says why, never 500', async () => {
    const endpoint = fc.constantFrom(...Object.keys(ENDPOINTS));
    const query = endpoint.chain((path) =>
      fc.record({ path: fc.constant(path), params: fc.array(fc.tuple(fc.constantFrom(...ENDPOINTS[path]!), paramValue), { maxLength: 5 }) }),
    );
    await fc.assert(
      fc.asyncProperty(query, async ({ path, params }) => {
        ran.query = (ran.query ?? 0) + 1;
        const search = new URLSearchParams(params).toString();
        const response = await fetch(`${collector.url}${path}?${search}`, { signal: AbortSignal.timeout(TIMEOUT_MILLIS) });
        const text = await response.text();
        expect(response.status < 500, `status ${response.status} for ${path}?${search}: ${text.slice(0, 300)}`).toBe(true);
        if (response.status >= 400) expect(JSON.parse(text).error.message, `${path}?${search}`).toEqual(expect.any(String));
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
