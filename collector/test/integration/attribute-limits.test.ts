import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { recordAttributesSql } from '../../src/store/attributes-in-columns.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import { loadCollectorConfig } from '../../src/config/collector-config.js';
import { scrape } from '../support/prometheus-text.js';

/**
 * A producer that sends too many attributes or huge values still gets its
 * records stored, bounded: the first attributes up to the limit, values cut
 * to the limit, a warning in the partial-success message, and counters.
 */

const data = freshDataDir();
let collector: RunningCollector;

beforeAll(async () => {
  collector = await startTestCollector(data.dir, { maxAttributes: 5, maxAttributeValueLength: 32 });
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('attribute limits', () => {
  it('stores the record with the first attributes and cut values, and says so', async () => {
    const extra = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`extra.${i}`, `v${i}`]));
    const record = eventRecord('conn.open', { 'session.id': 'limits-1', 'tv.close.reason': 'x'.repeat(100), ...extra });
    const response = await fetch(`${collector.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(logsRequest({ 'service.name': 'limits' }, [record])),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedLogRecords: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedLogRecords).toBe('0');
    expect(body.partialSuccess.errorMessage).toBe('stored with limits applied: 7 attributes past the limit of 5 per list dropped; 1 attribute value cut to 32 characters');
    const result = await collector.store.client.query({
      query: `SELECT ${recordAttributesSql()} AS attributes, CloseReason AS reason FROM ${collector.store.database}.logs WHERE SessionId = 'limits-1'`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ attributes: Record<string, string>; reason: string }>();
    expect(Object.keys(row!.attributes).sort()).toEqual(['extra.0', 'extra.1', 'extra.2', 'session.id', 'tv.close.reason']);
    expect(row!.reason).toBe('x'.repeat(32));
    const metrics = await scrape(collector.url);
    expect(metrics.value('tunnelvision_ingest_attributes_trimmed_total', { signal: 'logs', limit: 'attributes' })).toBe(7);
    expect(metrics.value('tunnelvision_ingest_attributes_trimmed_total', { signal: 'logs', limit: 'value_length' })).toBe(1);
  });

  it('refuses a limit that makes no sense at start, naming the setting', () => {
    expect(() => loadCollectorConfig({ COLLECTOR_MAX_ATTRIBUTES: '0' }, [])).toThrow(/COLLECTOR_MAX_ATTRIBUTES/);
    expect(() => loadCollectorConfig({ COLLECTOR_MAX_ATTRIBUTE_VALUE_LENGTH: 'lots' }, [])).toThrow(/COLLECTOR_MAX_ATTRIBUTE_VALUE_LENGTH/);
  });
});
