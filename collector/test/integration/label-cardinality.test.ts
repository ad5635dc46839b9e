import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';
import { scrape } from '../support/prometheus-text.js';
import { activeConnectionsRequest, eventRecord, logsRequest } from '@tunnelvision/test-support';

/**
 * One service sends a new server.address with every event: past the limit,
 * the rollups see "(other)" and stay small, the raw event keeps the real
 * value for a lookup, and another service keeps its own budget.
 */

const data = freshDataDir();
let collector: RunningCollector;
const at = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;

beforeAll(async () => {
  collector = await startTestCollector(data.dir, { maxLabelValues: 3 });
  const noisy = Array.from({ length: 6 }, (_, i) => eventRecord('conn.open', { 'session.id': `noisy-${i}`, 'server.address': `pod-${i}.example`, 'tv.connection.downtime_ms': 10 }, at + i));
  const calm = Array.from({ length: 2 }, (_, i) => eventRecord('conn.open', { 'session.id': `calm-${i}`, 'server.address': `gw-${i}`, 'tv.connection.downtime_ms': 10 }, at + i));
  for (const body of [logsRequest({ 'service.name': 'noisy' }, noisy), logsRequest({ 'service.name': 'calm' }, calm)]) {
    const response = await fetch(`${collector.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
  }
  const points = Array.from({ length: 5 }, (_, i) => ({ timeMs: at, value: 1, attributes: { 'server.address': `m-${i}` } }));
  const metrics = await fetch(`${collector.url}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activeConnectionsRequest({ 'service.name': 'noisy' }, points, at - 60_000)),
  });
  expect(metrics.status).toBe(200);
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('the label cardinality guard', () => {
  it('keeps the first values per service and hour and folds the rest into "(other)"', async () => {
    const { body } = await getJson(collector.url, `/api/v1/labels?from=${at - 60_000}&to=${at + 120_000}`);
    expect([...body.servers].sort()).toEqual(['(other)', 'gw-0', 'gw-1', 'pod-0.example', 'pod-1.example', 'pod-2.example']);
    const other = await getJson(collector.url, `/api/v1/series?metric=reconnects&from=${at}&to=${at + 60_000}&step=1m&service=noisy&server=(other)`);
    expect(other.body.points.map((p: { v: number }) => p.v)).toEqual([3]);
    const calm = await getJson(collector.url, `/api/v1/series?metric=reconnects&from=${at}&to=${at + 60_000}&step=1m&service=calm`);
    expect(calm.body.points.map((p: { v: number }) => p.v)).toEqual([2]);
  });

  it('leaves the raw attribute for a lookup, and counts what it folded', async () => {
    const { body } = await getJson(collector.url, '/api/v1/timeline?session_id=noisy-5');
    expect(body.events[0].attributes['server.address']).toBe('pod-5.example');
    const metrics = await scrape(collector.url);
    // 3 events past the limit, and all 5 metric points: their service had used its 3 server values on events.
    expect(metrics.value('tunnelvision_ingest_label_values_capped_total', { label: 'server' })).toBe(8);
  });
});
