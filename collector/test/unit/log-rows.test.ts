import { describe, expect, it } from 'vitest';
import { mapLogsRequest } from '../../src/ingest/log-rows.js';
import { toClickHouseTime } from '../../src/ingest/nanos.js';
import { OtlpDecodeError } from '../../src/errors.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

describe('mapLogsRequest', () => {
  it('keeps a 0 that is a value and leaves out only column defaults', () => {
    const { batches } = mapLogsRequest(
      logsRequest({ 'service.name': 'chat' }, [eventRecord('msg.acked', { 'tv.message.latency_ms': 0, 'tv.message.seq': 0 }, 1_700_000_000_000)]),
    );
    const row = batches[0]!.rows[0]!;
    expect(row).toMatchObject({ LatencyMs: 0, MessageSeq: 0, EventName: 'msg.acked', Timestamp: '1700000000.000000000' });
    for (const omitted of ['CloseCode', 'Attempt', 'DelayMs', 'TraceId', 'ScopeAttributes', 'UserId']) expect(row).not.toHaveProperty(omitted);
  });

  it('falls back to the observed time, then the receive time, when a record has no time', () => {
    const { batches } = mapLogsRequest(
      logsRequest({}, [{ observedTimeUnixNano: '1700000000000000001' }, { body: { stringValue: 'no time at all' } }]),
    );
    const [observed, received] = batches[0]!.rows;
    expect(observed!.Timestamp).toBe('1700000000.000000001');
    expect(Number(received!.Timestamp)).toBeGreaterThan(1_700_000_000);
  });

  it('flattens nested attribute values to text', () => {
    const { batches } = mapLogsRequest({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  attributes: [
                    { key: 'list', value: { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'a' }] } } },
                    { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(batches[0]!.rows[0]!.LogAttributes).toEqual({ list: '[1,"a"]', map: '{"k":true}' });
  });

  it('throws OtlpDecodeError for a malformed envelope', () => {
    expect(() => mapLogsRequest({ resourceLogs: 'nope' })).toThrow(OtlpDecodeError);
    expect(() => mapLogsRequest(null)).toThrow(/Invalid ExportLogsServiceRequest/);
  });
});

describe('toClickHouseTime', () => {
  it('writes any nanosecond time as padded Unix seconds with nine decimals', () => {
    expect(toClickHouseTime('1700000000000000001')).toBe('1700000000.000000001');
    expect(toClickHouseTime('66149256958729536')).toBe('0066149256.958729536');
    expect(toClickHouseTime('12')).toBe('0000000000.000000012');
    expect(toClickHouseTime('9223372036854775807')).toBe('9223372036.854775807');
  });
});
