import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../src/server/auth-login.js';
import { logout } from '../../src/server/auth-logout.js';
import { readSession } from '../../src/server/auth-session.js';

/** What the stand-in collector received last. */
interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const TOKEN = 'tvs_abc123_secretpart';
const EXPIRES = '2026-03-01T22:00:00.000Z';
const NOW = Date.parse('2026-03-01T10:00:00.000Z');
const USER = { username: 'ana', role: 'admin', tenant: 'default' };

/**
 * A stand-in collector with the auth endpoints of docs/security.md: the
 * password `right password` signs in, `slow down` is throttled, the token
 * `tvs_gone_x` belongs to an ended session.
 */
let server: Server;
let received: Received | undefined;
const previousUrl = process.env.COLLECTOR_URL;

function answer(response: import('node:http').ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, body === undefined ? headers : { 'content-type': 'application/json', ...headers });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      const bearer = request.headers.authorization?.replace(/^Bearer /, '');
      if (request.url === '/api/v1/auth/login') {
        const { password } = JSON.parse(body) as { password: string };
        if (password === 'right password') return answer(response, 200, { session: { token: TOKEN, expires_at: EXPIRES, csrf_token: 'csrf-1', user: USER } });
        if (password === 'slow down') return answer(response, 429, { error: { status: 429, code: 'TOO_MANY_ATTEMPTS', message: 'Too many failed logins; wait 15 minutes' } }, { 'retry-after': '900' });
        return answer(response, 401, { error: { status: 401, code: 'UNAUTHENTICATED', message: 'Wrong user name or password' } });
      }
      if (request.url === '/api/v1/auth/logout') {
        if (bearer === 'tvs_gone_x') return answer(response, 401, { error: { status: 401, code: 'UNAUTHENTICATED', message: 'The session has ended' } });
        if (!request.headers['x-csrf-token']) return answer(response, 403, { error: { status: 403, code: 'FORBIDDEN', message: 'Missing x-csrf-token' } });
        return answer(response, 204);
      }
      if (request.url === '/api/v1/auth/session') {
        if (bearer === TOKEN) {
          return answer(response, 200, {
            auth_mode: 'required',
            principal: { kind: 'session', tenant: 'default', scopes: ['read', 'admin'], username: 'ana', role: 'admin' },
            csrf_token: 'csrf-1',
            expires_at: EXPIRES,
            token: 'must never reach the page',
          });
        }
        return answer(response, 401, { error: { status: 401, code: 'UNAUTHENTICATED', message: 'Sign in first' } });
      }
      answer(response, 404, { error: { status: 404, message: 'no route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.COLLECTOR_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  received = undefined;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  if (previousUrl === undefined) delete process.env.COLLECTOR_URL;
  else process.env.COLLECTOR_URL = previousUrl;
});

/** A request as the dashboard's own page sends it. */
function pageRequest(path: string, init: { method?: string; body?: string; headers?: Record<string, string>; url?: string } = {}): Request {
  return new Request(init.url ?? `http://127.0.0.1:3000${path}`, {
    method: init.method ?? 'POST',
    body: init.body,
    headers: { host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', ...init.headers },
  });
}

const credentials = (password: string) => JSON.stringify({ username: 'ana', password });

describe('POST /api/auth/login', () => {
  it('signs in at the collector, keeps the token in the cookie and gives the page everything but the token', async () => {
    const response = await login(pageRequest('/api/auth/login', { body: credentials('right password') }), () => NOW);
    expect(response.status).toBe(200);
    expect(received).toMatchObject({ method: 'POST', url: '/api/v1/auth/login', body: credentials('right password') });
    expect(response.headers.get('set-cookie')).toBe(`tv_session=${TOKEN}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200`);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ user: USER, csrf_token: 'csrf-1', expires_at: EXPIRES });
    expect(text).not.toContain(TOKEN);
  });

  it('marks the cookie Secure when the browser came over HTTPS', async () => {
    const response = await login(pageRequest('/api/auth/login', { body: credentials('right password'), headers: { 'x-forwarded-proto': 'https' } }), () => NOW);
    expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it("passes the collector's 401 and 429 (with Retry-After) through, without a cookie", async () => {
    const wrong = await login(pageRequest('/api/auth/login', { body: credentials('wrong password') }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe('Wrong user name or password');
    const throttled = await login(pageRequest('/api/auth/login', { body: credentials('slow down') }));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('900');
    expect(((await throttled.json()) as { error: { message: string } }).error.message).toBe('Too many failed logins; wait 15 minutes');
  });

  it('refuses a body without a name and password, and sign-ins from other sites, without asking the collector', async () => {
    expect((await login(pageRequest('/api/auth/login', { body: '{"username":"ana"}' }))).status).toBe(400);
    expect((await login(pageRequest('/api/auth/login', { body: 'not json' }))).status).toBe(400);
    const crossSite = pageRequest('/api/auth/login', { body: credentials('right password'), headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect((await login(crossSite)).status).toBe(403);
    const form = pageRequest('/api/auth/login', { body: credentials('right password'), headers: { 'content-type': 'text/plain' } });
    expect((await login(form)).status).toBe(403);
    expect(received).toBeUndefined();
  });
});

describe('POST /api/auth/logout', () => {
  it("ends the session at the collector with the token and the page's CSRF token, and deletes the cookie", async () => {
    const response = await logout(pageRequest('/api/auth/logout', { body: '{}', headers: { cookie: `tv_session=${TOKEN}`, 'x-csrf-token': 'csrf-1' } }));
    expect(response.status).toBe(204);
    expect(received?.url).toBe('/api/v1/auth/logout');
    expect(received?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(received?.headers['x-csrf-token']).toBe('csrf-1');
    expect(response.headers.get('set-cookie')).toBe('tv_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('deletes the cookie when the collector says the session is already gone, or when there is no cookie', async () => {
    const gone = await logout(pageRequest('/api/auth/logout', { body: '{}', headers: { cookie: 'tv_session=tvs_gone_x', 'x-csrf-token': 'c' } }));
    expect(gone.status).toBe(204);
    expect(gone.headers.get('set-cookie')).toContain('Max-Age=0');
    const none = await logout(pageRequest('/api/auth/logout', { body: '{}' }));
    expect(none.status).toBe(204);
    expect(none.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('keeps the cookie when the collector refuses (the session still works)', async () => {
    const refused = await logout(pageRequest('/api/auth/logout', { body: '{}', headers: { cookie: `tv_session=${TOKEN}` } }));
    expect(refused.status).toBe(403);
    expect(refused.headers.get('set-cookie')).toBeNull();
  });
});

describe('GET /api/auth/session', () => {
  it("answers with the collector's principal, mode and CSRF token, asked with the cookie's token, and nothing else", async () => {
    const response = await readSession(pageRequest('/api/auth/session', { method: 'GET', headers: { cookie: `tv_session=${TOKEN}` } }));
    expect(response.status).toBe(200);
    expect(received?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      auth_mode: 'required',
      principal: { kind: 'session', tenant: 'default', scopes: ['read', 'admin'], username: 'ana', role: 'admin' },
      csrf_token: 'csrf-1',
      expires_at: EXPIRES,
    });
    expect(text).not.toContain('must never reach the page');
    expect(text).not.toContain(TOKEN);
  });

  it('answers 401 without a session, and deletes the cookie of an ended one', async () => {
    const none = await readSession(pageRequest('/api/auth/session', { method: 'GET' }));
    expect(none.status).toBe(401);
    expect(received?.headers.authorization).toBeUndefined();
    expect(none.headers.get('set-cookie')).toBeNull();
    const ended = await readSession(pageRequest('/api/auth/session', { method: 'GET', headers: { cookie: 'tv_session=tvs_gone_x' } }));
    expect(ended.status).toBe(401);
    expect(ended.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('answers 502 with what to do when the collector is down', async () => {
    const saved = process.env.COLLECTOR_URL;
    process.env.COLLECTOR_URL = 'http://127.0.0.1:9';
    try {
      const down = await readSession(pageRequest('/api/auth/session', { method: 'GET' }));
      expect(down.status).toBe(502);
      expect(((await down.json()) as { error: { message: string } }).error.message).toContain('is not answering: start it with npm run collector');
    } finally {
      process.env.COLLECTOR_URL = saved;
    }
  });
});
