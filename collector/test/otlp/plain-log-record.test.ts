import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logRecordSchema } from '../../src/otlp/otlp-schema.js';
import { plainLogRecord } from '../../src/otlp/plain-log-record.js';

/**
 * The hand-written check of the common log record is a shortcut past the
 * schema, never a second opinion: whatever it takes, the schema takes and
 * parses to the same record; the rest it leaves to the schema.
 */

// Records of the common shape, the same with one field spelled any other
// way (or anything JSON can hold), and wilder ones.
const scalar = fc.oneof(
  fc.record({ stringValue: fc.string() }),
  fc.record({ boolValue: fc.boolean() }),
  fc.record({ intValue: fc.oneof(fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n }).map(String), fc.maxSafeInteger()) }),
  fc.record({ doubleValue: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
);
const common = {
  timeUnixNano: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
  observedTimeUnixNano: fc.bigInt({ min: 10n ** 18n, max: 2n ** 63n - 1n }).map(String),
  severityNumber: fc.integer({ min: 0, max: 24 }),
  severityText: fc.string(),
  // An empty AnyValue: how the official JSON serializer writes a record without a body.
  body: fc.oneof(scalar, fc.constant({})),
  attributes: fc.array(fc.record({ key: fc.string(), value: fc.oneof(scalar, fc.constant({})) }, { requiredKeys: ['key'] }), { maxLength: 4 }),
  droppedAttributesCount: fc.nat(),
  flags: fc.nat(),
  traceId: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }), fc.constant('')),
  spanId: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }), fc.constant('')),
  eventName: fc.string(),
};
const anyValue = fc.oneof(
  scalar,
  fc.record({ intValue: fc.oneof(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String), fc.integer(), fc.double()) }),
  fc.record({ doubleValue: fc.oneof(fc.double(), fc.constantFrom('NaN', 'Infinity')) }),
  fc.record({ arrayValue: fc.record({ values: fc.array(fc.record({ stringValue: fc.string() }), { maxLength: 2 }) }) }),
  fc.record({ bytesValue: fc.base64String() }),
  fc.record({ stringValue: fc.string(), intValue: fc.integer().map(String) }),
  fc.constant({}),
);
const other = {
  timeUnixNano: fc.oneof(fc.bigInt({ min: 2n ** 63n - 2n, max: 2n ** 64n }).map(String), fc.integer({ min: 0 }), fc.constantFrom('1e9', '-1', '')),
  severityNumber: fc.oneof(fc.integer({ min: -1, max: 30 }), fc.constant('SEVERITY_NUMBER_WARN')),
  body: anyValue,
  attributes: fc.array(fc.record({ key: fc.oneof(fc.string(), fc.integer()), value: anyValue }, { requiredKeys: [] }), { maxLength: 3 }),
  flags: fc.integer({ min: -1, max: 2 ** 32 }),
  traceId: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789ABCDEF'), minLength: 32, maxLength: 32 }), fc.base64String({ minLength: 4, maxLength: 24 })),
  spanId: fc.base64String({ minLength: 4, maxLength: 12 }),
  time_unix_nano: fc.constant('1'),
};
const commonRecord = fc.record(common, { requiredKeys: [] });
const oneFieldOff = fc
  .tuple(commonRecord, fc.constantFrom(...(Object.keys(other) as (keyof typeof other)[])), fc.jsonValue({ maxDepth: 2 }), fc.boolean())
  .chain(([base, key, junk, useJunk]) => (useJunk ? fc.constant({ ...base, [key]: junk }) : other[key].map((value) => ({ ...base, [key]: value }))));
const record = fc.oneof(commonRecord, oneFieldOff, fc.jsonValue({ maxDepth: 3 }));

describe('plainLogRecord', () => {
  it('takes only what the schema takes, as the schema parses it', () => {
    let taken = 0;
    fc.assert(
      fc.property(record, (candidate) => {
        const plain = plainLogRecord(candidate);
        if (plain === undefined) return;
        taken += 1;
        const parsed = logRecordSchema.safeParse(candidate);
        expect(parsed.success).toBe(true);
        expect(plain).toEqual(parsed.data);
      }),
      { numRuns: 2_000 },
    );
    // The generator must reach the shortcut often enough for the comparison to mean something.
    expect(taken).toBeGreaterThan(50);
  });

  it('takes the record an OpenTelemetry SDK sends', () => {
    const sdkRecord = {
      timeUnixNano: '1732450000123000000',
      observedTimeUnixNano: '1732450000123456789',
      severityNumber: 9,
      severityText: 'INFO',
      body: { stringValue: 'msg.acked' },
      eventName: 'msg.acked',
      attributes: [
        { key: 'session.id', value: { stringValue: 's-1' } },
        { key: 'tv.message.latency_ms', value: { doubleValue: 12.5 } },
        { key: 'tv.message.seq', value: { intValue: '42' } },
        { key: 'tv.close.clean', value: { boolValue: true } },
      ],
      droppedAttributesCount: 0,
      flags: 1,
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
    };
    expect(plainLogRecord(sdkRecord)).toBe(sdkRecord);
  });

  it('takes the record the official JSON serializer writes for an event without a body', () => {
    const jsonRecord = {
      timeUnixNano: '1795577274505409668',
      observedTimeUnixNano: '1795577274550094971',
      severityNumber: 9,
      severityText: 'INFO',
      body: {},
      eventName: 'conn.open',
      attributes: [{ key: 'session.id', value: { stringValue: 's-1' } }, { key: 'tv.connection.attempt', value: { intValue: 1 } }],
      droppedAttributesCount: 0,
    };
    expect(plainLogRecord(jsonRecord)).toBe(jsonRecord);
  });

  it('leaves every other spelling to the schema', () => {
    for (const other of [
      { traceId: '5B8EFFF798038103D269B633813FC60C' },
      { severityNumber: 'SEVERITY_NUMBER_INFO' },
      { timeUnixNano: 1732450000123000000 },
      { attributes: [{ key: 'list', value: { arrayValue: { values: [] } } }] },
      { time_unix_nano: '1' },
      null,
      [],
    ]) {
      expect(plainLogRecord(other)).toBeUndefined();
    }
  });
});
