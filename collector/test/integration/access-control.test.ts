import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * docs/security.md through real HTTP, with sign-in required: keys and their
 * scopes, browser keys and origins, tenants kept apart, dashboard sessions,
 * CSRF, roles, throttled logins and rate limits.
 */

const ADMIN_PASSWORD = 'correct horse battery staple';
const data = freshDataDir();
let collector: RunningCollector;

beforeAll(async () => {
  collector = await startTestCollector(data.dir, { auth: 'required', adminUser: 'root', adminPassword: ADMIN_PASSWORD, rateLimitPerMinute: 0 });
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

async function call<T = any>(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${collector.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

const sessionEvents = (session: string, service = 'chat') => logsRequest({ 'service.name': service }, [eventRecord('conn.open', { 'session.id': session })]);
const postLogs = (token: string | undefined, session: string, headers: Record<string, string> = {}) =>
  call('POST', '/v1/logs', { ...(token ? { token } : {}), body: sessionEvents(session), headers });
const timeline = (token: string | undefined, session: string) => call('GET', `/api/v1/timeline?session_id=${session}`, token ? { token } : {});

async function login(username: string, password: string): Promise<{ token: string; csrf: string }> {
  const answer = await call('POST', '/api/v1/auth/login', { body: { username, password } });
  expect(answer.status).toBe(200);
  return { token: answer.body.session.token, csrf: answer.body.session.csrf_token };
}

let admin: { token: string; csrf: string };
const adminWrite = (method: string, path: string, body?: unknown) => call(method, path, { token: admin.token, body, headers: { 'x-csrf-token': admin.csrf } });
async function newKey(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const answer = await adminWrite('POST', '/api/v1/admin/keys', body);
  expect(answer.status).toBe(201);
  return { id: answer.body.key.id, secret: answer.body.secret };
}

beforeAll(async () => {
  admin = await login('root', ADMIN_PASSWORD);
});

describe('keys', () => {
  it('refuses a request with no key, with a message saying how to send one', async () => {
    const read = await timeline(undefined, 'x');
    expect(read.status).toBe(401);
    expect(read.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(read.body.error).toMatchObject({ status: 401, code: 'unauthenticated', message: expect.stringMatching(/Sign in, or send an API key/) });
    // HEAD runs the GET handler, so it is refused alike.
    expect((await call('HEAD', '/api/v1/timeline?session_id=x')).status).toBe(401);
    const write = await postLogs(undefined, 'x');
    expect(write.status).toBe(401);
    expect(write.body.message).toMatch(/^Missing ingest key/);
  });

  it('refuses a wrong key, and a revoked one from the moment it is revoked', async () => {
    const key = await newKey({ name: 'soon revoked', scopes: ['ingest', 'read'] });
    expect((await timeline(key.secret, 'x')).status).toBe(200);
    const forged = `${key.secret.slice(0, -4)}AAAA`;
    const wrong = await timeline(forged, 'x');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/^Unknown API key/);
    expect(JSON.stringify(wrong.body)).not.toContain(forged);
    expect((await adminWrite('DELETE', `/api/v1/admin/keys/${key.id}`)).status).toBe(200);
    const revoked = await timeline(key.secret, 'x');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(new RegExp(`API key ${key.id} was revoked`));
  });

  it('stores keys hashed and shows the secret only when it is created', async () => {
    const key = await newKey({ name: 'listed', scopes: ['read'] });
    expect(key.secret).toMatch(/^tvk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const listed = await call('GET', '/api/v1/admin/keys', { token: admin.token });
    // The secret part may itself contain '_', so take everything after tvk_<id>_.
    expect(JSON.stringify(listed.body)).not.toContain(key.secret.slice(`tvk_${key.id}_`.length));
    expect(listed.body.keys.find((k: { id: string }) => k.id === key.id)).toMatchObject({ name: 'listed', scopes: ['read'], revoked_at: null });
    const stored = await collector.store.client.query({ query: `SELECT Digest FROM ${collector.store.database}.access_keys WHERE KeyId = {id:String}`, query_params: { id: key.id }, format: 'JSONEachRow' });
    const [row] = await stored.json<{ Digest: string }>();
    expect(row!.Digest).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.Digest).not.toContain(key.secret);
  });

  it('lets an ingest key write but not read, and a read key read but not write', async () => {
    const ingest = await newKey({ name: 'writer', scopes: ['ingest'] });
    const reader = await newKey({ name: 'reader', scopes: ['read'] });
    expect((await postLogs(ingest.secret, 'scoped')).status).toBe(200);
    const refused = await timeline(ingest.secret, 'scoped');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(`Key ${ingest.id} does not have the read scope`) });
    expect((await timeline(reader.secret, 'scoped')).body.events).toHaveLength(1);
    expect((await postLogs(reader.secret, 'scoped')).status).toBe(403);
  });

  it('works with the official OTLP exporter configured through its headers setting', async () => {
    const ingest = await newKey({ name: 'exporter', scopes: ['ingest'] });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'chat' }),
      processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${collector.url}/v1/logs`, headers: { authorization: `Bearer ${ingest.secret}` } }) })],
    });
    provider.getLogger('t').emit({ eventName: 'conn.open', attributes: { 'session.id': 'via-exporter' } });
    await provider.forceFlush();
    await provider.shutdown();
    expect((await timeline(admin.token, 'via-exporter')).body.events).toHaveLength(1);
  });

  it('accepts a browser key only from its origins, and only for telemetry', async () => {
    const browser = await newKey({ name: 'web app', kind: 'browser', scopes: ['ingest'], origins: ['https://app.example'] });
    expect((await postLogs(browser.secret, 'from-browser', { origin: 'https://app.example' })).status).toBe(200);
    const foreign = await postLogs(browser.secret, 'from-elsewhere', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toMatch(/accepted only from https:\/\/app\.example; this request came from https:\/\/evil\.example/);
    expect((await postLogs(browser.secret, 'no-origin')).status).toBe(403);
    const deploy = await call('POST', '/api/v1/deploys', { token: browser.secret, body: { service: 'chat', version: '2' }, headers: { origin: 'https://app.example' } });
    expect(deploy.status).toBe(403);
    expect((await timeline(admin.token, 'from-elsewhere')).body.events).toHaveLength(0);
  });

  it('refuses browser keys that could read, or that name no origin', async () => {
    const readable = await adminWrite('POST', '/api/v1/admin/keys', { name: 'bad', kind: 'browser', scopes: ['read'], origins: ['https://app.example'] });
    expect(readable.status).toBe(400);
    expect(readable.body.error.message).toMatch(/may only have the ingest scope/);
    const anywhere = await adminWrite('POST', '/api/v1/admin/keys', { name: 'bad', kind: 'browser', scopes: ['ingest'] });
    expect(anywhere.body.error.message).toMatch(/needs the origins/);
  });

  it('stores what a service-bound key writes under its service', async () => {
    const bound = await newKey({ name: 'billing only', scopes: ['ingest'], service: 'billing' });
    expect((await postLogs(bound.secret, 'bound-service')).status).toBe(200);
    const [event] = (await timeline(admin.token, 'bound-service')).body.events;
    expect(event.service).toBe('billing');
  });
});

describe('tenants', () => {
  let acmeWriter: string;
  let acmeReader: string;

  beforeAll(async () => {
    expect((await adminWrite('POST', '/api/v1/admin/tenants', { id: 'acme' })).status).toBe(201);
    acmeWriter = (await newKey({ name: 'acme app', scopes: ['ingest'], tenant: 'acme' })).secret;
    acmeReader = (await newKey({ name: 'acme support', scopes: ['read'], tenant: 'acme' })).secret;
    expect((await postLogs(acmeWriter, 'acme-session')).status).toBe(200);
  });

  it("keeps one tenant's sessions from another: not found, exactly as a session that never existed", async () => {
    expect((await timeline(acmeReader, 'acme-session')).body.events).toHaveLength(1);
    const fromDefault = await timeline(admin.token, 'acme-session');
    const never = await timeline(admin.token, 'never-existed');
    expect(fromDefault.status).toBe(never.status);
    const shape = ({ from: _from, to: _to, lookup, ...rest }: Record<string, unknown>) => ({ ...rest, lookup: { ...(lookup as object), value: '(id)' } });
    expect(shape(fromDefault.body)).toEqual(shape(never.body));
    expect(fromDefault.body.events).toHaveLength(0);
  });

  it('keeps overviews, deploys and silences apart', async () => {
    const acmeOverview = await call('GET', '/api/v1/overview', { token: acmeReader });
    expect(acmeOverview.status).toBe(200);
    const acmeDeploy = await call('POST', '/api/v1/deploys', { token: acmeWriter, body: { service: 'chat', version: 'acme-1' } });
    expect(acmeDeploy.status).toBe(201);
    const defaultDeploys = await call('GET', '/api/v1/deploys', { token: admin.token });
    expect(JSON.stringify(defaultDeploys.body)).not.toContain('acme-1');
    expect(JSON.stringify((await call('GET', '/api/v1/deploys', { token: acmeReader })).body)).toContain('acme-1');
    await adminWrite('POST', '/api/v1/silences', { matchers: { rule: 'reconnect-spike' }, ends_at: new Date(Date.now() + 3_600_000).toISOString(), comment: 'default only' });
    expect((await call('GET', '/api/v1/silences', { token: acmeReader })).body.silences).toHaveLength(0);
  });

  it("does not let a tenant's admin reach another tenant", async () => {
    const acmeAdmin = await newKey({ name: 'acme admin', scopes: ['admin', 'read'], tenant: 'acme' });
    const other = await call('GET', '/api/v1/admin/keys?tenant=default', { token: acmeAdmin.secret });
    expect(other.status).toBe(403);
    expect((await call('GET', '/api/v1/admin/tenants', { token: acmeAdmin.secret })).status).toBe(403);
    const own = await call('GET', '/api/v1/admin/keys', { token: acmeAdmin.secret });
    expect(own.body.keys.every((k: { tenant: string }) => k.tenant === 'acme')).toBe(true);
  });
});

describe('dashboard sessions', () => {
  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await call('POST', '/api/v1/auth/login', { body: { username: 'root', password: 'not the password' } });
    const unknown = await call('POST', '/api/v1/auth/login', { body: { username: 'nobody', password: 'not the password' } });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.error.message).toBe('Wrong user name or password');
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it('throttles guessing: the sixth failure in a row gets 429 with Retry-After, even with the right password', async () => {
    const create = await adminWrite('POST', '/api/v1/admin/users', { username: 'guessed', password: 'the real password 1', role: 'viewer' });
    expect(create.status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await call('POST', '/api/v1/auth/login', { body: { username: 'guessed', password: `guess ${i}` } })).status).toBe(401);
    const throttled = await call('POST', '/api/v1/auth/login', { body: { username: 'guessed', password: 'the real password 1' } });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(throttled.body.error.message).toMatch(/Too many failed sign-ins; try again in \d+ s/);
  });

  it('gives a viewer reads and refuses them admin actions', async () => {
    await adminWrite('POST', '/api/v1/admin/users', { username: 'vera', password: 'viewer password 1', role: 'viewer' });
    const viewer = await login('vera', 'viewer password 1');
    expect((await call('GET', '/api/v1/overview', { token: viewer.token })).status).toBe(200);
    const refused = await call('POST', '/api/v1/admin/keys', { token: viewer.token, body: { name: 'x', scopes: ['read'] }, headers: { 'x-csrf-token': viewer.csrf } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Your role \(viewer\) does not have the admin scope/);
    const silence = await call('POST', '/api/v1/silences', { token: viewer.token, body: { matchers: {} }, headers: { 'x-csrf-token': viewer.csrf } });
    expect(silence.status).toBe(403);
  });

  it('refuses a change without the CSRF token, or with another session’s', async () => {
    const other = await login('vera', 'viewer password 1');
    const body = { name: 'csrf', scopes: ['read'] };
    const missing = await call('POST', '/api/v1/admin/keys', { token: admin.token, body });
    expect(missing.status).toBe(403);
    expect(missing.body.error.message).toMatch(/Missing or wrong CSRF token/);
    expect((await call('POST', '/api/v1/admin/keys', { token: admin.token, body, headers: { 'x-csrf-token': other.csrf } })).status).toBe(403);
    expect((await adminWrite('POST', '/api/v1/admin/keys', body)).status).toBe(201);
  });

  it('tells who is signed in, and ends the session on logout', async () => {
    const session = await login('vera', 'viewer password 1');
    const me = await call('GET', '/api/v1/auth/session', { token: session.token });
    expect(me.body).toMatchObject({ auth_mode: 'required', csrf_token: session.csrf, principal: { kind: 'session', username: 'vera', role: 'viewer', tenant: 'default', scopes: ['read'] } });
    expect((await call('POST', '/api/v1/auth/logout', { token: session.token, headers: { 'x-csrf-token': session.csrf } })).status).toBe(204);
    const after = await call('GET', '/api/v1/overview', { token: session.token });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/session has expired or ended; sign in again/);
  });

  it('refuses an expired session', async () => {
    const thirteenHoursAgo = Date.now() - 13 * 3_600_000;
    const { token } = await collector.access.sessions.start({ tenant: 'default', username: 'vera', role: 'viewer' }, thirteenHoursAgo);
    const expired = await call('GET', '/api/v1/overview', { token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('unauthenticated');
  });

  it('reads the store for at most 50 unknown session ids a second, so made-up tokens cannot flood it', async () => {
    const reads = vi.spyOn(collector.store.client, 'query');
    try {
      const made = Array.from({ length: 200 }, (_, i) => `tvs_${i.toString(16).padStart(16, '0')}_${'A'.repeat(43)}`);
      const now = Date.now();
      const found = await Promise.all(made.map((token) => collector.access.sessions.find(token.slice(4, 20), token, now)));
      expect(found.every((session) => session === undefined)).toBe(true);
      expect(reads.mock.calls.length).toBe(50);
    } finally {
      reads.mockRestore();
    }
  });

  it('lets a user change their own password: the current one is checked, their other sessions end, this one stays', async () => {
    await adminWrite('POST', '/api/v1/admin/users', { username: 'mover', password: 'first password 1', role: 'viewer' });
    const here = await login('mover', 'first password 1');
    const elsewhere = await login('mover', 'first password 1');
    const change = (body: unknown, csrf = here.csrf) => call('POST', '/api/v1/auth/password', { token: here.token, body, headers: { 'x-csrf-token': csrf } });
    const wrong = await change({ current_password: 'not it', new_password: 'second password 2' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toBe('The current password is wrong');
    expect((await change({ current_password: 'first password 1', new_password: 'short' })).body.error.message).toMatch(/new_password: a password has at least 12 characters/);
    expect((await change({ current_password: 'first password 1', new_password: 'second password 2' }, 'no-csrf')).status).toBe(403);
    expect(await change({ current_password: 'first password 1', new_password: 'second password 2' })).toMatchObject({ status: 200, body: { password_changed: true } });
    expect((await call('GET', '/api/v1/overview', { token: here.token })).status).toBe(200);
    expect((await call('GET', '/api/v1/overview', { token: elsewhere.token })).status).toBe(401);
    expect((await call('POST', '/api/v1/auth/login', { body: { username: 'mover', password: 'first password 1' } })).status).toBe(401);
    await login('mover', 'second password 2');
  });

  it("ends a deleted user's sessions", async () => {
    await adminWrite('POST', '/api/v1/admin/users', { username: 'leaver', password: 'leaving password 1', role: 'viewer' });
    const leaver = await login('leaver', 'leaving password 1');
    expect((await adminWrite('DELETE', '/api/v1/admin/users/leaver')).status).toBe(200);
    expect((await call('GET', '/api/v1/overview', { token: leaver.token })).status).toBe(401);
  });
});

describe('what stays open', () => {
  it('answers probes and metrics without a credential', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${collector.url}${path}`)).status).toBe(200);
  });
});
