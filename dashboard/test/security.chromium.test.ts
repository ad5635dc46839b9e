import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '@tunnelvision/collector';
import { freshDataDir, startTestCollector } from '@tunnelvision/collector/testing';
import { startTestIdentityProvider, type TestIdentityProvider } from '@tunnelvision/collector/testing/identity-provider';
import { double, eventRecord, launchChromium, logsRequest } from '@tunnelvision/test-support';
import { wcagViolations } from './support/axe.js';
import { DASHBOARD_DIR, ensureBuild, freePort, startDashboard, type RunningDashboard } from './support/next-app.js';

/**
 * The security model of docs/security.md as a person meets it on the
 * dashboard, in real headless Chromium against a collector with
 * COLLECTOR_AUTH=required and a first admin from the settings: signing in
 * and out, the session cookie, roles (an admin manages users and keys, a
 * viewer is refused), CSRF, an ended session, and telemetry that tries to
 * inject HTML. Single sign-on goes through a real OpenID Connect provider
 * (oidc-provider, only the person at its login page is scripted) whose
 * redirect URL is this dashboard's callback, so the dashboard's port is
 * chosen before the provider and the collector start. Shares the
 * production build with dashboard.chromium.test.ts.
 */

/** Screenshots for the README and docs, beside the other pages' (dashboard/screenshots). */
const shot = (page: Page, name: string) => page.screenshot({ path: join(DASHBOARD_DIR, 'screenshots', `${name}.png`) });

const ADMIN = { username: 'admin', password: 'correct horse battery staple' };
const VIEWER = { username: 'vera', password: 'viewer passphrase 42' };
/** Telemetry that would run script if the dashboard rendered it as HTML. */
const XSS_REASON = '<img src=x onerror=window.__xss=1><script>window.__xss=2</script>';
const XSS_SESSION = 'xss-session-1';
/** Provider users in this group sign in as admins. */
const SSO_ADMIN_GROUP = 'tv-admins';

const data = freshDataDir();
let collector: RunningCollector;
let idp: TestIdentityProvider;
let dashboard: RunningDashboard;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'UTC', locale: 'en-US', reducedMotion: 'reduce' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

/** Signs in through the form; resolves once the page left /login. */
async function signIn(page: Page, who: { username: string; password: string }, path = '/login'): Promise<void> {
  await page.goto(`${dashboard.url}${path}`);
  await page.getByLabel('User name').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 });
}

/** A session straight from the collector's API, for the test's own calls. */
async function apiSession(who: { username: string; password: string }): Promise<{ token: string; csrf: string }> {
  const response = await fetch(`${collector.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(who),
  });
  if (!response.ok) throw new Error(`login answered ${response.status}: ${await response.text()}`);
  const { session } = (await response.json()) as { session: { token: string; csrf_token: string } };
  return { token: session.token, csrf: session.csrf_token };
}

/** The page's tv_session cookie, as the browser keeps it. */
async function sessionCookie(page: Page) {
  return (await page.context().cookies()).find((c) => c.name === 'tv_session');
}

/** A fetch from inside the page (same origin, its cookies), answering the status. */
function fetchFromPage(page: Page, path: string, init: { method: string; body?: string; headers?: Record<string, string> }): Promise<number> {
  return page.evaluate(async ({ path, init }) => (await fetch(path, init)).status, { path, init });
}

beforeAll(async () => {
  const port = await freePort();
  const callback = `http://127.0.0.1:${port}/api/auth/oidc/callback`;
  const startCollector = async () => {
    idp = await startTestIdentityProvider([callback]);
    return startTestCollector(data.dir, {
      auth: 'required',
      adminUser: ADMIN.username,
      adminPassword: ADMIN.password,
      oidcIssuerUrl: idp.issuer,
      oidcClientId: idp.clientId,
      oidcClientSecret: idp.clientSecret,
      oidcRedirectUrl: callback,
      oidcAdminGroups: [SSO_ADMIN_GROUP],
    });
  };
  const [running] = await Promise.all([startCollector(), ensureBuild()]);
  collector = running;
  [dashboard, browser] = await Promise.all([startDashboard(collector.url, 30_000, port), launchChromium()]);
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await dashboard?.stop();
  await collector?.stop();
  await idp?.close();
  await data.remove();
}, 60_000);

describe('signing in', { timeout: 30_000 }, () => {
  it('a page opened signed out goes to /login, which is accessible and says when the password is wrong', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/deploys?range=1h`);
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('next')).toBe('/deploys?range=1h');
    expect(await wcagViolations(page)).toEqual([]);

    await page.getByLabel('User name').fill(ADMIN.username);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('[data-login-problem]').textContent(), { timeout: 10_000 }).toBe('Wrong user name or password.');
    expect(await sessionCookie(page)).toBeUndefined();
    expect(await wcagViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('guessing is throttled: after five wrong passwords for a name, the page says when to try again', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/login`);
    const problem = page.locator('[data-login-problem]');
    for (let i = 0; i < 6; i++) {
      await page.getByLabel('User name').fill('someone-guessed');
      await page.getByLabel('Password').fill(`guess number ${i}`);
      // Each attempt waits for its own answer, so the sixth is sent after the fifth failure counted.
      const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/auth/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
      expect(answer.status()).toBe(i < 5 ? 401 : 429);
      const expected = i < 5 ? /^Wrong user name or password\.$/ : /^Too many sign-in attempts\. Try again in 15 minutes\.$/;
      await expect.poll(async () => expected.test((await problem.textContent()) ?? ''), { timeout: 10_000 }).toBe(true);
    }
    expect(await sessionCookie(page)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('the right password opens the overview with the session in an HttpOnly, SameSite=Strict cookie the page cannot read', async () => {
    const page = await newPage();
    await signIn(page, ADMIN);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.locator('[data-page="overview"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('[data-session-user]').textContent(), { timeout: 10_000 }).toBe(ADMIN.username);
    await expect(page.locator('[data-session-role]').textContent()).resolves.toBe('admin');
    await expect(page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Admin' }).count()).resolves.toBe(1);
    await expect(page.locator('[data-state="error"]').count()).resolves.toBe(0);

    const cookie = await sessionCookie(page);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.value).toMatch(/^tvs_/);
    expect(await page.evaluate(() => document.cookie)).not.toContain('tv_session');
    // Neither the session endpoint nor the proxy hands the token to the page.
    const seen = await page.evaluate(async () => `${await (await fetch('/api/auth/session')).text()}${await (await fetch('/api/collector/auth/session')).text()}`);
    expect(seen).not.toContain(cookie!.value);
    expect(pageErrors).toEqual([]);
  });
});

describe('an admin manages users and keys', { timeout: 45_000 }, () => {
  it('adds a viewer', async () => {
    const page = await newPage();
    await signIn(page, ADMIN, '/login?next=/admin/users');
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    await page.locator(`tr[data-username="${ADMIN.username}"]`).waitFor({ timeout: 15_000 });
    expect(await wcagViolations(page)).toEqual([]);

    await page.getByLabel('User name').fill(VIEWER.username);
    await page.getByLabel('Password').fill(VIEWER.password);
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Add user' }).click();
    const row = page.locator(`tr[data-username="${VIEWER.username}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.locator('td[data-label="Role"]').textContent()).resolves.toBe('viewer');
    expect(await wcagViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('creates a key whose secret shows once and works, then revokes it', async () => {
    const page = await newPage();
    await signIn(page, ADMIN, '/login?next=/admin/keys');
    await page.locator('form[data-form="new-key"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-state="loading"]').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await wcagViolations(page)).toEqual([]);

    // A browser key needs its origins: the form says so before anything is sent.
    await page.getByLabel('Name').fill('web-ingest');
    await page.getByLabel('Browser: web pages sending telemetry').check();
    await expect(page.getByLabel('read: query the API').isDisabled()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.locator('[data-form-problems]').textContent()).toContain('List the origins your pages are served from');

    await page.getByLabel('Server: back ends, CI, scripts').check();
    await page.getByLabel('Name').fill('ci-reader');
    await page.getByLabel('ingest: send telemetry').uncheck();
    await page.getByLabel('read: query the API').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.locator('[data-new-key] [data-secret]');
    await secret.waitFor({ timeout: 10_000 });
    const value = (await secret.textContent()) ?? '';
    expect(value).toMatch(/^tvk_/);
    await expect(page.locator('.tv-new-secret-warning').textContent()).resolves.toContain('it will not be shown again');
    expect(await wcagViolations(page)).toEqual([]);
    await shot(page, 'admin-new-key');
    const keyId = (await page.locator('[data-new-key]').getAttribute('data-new-key'))!;
    const row = page.locator(`tr[data-key-id="${keyId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.locator('td[data-label="Scopes"]').textContent()).resolves.toBe('read');

    const readWith = async (key: string) => (await fetch(`${collector.url}/api/v1/deploys`, { headers: { authorization: `Bearer ${key}` } })).status;
    expect(await readWith(value)).toBe(200);

    await page.reload();
    await row.waitFor({ timeout: 15_000 });
    await expect(page.locator('[data-secret]').count()).resolves.toBe(0);
    await expect(page.locator('main').textContent()).resolves.not.toContain(value);

    await row.getByRole('button', { name: 'Revoke ci-reader' }).click();
    await row.locator('[data-action="confirm-revoke"]').click();
    await expect.poll(() => row.getAttribute('data-revoked'), { timeout: 10_000 }).toBe('true');
    expect(await readWith(value)).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});

describe('a viewer', { timeout: 30_000 }, () => {
  it('reads, sees no Admin link, is refused on the admin pages, and cannot create a key through the proxy', async () => {
    const page = await newPage();
    await signIn(page, VIEWER);
    await expect.poll(() => page.locator('[data-session-role]').textContent(), { timeout: 10_000 }).toBe('viewer');
    await expect(page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Admin' }).count()).resolves.toBe(0);

    await page.goto(`${dashboard.url}/admin/keys`);
    await expect.poll(() => page.locator('[data-state="forbidden"]').textContent(), { timeout: 10_000 }).toContain('You need the admin role');
    expect(await wcagViolations(page)).toEqual([]);

    const csrf = await page.evaluate(async () => ((await (await fetch('/api/auth/session')).json()) as { csrf_token: string }).csrf_token);
    const status = await fetchFromPage(page, '/api/collector/admin/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ name: 'sneaky', kind: 'server', scopes: ['admin'] }),
    });
    expect(status).toBe(403);
    expect(pageErrors).toEqual([]);
  });
});

describe('sessions', { timeout: 30_000 }, () => {
  it('a write without the CSRF token is refused', async () => {
    const page = await newPage();
    await signIn(page, ADMIN);
    const body = JSON.stringify({ name: 'no-csrf', kind: 'server', scopes: ['read'] });
    const status = await fetchFromPage(page, '/api/collector/admin/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(status).toBe(403);
  });

  it('a session ended elsewhere sends the page to /login, and signing in again returns to where it was', async () => {
    const page = await newPage();
    await signIn(page, ADMIN);
    const cookie = await sessionCookie(page);
    const csrf = await page.evaluate(async () => ((await (await fetch('/api/auth/session')).json()) as { csrf_token: string }).csrf_token);
    const ended = await fetch(`${collector.url}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${cookie!.value}`, 'x-csrf-token': csrf } });
    expect(ended.status).toBe(204);

    // The page itself navigates to /login once the API answers 401, which can
    // happen before its load event and would abort a goto waiting for it.
    await page.goto(`${dashboard.url}/lookup?q=${XSS_SESSION}`, { waitUntil: 'commit' });
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/lookup?q=${XSS_SESSION}`);
    await page.getByLabel('User name').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/lookup' && url.searchParams.get('q') === XSS_SESSION, { timeout: 15_000 });
  });

  it('signing out ends the session and deletes the cookie', async () => {
    const page = await newPage();
    await signIn(page, ADMIN);
    const token = (await sessionCookie(page))!.value;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('signed_out') === '1', { timeout: 15_000 });
    await expect(page.locator('[data-notice="signed-out"]').textContent()).resolves.toBe('Signed out.');
    expect(await sessionCookie(page)).toBeUndefined();
    const after = await fetch(`${collector.url}/api/v1/deploys`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});

describe('an account', { timeout: 30_000 }, () => {
  it('changes its own password: a wrong current one is refused, then the new one signs in', async () => {
    const admin = await apiSession(ADMIN);
    const mover = { username: 'mover', password: 'first passphrase 1' };
    const created = await fetch(`${collector.url}/api/v1/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}`, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({ ...mover, role: 'viewer' }),
    });
    expect(created.status).toBe(201);
    const page = await newPage();
    await signIn(page, mover);
    await page.locator('[data-session-user]').click();
    await page.waitForURL((url) => url.pathname === '/account', { timeout: 10_000 });
    expect(await wcagViolations(page)).toEqual([]);

    const change = async (current: string) => {
      await page.getByLabel('Current password').fill(current);
      await page.getByLabel('New password', { exact: true }).fill('second passphrase 2');
      await page.getByLabel('New password again').fill('second passphrase 2');
      await page.getByRole('button', { name: 'Change password' }).click();
    };
    await change('not my password');
    await expect.poll(() => page.locator('[data-password-problem]').textContent(), { timeout: 10_000 }).toBe('The current password is wrong');
    expect(await wcagViolations(page)).toEqual([]);
    await change(mover.password);
    await page.locator('[data-notice="password-changed"]').waitFor({ timeout: 10_000 });

    const again = await newPage();
    await signIn(again, { ...mover, password: 'second passphrase 2' });
    await expect.poll(() => again.locator('[data-session-user]').textContent(), { timeout: 10_000 }).toBe('mover');
    expect(pageErrors).toEqual([]);
  });
});

describe('untrusted telemetry', { timeout: 30_000 }, () => {
  it('shows markup in attributes as text and never runs it', async () => {
    const admin = await apiSession(ADMIN);
    const created = await fetch(`${collector.url}/api/v1/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}`, 'x-csrf-token': admin.csrf },
      body: JSON.stringify({ name: 'xss-ingest', kind: 'server', scopes: ['ingest'] }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const now = Date.now() - 60_000;
    const attributes = { 'session.id': XSS_SESSION, 'tv.connection.id': 'xss-c1', 'server.address': XSS_REASON };
    const ingested = await fetch(`${collector.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify(
        logsRequest({ 'service.name': 'chat-web', 'tv.role': 'client' }, [
          eventRecord('conn.open', attributes, now),
          eventRecord('conn.close', { ...attributes, 'tv.close.code': 4000, 'tv.close.reason': XSS_REASON, 'tv.close.clean': false, 'tv.connection.duration_ms': double(1_000) }, now + 1_000),
        ]),
      ),
    });
    expect(ingested.status).toBeLessThan(300);
    // Ingest is batched: wait until the collector can show both events, so the page's one read finds them.
    const stored = async () => {
      const response = await fetch(`${collector.url}/api/v1/timeline?session_id=${XSS_SESSION}`, { headers: { authorization: `Bearer ${admin.token}` } });
      return (await response.text()).includes('conn.close');
    };
    await expect.poll(stored, { timeout: 15_000, interval: 200 }).toBe(true);

    const page = await newPage();
    await signIn(page, ADMIN, `/login?next=${encodeURIComponent(`/lookup?q=${XSS_SESSION}`)}`);
    const timeline = page.locator('.tv-timeline');
    await expect.poll(() => timeline.textContent(), { timeout: 15_000, interval: 250 }).toContain(XSS_REASON);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    await expect(page.locator('main img[src="x"], main script').count()).resolves.toBe(0);

    // The overview filtered by the same markup (a server label): the filter shows it as text, the close codes count its close.
    await page.goto(`${dashboard.url}/?range=1h&server=${encodeURIComponent(XSS_REASON)}`);
    await expect.poll(() => page.locator('[data-section="close-codes"] tr[data-code="4000"]').count(), { timeout: 15_000, interval: 250 }).toBe(1);
    await expect(page.getByLabel('Server').inputValue()).resolves.toBe(XSS_REASON);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    await expect(page.locator('main img[src="x"], main script').count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

/** A cookie of the page's context by name, as the browser keeps it. */
async function cookieNamed(page: Page, name: string) {
  return (await page.context().cookies()).find((c) => c.name === name);
}

/** Opens /login (with `next`), clicks single sign-on and resolves once the provider has sent the browser back and on to `pathname`. */
async function signOnThroughProvider(page: Page, account: { id: string; email: string; groups: string[] }, pathname: string, next?: string): Promise<void> {
  await page.goto(`${dashboard.url}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  idp.signInAs(account);
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await page.waitForURL((url) => url.origin === dashboard.url && url.pathname === pathname, { timeout: 15_000 });
}

describe('single sign-on', { timeout: 30_000 }, () => {
  it('the sign-in page offers it, naming the provider, and stays accessible', async () => {
    const page = await newPage();
    await page.goto(`${dashboard.url}/login?next=${encodeURIComponent('/deploys?range=6h')}`);
    const link = page.getByRole('link', { name: 'Sign in with single sign-on' });
    await link.waitFor({ timeout: 10_000 });
    expect(await link.getAttribute('href')).toBe(`/api/auth/oidc/start?next=${encodeURIComponent('/deploys?range=6h')}`);
    await expect(page.locator('#login-sso-provider').textContent()).resolves.toBe(`You sign in at ${new URL(idp.issuer).host}.`);
    expect(await wcagViolations(page)).toEqual([]);
    await shot(page, 'login');
    expect(pageErrors).toEqual([]);
  });

  it('goes through the provider and lands signed in on the overview as a viewer', async () => {
    const page = await newPage();
    await signOnThroughProvider(page, { id: 'sso-vi', email: 'vi@example.com', groups: ['engineering'] }, '/');
    await page.locator('[data-page="overview"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('[data-session-user]').textContent(), { timeout: 10_000 }).toBe('vi@example.com');
    await expect(page.locator('[data-session-role]').textContent()).resolves.toBe('viewer');
    await expect(page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Admin' }).count()).resolves.toBe(0);
    await expect(page.locator('[data-state="error"]').count()).resolves.toBe(0);
    // The same session cookie as a password sign-in; the flow's cookie is gone.
    expect(await cookieNamed(page, 'tv_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await cookieNamed(page, 'tv_oidc')).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('a user in the admin group is an admin, and returns to next', async () => {
    const page = await newPage();
    await signOnThroughProvider(page, { id: 'sso-ada', email: 'ada@example.com', groups: [SSO_ADMIN_GROUP] }, '/deploys', '/deploys');
    await expect.poll(() => page.locator('[data-session-user]').textContent(), { timeout: 10_000 }).toBe('ada@example.com');
    await expect(page.locator('[data-session-role]').textContent()).resolves.toBe('admin');
    await expect(page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Admin' }).count()).resolves.toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('a return with a tampered state lands on /login with the message, accessible, and without a session', async () => {
    const page = await newPage();
    // Start as the link would, and follow the provider hop by hop with the page's own cookies, stopping before the return.
    const started = await page.request.get(`${dashboard.url}/api/auth/oidc/start`, { maxRedirects: 0 });
    expect(started.status()).toBe(303);
    expect(await cookieNamed(page, 'tv_oidc')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/oidc' });
    idp.signInAs({ id: 'sso-eve', email: 'eve@example.com' });
    let url = started.headers().location!;
    for (let hop = 0; hop < 10 && !url.startsWith(`${dashboard.url}/api/auth/oidc/callback`); hop++) {
      const response = await page.request.get(url, { maxRedirects: 0 });
      const location = response.headers().location;
      if (!location) throw new Error(`the provider answered ${response.status()} at ${url}: ${await response.text()}`);
      url = new URL(location, url).href;
    }
    const tampered = new URL(url);
    expect(tampered.searchParams.get('code')).toBeTruthy();
    tampered.searchParams.set('state', 'tampered-state');

    await page.goto(tampered.href);
    await page.waitForURL((u) => u.pathname === '/login', { timeout: 15_000 });
    const problem = page.locator('[data-sign-in-problem]');
    await expect.poll(() => problem.textContent(), { timeout: 10_000 }).toMatch(/does not belong to the sign-in started in this browser/);
    await expect(problem.getAttribute('role')).resolves.toBe('alert');
    expect(await cookieNamed(page, 'tv_session')).toBeUndefined();
    expect(await cookieNamed(page, 'tv_oidc')).toBeUndefined();
    expect(await wcagViolations(page)).toEqual([]);
    // The message is read once: a reload does not show it again.
    await page.reload();
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).waitFor({ timeout: 10_000 });
    await expect(problem.count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
