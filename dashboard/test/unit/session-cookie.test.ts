import { describe, expect, it } from 'vitest';
import { isHttpsRequest } from '../../src/server/https-request.js';
import { clearedSessionCookie, readSessionToken, secondsUntil, sessionCookie } from '../../src/server/session-cookie.js';

const TOKEN = 'tvs_0a1b2c_s3cr3t-XYZ';
const NOW = Date.parse('2026-03-01T10:00:00.000Z');

describe('sessionCookie', () => {
  it('is HttpOnly, SameSite=Strict, Path=/, and lives until the session expires', () => {
    expect(sessionCookie(TOKEN, '2026-03-01T22:00:00.000Z', { secure: false, now: NOW })).toBe(
      `tv_session=${TOKEN}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200`,
    );
  });

  it('is Secure over HTTPS', () => {
    expect(sessionCookie(TOKEN, NOW + 90_500, { secure: true, now: NOW })).toBe(`tv_session=${TOKEN}; Path=/; HttpOnly; SameSite=Strict; Max-Age=90; Secure`);
  });

  it('ends at once for an expiry in the past, and with the browser session for one it cannot read', () => {
    expect(sessionCookie(TOKEN, '2026-03-01T09:00:00.000Z', { secure: false, now: NOW })).toContain('Max-Age=0');
    expect(sessionCookie(TOKEN, 'soon', { secure: false, now: NOW })).not.toContain('Max-Age');
  });

  it('refuses a token that would break or inject into the header', () => {
    for (const bad of ['a;b', 'a b', 'a\r\nSet-Cookie: x=1', '', 'tvs_"x"']) {
      expect(() => sessionCookie(bad, NOW + 1000, { secure: false, now: NOW })).toThrow('characters a cookie cannot hold');
    }
  });

  it('is deleted with Max-Age=0 and the same attributes', () => {
    expect(clearedSessionCookie({ secure: false })).toBe('tv_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(clearedSessionCookie({ secure: true })).toBe('tv_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
  });
});

describe('readSessionToken', () => {
  it('finds tv_session among other cookies', () => {
    expect(readSessionToken(new Headers({ cookie: `theme=dark; tv_session=${TOKEN}; other=1` }))).toBe(TOKEN);
    expect(readSessionToken(new Headers({ cookie: `tv_session=${TOKEN}` }))).toBe(TOKEN);
  });

  it('is undefined without the cookie, with an empty one, or with a malformed one', () => {
    expect(readSessionToken(undefined)).toBeUndefined();
    expect(readSessionToken(new Headers())).toBeUndefined();
    expect(readSessionToken(new Headers({ cookie: 'tv_session_old=abc; x=tv_session' }))).toBeUndefined();
    expect(readSessionToken(new Headers({ cookie: 'tv_session=' }))).toBeUndefined();
    expect(readSessionToken(new Headers({ cookie: 'tv_session=a"b' }))).toBeUndefined();
  });
});

describe('secondsUntil', () => {
  it('counts whole seconds to an ISO time or epoch ms, never below 0', () => {
    expect(secondsUntil('2026-03-01T10:01:00.999Z', NOW)).toBe(60);
    expect(secondsUntil(NOW + 1_500, NOW)).toBe(1);
    expect(secondsUntil(NOW - 5_000, NOW)).toBe(0);
    expect(secondsUntil('not a time', NOW)).toBeUndefined();
  });
});

describe('isHttpsRequest', () => {
  it('believes the first x-forwarded-proto of a TLS-terminating proxy', () => {
    expect(isHttpsRequest(new Headers({ 'x-forwarded-proto': 'https' }), 'http://127.0.0.1:3000/api/auth/login')).toBe(true);
    expect(isHttpsRequest(new Headers({ 'x-forwarded-proto': 'HTTPS, http' }), 'http://127.0.0.1:3000/')).toBe(true);
    expect(isHttpsRequest(new Headers({ 'x-forwarded-proto': 'http' }), 'https://dash.example.com/')).toBe(false);
  });

  it("falls back to the request URL's scheme", () => {
    expect(isHttpsRequest(new Headers(), 'https://dash.example.com/api/auth/login')).toBe(true);
    expect(isHttpsRequest(new Headers(), 'http://127.0.0.1:3000/api/auth/login')).toBe(false);
    expect(isHttpsRequest(new Headers(), 'not a url')).toBe(false);
  });
});
