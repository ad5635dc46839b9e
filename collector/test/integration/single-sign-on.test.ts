import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { startTestIdentityProvider, type TestIdentityProvider } from '../../src/testing/test-identity-provider.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider):
 * the browser's trip to the provider is followed by hand with a cookie jar,
 * as the dashboard's callback route would, then the collector exchanges
 * the code and starts a session with the role the provider's groups give.
 */

const CALLBACK = 'http://127.0.0.1:3999/api/auth/oidc/callback';
const data = freshDataDir();
let idp: TestIdentityProvider;
let collector: RunningCollector;

beforeAll(async () => {
  idp = await startTestIdentityProvider([CALLBACK]);
  collector = await startTestCollector(data.dir, {
    auth: 'required',
    adminPassword: 'local admin passphrase',
    adminUser: 'root',
    oidcIssuerUrl: idp.issuer,
    oidcClientId: idp.clientId,
    oidcClientSecret: idp.clientSecret,
    oidcRedirectUrl: CALLBACK,
    oidcAdminGroups: ['tv-admins'],
  });
});
afterAll(async () => {
  await collector?.stop();
  await idp?.close();
  await data.remove();
});

interface Flow {
  authorization_url: string;
  state: string;
  code_verifier: string;
  nonce: string;
}

/** Follows the provider's redirects as a browser would (cookies included) until it sends the browser back to CALLBACK. */
async function visitProvider(start: string): Promise<string> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`the provider answered ${response.status} at ${url}: ${await response.text()}`);
    url = new URL(location, url).href;
    if (url.startsWith(CALLBACK)) return url;
  }
  throw new Error('too many redirects at the provider');
}

async function signOn(account: { id: string; email?: string; groups?: string[] }): Promise<{ status: number; body: any }> {
  const started = await fetch(`${collector.url}/api/v1/auth/oidc/start`);
  expect(started.status).toBe(200);
  const flow = (await started.json()) as Flow;
  expect(new URL(flow.authorization_url).origin).toBe(idp.issuer);
  expect(new URL(flow.authorization_url).searchParams.get('code_challenge_method')).toBe('S256');
  idp.signInAs(account);
  const callbackUrl = await visitProvider(flow.authorization_url);
  const finished = await fetch(`${collector.url}/api/v1/auth/oidc/callback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ callback_url: callbackUrl, state: flow.state, code_verifier: flow.code_verifier, nonce: flow.nonce }),
  });
  return { status: finished.status, body: await finished.json() };
}

it('says which sign-in methods there are, without a credential', async () => {
  const methods = await (await fetch(`${collector.url}/api/v1/auth/methods`)).json();
  expect(methods).toEqual({ auth_mode: 'required', password: true, single_sign_on: { issuer: idp.issuer } });
});

it('signs a provider user in as a viewer, and as an admin when their group says so', async () => {
  const viewer = await signOn({ id: 'u-1', email: 'vi@example.com', groups: ['engineering'] });
  expect(viewer.status).toBe(200);
  expect(viewer.body.session.user).toEqual({ username: 'vi@example.com', role: 'viewer', tenant: 'default' });
  const token = viewer.body.session.token as string;
  expect((await fetch(`${collector.url}/api/v1/overview`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  expect((await fetch(`${collector.url}/api/v1/admin/keys`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);

  const admin = await signOn({ id: 'u-2', email: 'ada@example.com', groups: ['tv-admins'] });
  expect(admin.body.session.user.role).toBe('admin');
  expect((await fetch(`${collector.url}/api/v1/admin/keys`, { headers: { authorization: `Bearer ${admin.body.session.token}` } })).status).toBe(200);
  // The provider is the source of truth: leaving the group makes the next sign-in a viewer.
  expect((await signOn({ id: 'u-2', email: 'ada@example.com', groups: [] })).body.session.user.role).toBe('viewer');
  // A single sign-on user has no password to sign in with.
  const password = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ada@example.com', password: '' }) });
  expect(password.status).toBe(400);
});

it('refuses a replayed or tampered return from the provider', async () => {
  const started = (await (await fetch(`${collector.url}/api/v1/auth/oidc/start`)).json()) as Flow;
  idp.signInAs({ id: 'u-3', email: 'eve@example.com' });
  const callbackUrl = await visitProvider(started.authorization_url);
  const finish = (body: Record<string, string>) =>
    fetch(`${collector.url}/api/v1/auth/oidc/callback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const wrongState = await finish({ callback_url: callbackUrl, state: 'not-the-state', code_verifier: started.code_verifier, nonce: started.nonce });
  expect(wrongState.status).toBe(401);
  expect(((await wrongState.json()) as { error: { message: string } }).error.message).toMatch(/^Single sign-on failed: .*state.*; start again from the sign-in page$/);
  const ok = await finish({ callback_url: callbackUrl, state: started.state, code_verifier: started.code_verifier, nonce: started.nonce });
  expect(ok.status).toBe(200);
  const replay = await finish({ callback_url: callbackUrl, state: started.state, code_verifier: started.code_verifier, nonce: started.nonce });
  expect(replay.status).toBe(401);
});

it('will not hand a password user’s name to a provider account', async () => {
  const taken = await signOn({ id: 'root' });
  expect(taken.status).toBe(403);
  expect(taken.body.error.message).toMatch(/A user named root signs in with a password here/);
});
