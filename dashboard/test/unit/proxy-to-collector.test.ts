import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyToCollector } from '../../src/server/proxy-to-collector.js';

/** A stand-in collector: echoes the path, answers 400 for `bad`, hangs for `slow`. */
let server: Server;
let base = '';
const previous = process.env.COLLECTOR_URL;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url?.includes('slow')) return; // never answers
    const status = request.url?.includes('bad') ? 400 : 200;
    response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '5' });
    response.end(JSON.stringify(status === 200 ? { path: request.url } : { error: { status, message: 'from: not a time' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.COLLECTOR_URL = `${base}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  if (previous === undefined) delete process.env.COLLECTOR_URL;
  else process.env.COLLECTOR_URL = previous;
});

describe('proxyToCollector', () => {
  it('forwards a GET to /api/v1 with its query string and passes status and JSON through', async () => {
    const ok = await proxyToCollector(['deploys', '3a700949-6506-40f8-a336-0a5430f329c3', 'impact'], '?window=10m');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ path: '/api/v1/deploys/3a700949-6506-40f8-a336-0a5430f329c3/impact?window=10m' });
    const bad = await proxyToCollector(['series'], '?bad=1');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('retry-after')).toBe('5');
    expect(await bad.json()).toEqual({ error: { status: 400, message: 'from: not a time' } });
  });

  it('refuses paths outside the query API', async () => {
    for (const path of [['..', 'v1', 'logs'], ['logs'], ['deploys', 'x', 'impact', 'more']]) {
      expect((await proxyToCollector(path, '')).status).toBe(404);
    }
  });

  it('answers 504 when the collector is too slow, and 502 with what to do when it is down', async () => {
    const slow = await proxyToCollector(['series'], '?slow=1', undefined, 200);
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { error: { message: string } }).error.message).toContain(`The collector at ${base} did not answer within 0.2 s`);

    process.env.COLLECTOR_URL = 'http://127.0.0.1:9';
    const down = await proxyToCollector(['series'], '');
    expect(down.status).toBe(502);
    const body = (await down.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('collector_unreachable');
    expect(body.error.message).toContain('The collector at http://127.0.0.1:9 is not answering: start it with npm run collector');
    process.env.COLLECTOR_URL = 'not a url';
    expect((await proxyToCollector(['series'], '')).status).toBe(500);
    process.env.COLLECTOR_URL = base;
  });
});
