import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import type { RunningCollector } from '../../src/collector.js';
import type { TimelineResponse } from '../../src/api-types.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';

/**
 * Attributes a typed column holds exactly are stored once, in the column,
 * and the timeline still returns every attribute as it was sent; a value
 * the column would change stays in the attribute map.
 */

const data = freshDataDir();
let collector: RunningCollector;
const at = Date.now() - 10 * 60_000;

const SENT = {
  'session.id': 'aic-1',
  'tv.connection.id': 'aic-1-c1',
  'user.id': 'u-42',
  'tv.message.id': 'm-7',
  'tv.message.channel': 'chat',
  'tv.message.latency_ms': 12.5,
  'tv.message.seq': 3,
  'tv.close.code': 0,
  'tv.close.clean': true,
  'tv.reconnect.jitter_ms': -3.25,
  'server.address': 'ws-1.example.com',
  'http.route': '/chat',
};
// Values their columns would not give back as sent: kept in the map.
const ODD = {
  'session.id': 'aic-2',
  'tv.message.latency_ms': '12.50',
  'tv.message.seq': 'seven',
  'tv.close.code': 70_000,
  'tv.connection.duration_ms': '1e3',
};

const asText = (attributes: Record<string, unknown>) => Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)]));

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  const response = await fetch(`${collector.url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(logsRequest({ 'service.name': 'aic', 'tv.role': 'client' }, [eventRecord('msg.acked', SENT, at), eventRecord('msg.acked', ODD, at + 1)])),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({});
});

afterAll(async () => {
  await collector?.stop();
  data.remove();
});

const stored = async (session: string) => {
  const result = await collector.store.client.query({
    query: `SELECT LogAttributes AS map, AttributesInColumns AS bits FROM ${collector.store.database}.logs WHERE SessionId = {s:String}`,
    query_params: { s: session },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ map: Record<string, string>; bits: number }>();
  return row!;
};

describe('attributes held by typed columns', () => {
  it('are stored once, in their columns', async () => {
    const row = await stored('aic-1');
    expect(row.map).toEqual({ 'server.address': 'ws-1.example.com', 'http.route': '/chat' });
    expect(row.bits).not.toBe(0);
  });

  it('come back from the timeline exactly as sent', async () => {
    const response = await getJson<TimelineResponse>(collector.url, `/api/v1/timeline?session_id=aic-1&from=${at - 60_000}&to=${at + 60_000}`);
    expect(response.status).toBe(200);
    expect(response.body.events).toHaveLength(1);
    expect(response.body.events[0]!.attributes).toEqual(asText(SENT));
  });

  it('stay in the map when the column would change them', async () => {
    const row = await stored('aic-2');
    expect(row.map).toEqual({ 'tv.message.latency_ms': '12.50', 'tv.message.seq': 'seven', 'tv.close.code': '70000', 'tv.connection.duration_ms': '1e3' });
    const response = await getJson<TimelineResponse>(collector.url, `/api/v1/timeline?session_id=aic-2&from=${at - 60_000}&to=${at + 60_000}`);
    expect(response.body.events[0]!.attributes).toEqual(asText(ODD));
  });
});
