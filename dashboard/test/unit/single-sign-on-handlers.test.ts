import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSignInProblem } from '../../src/auth/sign-in-problem.js';
import { readAuthMethods } from '../../src/server/auth-methods.js';
import { finishSingleSignOn } from '../../src/server/auth-oidc-callback.js';
import { startSingleSignOn } from '../../src/server/auth-oidc-start.js';
import { decodeOidcFlow, oidcFlowCookie, type OidcFlow } from '../../src/server/oidc-flow-cookie.js';

const DASHBOARD = 'http://127.0.0.1:3000';
const TOKEN = 'tvs_sso123_secretpart';
const EXPIRES = '2026-03-01T22:00:00.000Z';
const NOW = Date.parse('2026-03-01T10:00:00.000Z');
const FLOW = {
  authorization_url: 'https://idp.example.com/auth?client_id=tv&state=s',
  state: 'st4te_abcdefghijklmnopqrstuvwxyz0123456789AB',
  code_verifier: 'v'.repeat(43),
  nonce: 'n0nce-xyz',
};

/**
 * A stand-in collector with the single sign-on endpoints. `mode` picks its
 * answers: `configured`, `not_configured` (404 at start), `password_user`
 * (403 at the callback) or `bad_flow` (a start answer the dashboard must
 * not use).
 */
let mode: 'configured' | 'not_configured' | 'password_user' | 'bad_flow' = 'configured';
let server: Server;
let received: { url: string; body: string }[] = [];
const previousUrl = process.env.COLLECTOR_URL;

function answer(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ url: request.url ?? '', body });
      const notConfigured = { error: { status: 404, code: 'NOT_FOUND', message: 'Single sign-on is not configured: set OIDC_ISSUER_URL' } };
      if (request.url === '/api/v1/auth/methods') {
        return answer(response, 200, {
          auth_mode: 'required',
          password: true,
          single_sign_on: mode === 'not_configured' ? null : { issuer: 'https://idp.example.com', secret: 'never passed on' },
          extra: 'dropped',
        });
      }
      if (request.url === '/api/v1/auth/oidc/start') {
        if (mode === 'not_configured') return answer(response, 404, notConfigured);
        if (mode === 'bad_flow') return answer(response, 200, { ...FLOW, authorization_url: 'javascript:alert(1)' });
        return answer(response, 200, FLOW);
      }
      if (request.url === '/api/v1/auth/oidc/callback') {
        if (mode === 'password_user') {
          return answer(response, 403, { error: { status: 403, code: 'FORBIDDEN', message: 'A user named root signs in with a password here' } });
        }
        return answer(response, 200, { session: { token: TOKEN, expires_at: EXPIRES, csrf_token: 'csrf-1', user: { username: 'vi@example.com', role: 'viewer' } } });
      }
      answer(response, 404, { error: { status: 404, message: 'no route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.COLLECTOR_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  received = [];
  mode = 'configured';
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  if (previousUrl === undefined) delete process.env.COLLECTOR_URL;
  else process.env.COLLECTOR_URL = previousUrl;
});

/** The Set-Cookie line for `name`, if the response sets it. */
function setCookie(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** The message a response leaves for the sign-in page. */
function problemLeft(response: Response): string | null {
  const line = setCookie(response, 'tv_sign_in_problem');
  return line ? readSignInProblem(line.split(';')[0]) : null;
}

function cookieFor(flow: OidcFlow): string {
  return oidcFlowCookie(flow, { secure: false }).split(';')[0]!;
}

describe('GET /api/auth/methods', () => {
  it('passes the documented fields through, and nothing else', async () => {
    const response = await readAuthMethods(new Request(`${DASHBOARD}/api/auth/methods`));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ auth_mode: 'required', password: true, single_sign_on: { issuer: 'https://idp.example.com' } });
    mode = 'not_configured';
    expect((await (await readAuthMethods(new Request(`${DASHBOARD}/api/auth/methods`))).json()).single_sign_on).toBeNull();
  });
});

describe('GET /api/auth/oidc/start', () => {
  it('sends the browser to the provider with the flow and a safe next in the tv_oidc cookie', async () => {
    const response = await startSingleSignOn(new Request(`${DASHBOARD}/api/auth/oidc/start?next=${encodeURIComponent('/lookup?q=m-1')}`));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(FLOW.authorization_url);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const cookie = setCookie(response, 'tv_oidc')!;
    expect(cookie).toMatch(/; Path=\/api\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/);
    expect(decodeOidcFlow(cookie.split(';')[0]!.slice('tv_oidc='.length))).toEqual({
      state: FLOW.state,
      code_verifier: FLOW.code_verifier,
      nonce: FLOW.nonce,
      next: '/lookup?q=m-1',
    });
  });

  it('drops a next that leaves the site, and marks the cookie Secure behind HTTPS', async () => {
    const response = await startSingleSignOn(
      new Request(`${DASHBOARD}/api/auth/oidc/start?next=${encodeURIComponent('//evil.example/')}`, { headers: { 'x-forwarded-proto': 'https' } }),
    );
    const cookie = setCookie(response, 'tv_oidc')!;
    expect(cookie).toMatch(/; Secure$/);
    expect(decodeOidcFlow(cookie.split(';')[0]!.slice('tv_oidc='.length))?.next).toBe('/');
  });

  it('goes back to /login with the collector’s message when single sign-on is not configured', async () => {
    mode = 'not_configured';
    const response = await startSingleSignOn(new Request(`${DASHBOARD}/api/auth/oidc/start?next=/deploys`));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Fdeploys');
    expect(problemLeft(response)).toBe('Single sign-on is not configured: set OIDC_ISSUER_URL');
    expect(setCookie(response, 'tv_oidc')).toMatch(/^tv_oidc=; .*Max-Age=0/);
  });

  it('never redirects to a provider URL that is not http or https', async () => {
    mode = 'bad_flow';
    const response = await startSingleSignOn(new Request(`${DASHBOARD}/api/auth/oidc/start`));
    expect(response.headers.get('location')).toBe('/login');
    expect(problemLeft(response)).toMatch(/without a usable flow/);
  });
});

describe('GET /api/auth/oidc/callback', () => {
  const flow: OidcFlow = { state: FLOW.state, code_verifier: FLOW.code_verifier, nonce: FLOW.nonce, next: '/alerts?range=6h' };
  const callback = (query: string, cookie?: string) =>
    finishSingleSignOn(new Request(`${DASHBOARD}/api/auth/oidc/callback?${query}`, { headers: cookie ? { cookie } : {} }), () => NOW);

  it('hands the return to the collector, sets tv_session as a password sign-in does, clears tv_oidc and opens next', async () => {
    const query = `code=the-code&state=${FLOW.state}&iss=https%3A%2F%2Fidp.example.com`;
    const response = await callback(query, `theme=dark; ${cookieFor(flow)}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/alerts?range=6h');
    expect(setCookie(response, 'tv_session')).toBe(`tv_session=${TOKEN}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200`);
    expect(setCookie(response, 'tv_oidc')).toBe('tv_oidc=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0');
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/api/v1/auth/oidc/callback');
    expect(JSON.parse(received[0]!.body)).toEqual({
      callback_url: `${DASHBOARD}/api/auth/oidc/callback?${query}`,
      state: FLOW.state,
      code_verifier: FLOW.code_verifier,
      nonce: FLOW.nonce,
    });
  });

  it('refuses a return without the flow cookie, without asking the collector', async () => {
    const response = await callback(`code=c&state=${FLOW.state}`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
    expect(problemLeft(response)).toMatch(/not started in this browser/);
    expect(setCookie(response, 'tv_session')).toBeUndefined();
    expect(received).toEqual([]);
  });

  it('refuses a tampered state, keeping next for the retry', async () => {
    const response = await callback('code=c&state=tampered', cookieFor(flow));
    expect(response.headers.get('location')).toBe('/login?next=%2Falerts%3Frange%3D6h');
    expect(problemLeft(response)).toMatch(/does not belong to the sign-in started in this browser/);
    expect(setCookie(response, 'tv_session')).toBeUndefined();
    expect(setCookie(response, 'tv_oidc')).toMatch(/Max-Age=0/);
    expect(received).toEqual([]);
  });

  it("refuses the provider's error", async () => {
    const response = await callback(`error=access_denied&state=${FLOW.state}`, cookieFor(flow));
    expect(problemLeft(response)).toMatch(/did not sign you in \(access_denied\)/);
    expect(received).toEqual([]);
  });

  it("shows the collector's refusal on /login", async () => {
    mode = 'password_user';
    const response = await callback(`code=c&state=${FLOW.state}`, cookieFor(flow));
    expect(response.headers.get('location')).toBe('/login?next=%2Falerts%3Frange%3D6h');
    expect(problemLeft(response)).toBe('A user named root signs in with a password here');
    expect(setCookie(response, 'tv_session')).toBeUndefined();
  });

  it('says so when the collector is not answering', async () => {
    const saved = process.env.COLLECTOR_URL;
    process.env.COLLECTOR_URL = 'http://127.0.0.1:9';
    try {
      const response = await callback(`code=c&state=${FLOW.state}`, cookieFor(flow));
      expect(problemLeft(response)).toMatch(/^The collector at http:\/\/127\.0\.0\.1:9 is not answering/);
    } finally {
      process.env.COLLECTOR_URL = saved;
    }
  });
});
