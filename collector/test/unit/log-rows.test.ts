import { describe, expect, it } from 'vitest';
import { mapLogsRequest } from '../../src/ingest/log-rows.js';
import { OtlpDecodeError } from '../../src/errors.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

describe('mapLogsRequest', () => {
  it('keeps a 0 that is a value and leaves out only column defaults', () => {
    const { batches } = mapLogsRequest(
      logsRequest({ 'service.name': 'chat' }, [eventRecord('msg.acked', { 'tv.message.latency_ms': 0, 'tv.message.seq': 0 }, 1_700_000_000_000)]),
    );
    const row = batches[0]!.rows[0]!;
    expect(row).toMatchObject({ LatencyMs: 0, MessageSeq: 0, EventName: 'msg.acked', Timestamp: '1700000000000000000' });
    for (const omitted of ['CloseCode', 'Attempt', 'DelayMs', 'TraceId', 'ScopeAttributes', 'UserId']) expect(row).not.toHaveProperty(omitted);
  });

  it('falls back to the observed time, then the receive time, when a record has no time', () => {
    const { batches } = mapLogsRequest(
      logsRequest({}, [{ observedTimeUnixNano: '1700000000000000001' }, { body: { stringValue: 'no time at all' } }]),
    );
    const [observed, received] = batches[0]!.rows;
    expect(observed!.Timestamp).toBe('1700000000000000001');
    expect(BigInt(received!.Timestamp as string)).toBeGreaterThan(1_700_000_000_000_000_000n);
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
