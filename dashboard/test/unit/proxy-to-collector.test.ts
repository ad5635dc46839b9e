import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isProxyAllowed, proxyToCollector, type ProxyRequest } from '../../src/server/proxy-to-collector.js';

/** What the stand-in collector received last. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in collector: echoes the request, answers 400 for `bad`, hangs for `slow`, 401 for `locked`. */
let server: Server;
let base = '';
let received: Received | undefined;
const previous = { url: process.env.COLLECTOR_URL, key: process.env.TUNNELVISION_INGEST_KEY };

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      if (request.url?.includes('slow')) return; // never answers
      const status = request.url?.includes('bad') ? 400 : request.url?.includes('locked') ? 401 : request.method === 'POST' ? 201 : 200;
      response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '5' });
      response.end(JSON.stringify(status < 300 ? { path: request.url, method: request.method } : { error: { status, message: 'from: not a time' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.COLLECTOR_URL = `${base}/`;
});

afterEach(() => {
  delete process.env.TUNNELVISION_INGEST_KEY;
  received = undefined;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  for (const [name, value] of [
    ['COLLECTOR_URL', previous.url],
    ['TUNNELVISION_INGEST_KEY', previous.key],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const get = (segments: string[], search = ''): ProxyRequest => ({ method: 'GET', segments, search });
/** A write as the dashboard's own page sends it. */
const write = (method: 'POST' | 'DELETE', segments: string[], extra: Partial<ProxyRequest> = {}): ProxyRequest => ({
  method,
  segments,
  search: '',
  body: method === 'POST' ? '{"matchers":[]}' : undefined,
  headers: new Headers({ 'content-type': 'application/json', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' }),
  host: '127.0.0.1:3000',
  ...extra,
});

describe('proxyToCollector', () => {
  it('forwards a GET to /api/v1 with its query string and passes status and JSON through', async () => {
    const ok = await proxyToCollector(get(['deploys', '3a700949-6506-40f8-a336-0a5430f329c3', 'impact'], '?window=10m'));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ path: '/api/v1/deploys/3a700949-6506-40f8-a336-0a5430f329c3/impact?window=10m', method: 'GET' });
    const bad = await proxyToCollector(get(['series'], '?bad=1'));
    expect(bad.status).toBe(400);
    expect(bad.headers.get('retry-after')).toBe('5');
    expect(await bad.json()).toEqual({ error: { status: 400, message: 'from: not a time' } });
  });

  it("forwards the overview's one read", async () => {
    const response = await proxyToCollector(get(['overview'], '?from=1&to=2&step=60s&service=web'));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { path: string }).path).toBe('/api/v1/overview?from=1&to=2&step=60s&service=web');
    expect(isProxyAllowed('POST', ['overview'])).toBe(false);
  });

  it('forwards the alerting reads', async () => {
    for (const [segments, search] of [
      [['alerts'], '?state=firing&from=1&to=2'],
      [['alerts', 'rules'], ''],
      [['alerts', 'history'], '?fingerprint=abc'],
      [['silences'], '?state=active'],
    ] as const) {
      const response = await proxyToCollector(get([...segments], search));
      expect(response.status).toBe(200);
      expect(((await response.json()) as { path: string }).path).toBe(`/api/v1/${segments.join('/')}${search}`);
    }
  });

  it('forwards the reliability reads', async () => {
    for (const [segments, search] of [
      [['objectives'], ''],
      [['reliability', 'compare'], '?a=feature_flag.resilience%3Aon&b=feature_flag.resilience%3Aoff'],
    ] as const) {
      const response = await proxyToCollector(get([...segments], search));
      expect(response.status).toBe(200);
      expect(((await response.json()) as { path: string }).path).toBe(`/api/v1/${segments.join('/')}${search}`);
    }
  });

  it('refuses paths outside the query API', async () => {
    for (const path of [['..', 'v1', 'logs'], ['logs'], ['deploys', 'x', 'impact', 'more'], ['alerts', 'rules', 'x'], ['silences', 'a', 'b'], []]) {
      expect((await proxyToCollector(get(path))).status).toBe(404);
    }
  });

  it('allows POST silences and DELETE silences/<id> only among writes', () => {
    expect(isProxyAllowed('POST', ['silences'])).toBe(true);
    expect(isProxyAllowed('DELETE', ['silences', 'b7c1e2a4-0d55-4c1e-9a57-2f0a3c9d1e88'])).toBe(true);
    for (const segments of [['silences', 'x'], ['alerts'], ['alerts', 'rules'], ['deploys'], ['series'], ['logs'], ['..', 'v1', 'logs']]) {
      expect(isProxyAllowed('POST', segments), `POST ${segments.join('/')}`).toBe(false);
    }
    for (const segments of [['silences'], ['silences', '..'], ['silences', 'a', 'b'], ['alerts', 'rules', 'x'], ['deploys', 'x']]) {
      expect(isProxyAllowed('DELETE', segments), `DELETE ${segments.join('/')}`).toBe(false);
    }
  });

  it('forwards POST silences with its JSON body and DELETE silences/<id>, passing the status through', async () => {
    const created = await proxyToCollector(write('POST', ['silences'], { body: '{"matchers":[{"label":"rule","op":"=","value":"r"}]}' }));
    expect(created.status).toBe(201);
    expect(received).toMatchObject({ method: 'POST', url: '/api/v1/silences', body: '{"matchers":[{"label":"rule","op":"=","value":"r"}]}' });
    expect(received?.headers['content-type']).toBe('application/json');
    expect(received?.headers.authorization).toBeUndefined();

    const expired = await proxyToCollector(write('DELETE', ['silences', 's-1']));
    expect(expired.status).toBe(200);
    expect(received).toMatchObject({ method: 'DELETE', url: '/api/v1/silences/s-1', body: '' });
  });

  it('adds the ingest key from TUNNELVISION_INGEST_KEY to writes, never to reads', async () => {
    process.env.TUNNELVISION_INGEST_KEY = 'k-123';
    await proxyToCollector(write('POST', ['silences']));
    expect(received?.headers.authorization).toBe('Bearer k-123');
    await proxyToCollector(write('DELETE', ['silences', 's-1']));
    expect(received?.headers.authorization).toBe('Bearer k-123');
    await proxyToCollector(get(['silences']));
    expect(received?.headers.authorization).toBeUndefined();
  });

  it('says how to set the key when the collector refuses a write', async () => {
    const refused = await proxyToCollector(write('DELETE', ['silences', 'locked']));
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('set TUNNELVISION_INGEST_KEY on the dashboard server');
  });

  it('refuses other writes with 405 or 404, and cross-site or non-JSON writes with 403, without calling the collector', async () => {
    expect((await proxyToCollector(write('POST', ['alerts', 'rules']))).status).toBe(405);
    expect((await proxyToCollector(write('DELETE', ['deploys', 'x', 'impact']))).status).toBe(405);
    expect((await proxyToCollector(write('POST', ['logs']))).status).toBe(404);
    const crossSite = new Headers({ 'content-type': 'application/json', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect((await proxyToCollector(write('POST', ['silences'], { headers: crossSite }))).status).toBe(403);
    expect((await proxyToCollector(write('DELETE', ['silences', 's-1'], { headers: crossSite }))).status).toBe(403);
    const otherOrigin = new Headers({ 'content-type': 'application/json', origin: 'https://evil.example' });
    expect((await proxyToCollector(write('POST', ['silences'], { headers: otherOrigin }))).status).toBe(403);
    const form = new Headers({ 'content-type': 'text/plain', 'sec-fetch-site': 'same-origin' });
    expect((await proxyToCollector(write('POST', ['silences'], { headers: form }))).status).toBe(403);
    expect((await proxyToCollector(write('POST', ['silences'], { body: 'x'.repeat(17 * 1024) }))).status).toBe(413);
    expect(received).toBeUndefined();
  });

  it('allows the admin and session paths of docs/security.md, and never the login (its answer holds the token)', () => {
    expect(isProxyAllowed('GET', ['auth', 'session'])).toBe(true);
    expect(isProxyAllowed('GET', ['admin', 'keys'])).toBe(true);
    expect(isProxyAllowed('POST', ['admin', 'keys'])).toBe(true);
    expect(isProxyAllowed('DELETE', ['admin', 'keys', 'k_1a2b'])).toBe(true);
    expect(isProxyAllowed('GET', ['admin', 'users'])).toBe(true);
    expect(isProxyAllowed('POST', ['admin', 'users'])).toBe(true);
    expect(isProxyAllowed('DELETE', ['admin', 'users', 'ana+ops@example.com'])).toBe(true);
    for (const [method, segments] of [
      ['POST', ['auth', 'login']],
      ['GET', ['auth', 'login']],
      ['POST', ['auth', 'logout']],
      ['POST', ['auth', 'session']],
      ['DELETE', ['admin', 'keys']],
      ['DELETE', ['admin', 'users']],
      ['GET', ['admin', 'tenants']],
      ['POST', ['admin', 'tenants']],
      ['GET', ['admin', 'keys', 'k_1']],
      ['DELETE', ['admin', 'keys', 'k_1', 'x']],
      ['DELETE', ['admin', 'users', 'a b']],
    ] as const) {
      expect(isProxyAllowed(method, segments), `${method} ${segments.join('/')}`).toBe(false);
    }
  });

  it("sends the session cookie's token as the bearer credential on every method, and the page's CSRF token on writes only", async () => {
    process.env.TUNNELVISION_INGEST_KEY = 'k-123';
    const cookie = 'theme=dark; tv_session=tvs_s1_secret';
    await proxyToCollector({ ...get(['admin', 'keys']), headers: new Headers({ cookie, 'x-csrf-token': 'csrf-1' }) });
    expect(received?.headers.authorization).toBe('Bearer tvs_s1_secret');
    expect(received?.headers['x-csrf-token']).toBeUndefined();
    expect(received?.headers.cookie).toBeUndefined();

    const session = new Headers({ 'content-type': 'application/json', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin', cookie, 'x-csrf-token': 'csrf-1' });
    await proxyToCollector(write('POST', ['admin', 'keys'], { headers: session, body: '{"name":"web","kind":"server","scopes":["read"]}' }));
    expect(received).toMatchObject({ method: 'POST', url: '/api/v1/admin/keys', body: '{"name":"web","kind":"server","scopes":["read"]}' });
    // The ingest key is for requests without a session only (open mode).
    expect(received?.headers.authorization).toBe('Bearer tvs_s1_secret');
    expect(received?.headers['x-csrf-token']).toBe('csrf-1');
    await proxyToCollector(write('DELETE', ['admin', 'users', 'bo'], { headers: session }));
    expect(received).toMatchObject({ method: 'DELETE', url: '/api/v1/admin/users/bo' });
    expect(received?.headers['x-csrf-token']).toBe('csrf-1');
  });

  it("passes the collector's own refusal through for a session, and never a token or cookie back to the browser", async () => {
    const session = new Headers({ 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', cookie: 'tv_session=tvs_s1_secret' });
    const refused = await proxyToCollector(write('DELETE', ['silences', 'locked'], { headers: session }));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: { status: 401, message: 'from: not a time' } });
    const read = await proxyToCollector({ ...get(['auth', 'session']), headers: new Headers({ cookie: 'tv_session=tvs_s1_secret' }) });
    expect(read.headers.get('set-cookie')).toBeNull();
    expect(await read.text()).not.toContain('tvs_s1_secret');
  });

  it('answers 504 when the collector is too slow, and 502 with what to do when it is down', async () => {
    const slow = await proxyToCollector(get(['series'], '?slow=1'), 200);
    expect(slow.status).toBe(504);
    expect(((await slow.json()) as { error: { message: string } }).error.message).toContain(`The collector at ${base} did not answer within 0.2 s`);

    process.env.COLLECTOR_URL = 'http://127.0.0.1:9';
    const down = await proxyToCollector(get(['series']));
    expect(down.status).toBe(502);
    const body = (await down.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('collector_unreachable');
    expect(body.error.message).toContain('The collector at http://127.0.0.1:9 is not answering: start it with npm run collector');
    process.env.COLLECTOR_URL = 'not a url';
    expect((await proxyToCollector(get(['series']))).status).toBe(500);
    process.env.COLLECTOR_URL = base;
  });
});
