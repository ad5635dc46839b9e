import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import protobuf from 'protobufjs';
import type { CollectorHooks, RunningCollector } from '../../src/collector.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

/**
 * Every kind of bad input gets its status and a message that says what to
 * fix, and a good request sent right after still succeeds.
 */

const data = freshDataDir();
let collector: RunningCollector;
const MAX_BYTES = 64 * 1024;

beforeAll(async () => {
  // A store that takes 300 ms per insert, so a request's rows are held long enough for the next to find the buffer full.
  const slowStore: CollectorHooks = { wrapInsert: (insert) => async (table, block, token) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await insert(table, block, token);
  } };
  collector = await startTestCollector(data.dir, { maxRequestBytes: MAX_BYTES, maxBufferedRows: 50 }, slowStore);
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

const post = (path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) =>
  fetch(`${collector.url}${path}`, { method: 'POST', body, headers });

/** Response JSON, loosely typed for assertions. */
const json = (response: Response): Promise<any> => response.json();

let goodCount = 0;
/** Sends a valid event with a fresh session id and checks it is stored. */
async function expectGoodRequestWorks(): Promise<void> {
  const session = `good-${++goodCount}`;
  const response = await post('/v1/logs', JSON.stringify(logsRequest({ 'service.name': 'good' }, [eventRecord('conn.open', { 'session.id': session })])), {
    'content-type': 'application/json',
  });
  expect(response.status).toBe(200);
  const { body } = await getJson(collector.url, `/api/v1/timeline?session_id=${session}`);
  expect(body.events).toHaveLength(1);
}

describe('OTLP bad input', () => {
  it('malformed JSON: 400 naming the parse error', async () => {
    const response = await post('/v1/logs', '{"resourceLogs": [', { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect((await json(response)).message).toMatch(/not valid JSON/);
    await expectGoodRequestWorks();
  });

  it('JSON of the wrong shape: 400 naming the field', async () => {
    const response = await post('/v1/logs', JSON.stringify({ resourceLogs: { not: 'an array' } }), { 'content-type': 'application/json' });
    expect(response.status).toBe(400);
    expect((await json(response)).message).toMatch(/resourceLogs/);
    await expectGoodRequestWorks();
  });

  it('malformed protobuf: 400 with a google.rpc.Status in protobuf', async () => {
    const response = await post('/v1/metrics', Uint8Array.from([0x0a, 0x05, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const Status = new protobuf.Type('Status').add(new protobuf.Field('code', 1, 'int32')).add(new protobuf.Field('message', 2, 'string'));
    const status = Status.toObject(Status.decode(new Uint8Array(await response.arrayBuffer()))) as { code: number; message: string };
    expect(status.code).toBe(3);
    expect(status.message).toMatch(/Cannot decode OTLP\/protobuf metrics request/);
    await expectGoodRequestWorks();
  });

  it('wrong or missing content type: 415', async () => {
    for (const headers of [{ 'content-type': 'text/plain' }, {} as Record<string, string>]) {
      const response = await post('/v1/logs', 'hello', headers);
      expect(response.status).toBe(415);
      expect((await json(response)).message).toMatch(/application\/x-protobuf or application\/json/);
    }
    await expectGoodRequestWorks();
  });

  it('unsupported content encoding: 415; corrupt gzip: 400', async () => {
    const br = await post('/v1/logs', '{}', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(br.status).toBe(415);
    expect((await json(br)).message).toMatch(/"br" is not supported/);
    const corrupt = await post('/v1/logs', 'definitely not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect((await json(corrupt)).message).toMatch(/not valid gzip/);
    await expectGoodRequestWorks();
  });

  it('gzip is decoded', async () => {
    const body = gzipSync(JSON.stringify(logsRequest({ 'service.name': 'gz' }, [eventRecord('conn.open', { 'session.id': 'gzipped' })])));
    const response = await post('/v1/logs', body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect((await getJson(collector.url, '/api/v1/timeline?session_id=gzipped')).body.events).toHaveLength(1);
  });

  it('body over the limit: 413', async () => {
    const response = await post('/v1/logs', 'x'.repeat(MAX_BYTES + 1), { 'content-type': 'application/json' });
    expect(response.status).toBe(413);
    expect((await json(response)).message).toMatch(/too large/);
    await expectGoodRequestWorks();
  });

  it('gzip bomb: 413 once the decompressed size passes the limit, without inflating it all', async () => {
    const bomb = gzipSync(Buffer.alloc(200 * 1024 * 1024)); // 200 MiB of zeros, ~200 KiB compressed
    expect(bomb.length).toBeLessThan(MAX_BYTES * 4);
    const before = process.memoryUsage().rss;
    const response = await post('/v1/logs', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    await expectGoodRequestWorks();
  });

  it('bad records in a good request: 200 with partial success, the rest stored', async () => {
    const request = logsRequest({ 'service.name': 'partial' }, [
      eventRecord('conn.open', { 'session.id': 'partial' }, Date.now() - 10),
      { timeUnixNano: 'yesterday', attributes: [] },
      { timeUnixNano: '99999999999999999999' },
      eventRecord('conn.close', { 'session.id': 'partial', 'tv.close.code': 1000 }),
    ]);
    const response = await post('/v1/logs', JSON.stringify(request), { 'content-type': 'application/json' });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.partialSuccess.rejectedLogRecords).toBe('2');
    expect(body.partialSuccess.errorMessage).toMatch(/logRecords\[1\]\.timeUnixNano/);
    expect(body.partialSuccess.errorMessage).toMatch(/logRecords\[2\]\.timeUnixNano/);
    const { body: timeline } = await getJson(collector.url, '/api/v1/timeline?session_id=partial');
    expect(timeline.events.map((e: { event: string }) => e.event)).toEqual(['conn.open', 'conn.close']);
  });

  it('an empty request succeeds in either encoding', async () => {
    expect((await post('/v1/traces', '', { 'content-type': 'application/json' })).status).toBe(200);
    expect((await post('/v1/traces', new Uint8Array(0), { 'content-type': 'application/x-protobuf' })).status).toBe(200);
  });

  it('more rows than the buffer holds: 429 with Retry-After, then accepted once written', async () => {
    const rows = (n: number, session: string) =>
      JSON.stringify(logsRequest({ 'service.name': 'burst' }, Array.from({ length: n }, () => eventRecord('msg.sent', { 'session.id': session }))));
    // The first request fills most of the 50-row budget while its 300 ms insert runs.
    const first = post('/v1/logs', rows(40, 'burst-1'), { 'content-type': 'application/json' });
    await new Promise((r) => setTimeout(r, 50));
    const second = await post('/v1/logs', rows(20, 'burst-2'), { 'content-type': 'application/json' });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('5');
    expect((await first).status).toBe(200);
    const retried = await post('/v1/logs', rows(20, 'burst-2'), { 'content-type': 'application/json' });
    expect(retried.status).toBe(200);
    expect((await getJson(collector.url, '/api/v1/timeline?session_id=burst-2')).body.events).toHaveLength(20);
  });

  it('CORS preflight is answered for OTLP paths only', async () => {
    const preflight = (path: string) =>
      fetch(`${collector.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const otlp = await preflight('/v1/logs');
    expect(otlp.status).toBe(204);
    expect(otlp.headers.get('access-control-allow-origin')).toBe('*');
    expect(otlp.headers.get('access-control-allow-headers')).toContain('content-encoding');
    const api = await preflight('/api/v1/deploys');
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('query API bad parameters', () => {
  const cases: [string, RegExp][] = [
    ['/api/v1/timeline', /exactly one of user_id, session_id, connection_id, message_id \(got none\)/],
    ['/api/v1/timeline?user_id=a&session_id=b', /got user_id, session_id/],
    ['/api/v1/timeline?user_id=a&from=tomorrow', /from: "tomorrow" is not a time/],
    ['/api/v1/timeline?user_id=a&limit=0', /limit/],
    ['/api/v1/timeline?user_id=a&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', /must be before to/],
    ['/api/v1/series', /metric: must be one of: reconnects/],
    ['/api/v1/series?metric=drop%20table', /metric: must be one of/],
    ['/api/v1/series?metric=reconnects&step=30s', /step: must be a whole number of minutes/],
    ['/api/v1/series?metric=reconnects&step=1m&from=0', /at most 400 days/],
    ['/api/v1/series?metric=reconnects&step=1m&from=2026-01-01T00:00:00Z&to=2026-01-10T00:00:00Z', /more than 2000 points/],
    ['/api/v1/series?metric=reconnects&role=admin', /role/],
    ['/api/v1/deploys?limit=abc', /limit/],
  ];
  it.each(cases)('GET %s: 400 with the reason', async (path, reason) => {
    const { status, body } = await getJson(collector.url, path);
    expect(status).toBe(400);
    expect(body.error.message).toMatch(reason);
  });

  it('a range ending at the epoch starts there too, instead of before it (found by the query fuzz test)', async () => {
    for (const path of ['/api/v1/labels?to=0', '/api/v1/close-codes?to=1000', '/api/v1/deploys?to=0']) {
      const { status } = await getJson(collector.url, path);
      expect([200, 400], path).toContain(status);
    }
  });

  it('a quote in a lookup value is data, not SQL', async () => {
    const { status, body } = await getJson(collector.url, `/api/v1/timeline?user_id=${encodeURIComponent("x' OR 1=1 --")}`);
    expect(status).toBe(200);
    expect(body.events).toEqual([]);
  });

  it('POST /api/v1/deploys rejects bad JSON, missing fields and wrong types', async () => {
    const send = (body: string, type = 'application/json') => post('/api/v1/deploys', body, { 'content-type': type });
    const badJson = await send('{nope');
    expect(badJson.status).toBe(400);
    expect((await json(badJson)).error.message).toMatch(/body: not valid JSON/);
    const missing = await send(JSON.stringify({ version: '1.0.0' }));
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.message).toMatch(/service/);
    const wrongType = await send('service=chat', 'application/x-www-form-urlencoded');
    expect(wrongType.status).toBe(415);
    expect((await json(wrongType)).error.message).toMatch(/send application\/json/);
    const ok = await send(JSON.stringify({ service: 'chat', version: '3.1.0', commit: 'abc123', time: '2026-11-01T12:00:00Z' }));
    expect(ok.status).toBe(201);
    const { body } = await getJson(collector.url, '/api/v1/deploys?service=chat&from=2026-10-01T00:00:00Z');
    expect(body.deploys).toEqual([expect.objectContaining({ version: '3.1.0', commit: 'abc123', time: '2026-11-01T12:00:00.000Z', environment: 'production' })]);
  });

  it('unknown paths: 404 pointing at the docs', async () => {
    const { status, body } = await getJson(collector.url, '/api/v1/nothing');
    expect(status).toBe(404);
    expect(body.error.message).toMatch(/docs\/api.md/);
  });
});
