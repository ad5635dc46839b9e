import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { queryReliability } from '../../src/reliability/reliability-query.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

/**
 * Delivery success leaves out messages sent within the ack window before
 * now: they may still be acked. Whole hours are read from the hourly
 * rollup, whose rows cannot tell settled sends from those still in flight,
 * so the hour that ends just before now must be read by the minute.
 */

const HOUR = 3_600_000;
const MINUTE = 60_000;
const boundary = Math.floor((Date.now() - 86_400_000) / HOUR) * HOUR;
const data = freshDataDir();
let collector: RunningCollector;

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  const sends = [0, 1].map((i) => eventRecord('msg.sent', { 'session.id': 'edge', 'tv.message.id': `edge-${i}` }, boundary - 30_000));
  const response = await fetch(`${collector.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(logsRequest({ 'service.name': 'edge' }, sends)) });
  expect(response.status).toBe(200);
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

/** delivery_success's total over the two hours before the boundary and up to `now`, as asked at `now`. */
async function totalAskedAt(now: number): Promise<number> {
  const response = await queryReliability(collector.store.client, collector.store.database, { from: String(boundary - 2 * HOUR), to: String(now), service: 'edge' }, now);
  return response.measures.delivery_success.total;
}

describe('sends still in flight', () => {
  it('stay out when asked just after the hour in whose last minute they were sent', async () => {
    expect(await totalAskedAt(boundary + 20_000)).toBe(0);
  });

  it('count once the ack window is over', async () => {
    expect(await totalAskedAt(boundary + 3 * MINUTE)).toBe(2);
  });
});
