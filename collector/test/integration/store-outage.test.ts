import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

/**
 * When ClickHouse goes away, requests get 503 with Retry-After (so OTLP
 * exporters retry) and nothing acknowledged earlier is lost; once the store
 * is back, the retried request is stored.
 */

const data = freshDataDir();
let collector: RunningCollector;

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

const send = (session: string) =>
  fetch(`${collector.url}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(logsRequest({ 'service.name': 'outage' }, [eventRecord('msg.sent', { 'session.id': session, 'tv.message.id': session })])),
  });

it('answers 503 with Retry-After while the store is down, and keeps what it acknowledged', async () => {
  expect((await send('before')).status).toBe(200);

  // The store disappears under the running collector.
  await collector.store.client.close();

  const during = await send('during');
  expect(during.status).toBe(503);
  expect(during.headers.get('retry-after')).toBe('5');
  expect(((await during.json()) as { message: string }).message).toMatch(/Storage unavailable, nothing was stored; retry later/);

  const ready = await getJson(collector.url, '/readyz');
  expect(ready.status).toBe(503);
  const query = await fetch(`${collector.url}/api/v1/timeline?session_id=before`);
  expect(query.status).toBe(503);
  expect(query.headers.get('retry-after')).toBe('5');
  expect(collector.writer.stats()).toMatchObject({ bufferedRows: 0, insertsFailed: 1 });

  // The store comes back: a new collector on the same data directory.
  await collector.stop();
  collector = await startTestCollector(data.dir);
  expect((await send('during')).status).toBe(200);
  const before = await getJson(collector.url, '/api/v1/timeline?session_id=before');
  const retried = await getJson(collector.url, '/api/v1/timeline?session_id=during');
  expect(before.body.events).toHaveLength(1);
  expect(retried.body.events).toHaveLength(1);
});
