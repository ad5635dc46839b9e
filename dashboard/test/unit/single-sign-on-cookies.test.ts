import { describe, expect, it } from 'vitest';
import { readSignInProblem, SIGN_IN_PROBLEM_COOKIE } from '../../src/auth/sign-in-problem.js';
import { providerHost, singleSignOnHref } from '../../src/auth/single-sign-on-link.js';
import {
  clearedOidcFlowCookie,
  decodeOidcFlow,
  encodeOidcFlow,
  oidcFlowCookie,
  readOidcFlow,
  type OidcFlow,
} from '../../src/server/oidc-flow-cookie.js';
import { callbackRefusal, sameState } from '../../src/server/oidc-state-check.js';
import { signInProblemCookie } from '../../src/server/sign-in-problem-cookie.js';

/** A flow as openid-client makes them: base64url state and nonce, a 43-character verifier. */
const FLOW: OidcFlow = {
  state: 'Zx3_state-QeRkYwqM2n3J0lWqk1b0v7yTtC5dHh8sA0',
  code_verifier: 'vErIfIeR_0123456789-abcdefghijklmnopqrstuvwxyzAB',
  nonce: 'n0nce_4bc-123',
  next: '/lookup?q=m-1',
};

/** The cookie's value from a Set-Cookie line. */
function valueOf(setCookie: string): string {
  return setCookie.slice(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
}

describe('the tv_oidc flow cookie', () => {
  it('is HttpOnly, SameSite=Lax, only below /api/auth/oidc, for 10 minutes, and Secure over HTTPS', () => {
    const cookie = oidcFlowCookie(FLOW, { secure: false });
    expect(cookie).toMatch(/^tv_oidc=[A-Za-z0-9_-]+; Path=\/api\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/);
    expect(oidcFlowCookie(FLOW, { secure: true })).toMatch(/; Max-Age=600; Secure$/);
    expect(clearedOidcFlowCookie({ secure: false })).toBe('tv_oidc=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0');
    expect(clearedOidcFlowCookie({ secure: true })).toBe('tv_oidc=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0; Secure');
  });

  it('reads back the state, verifier, nonce and next it was written with', () => {
    const value = valueOf(oidcFlowCookie(FLOW, { secure: false }));
    expect(decodeOidcFlow(value)).toEqual(FLOW);
    expect(readOidcFlow(new Headers({ cookie: `theme=dark; tv_oidc=${value}; tv_session=tvs_x` }))).toEqual(FLOW);
  });

  it('keeps only a safe relative next, on the way in and on the way back', () => {
    for (const next of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/login']) {
      expect(decodeOidcFlow(encodeOidcFlow({ ...FLOW, next }))?.next).toBe('/');
    }
    // A cookie edited by hand to point elsewhere still lands on the dashboard.
    const edited = Buffer.from(JSON.stringify({ ...FLOW, next: '//evil.example/x' })).toString('base64url');
    expect(decodeOidcFlow(edited)?.next).toBe('/');
    // A next too long for a cookie is dropped rather than lose the whole flow.
    const long = `/lookup?q=${'m'.repeat(2_000)}`;
    expect(decodeOidcFlow(encodeOidcFlow({ ...FLOW, next: long }))?.next).toBe('/');
    expect(oidcFlowCookie({ ...FLOW, next: long }, { secure: true }).length).toBeLessThan(4_000);
    const noNext = Buffer.from(JSON.stringify({ state: FLOW.state, code_verifier: FLOW.code_verifier, nonce: FLOW.nonce })).toString('base64url');
    expect(decodeOidcFlow(noNext)?.next).toBe('/');
  });

  it('is ignored when missing, malformed, too long, or missing a field', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(readOidcFlow(new Headers())).toBeUndefined();
    expect(readOidcFlow(new Headers({ cookie: 'tv_oidc=' }))).toBeUndefined();
    expect(decodeOidcFlow('not base64url!')).toBeUndefined();
    expect(decodeOidcFlow(Buffer.from('{not json').toString('base64url'))).toBeUndefined();
    expect(decodeOidcFlow(encode(null))).toBeUndefined();
    expect(decodeOidcFlow(encode('a string'))).toBeUndefined();
    expect(decodeOidcFlow(encode({ ...FLOW, state: undefined }))).toBeUndefined();
    expect(decodeOidcFlow(encode({ ...FLOW, nonce: 42 }))).toBeUndefined();
    expect(decodeOidcFlow(encode({ ...FLOW, code_verifier: 'too-short' }))).toBeUndefined();
    expect(decodeOidcFlow(encode({ ...FLOW, state: 'has; semicolon' }))).toBeUndefined();
    expect(decodeOidcFlow('A'.repeat(3_001))).toBeUndefined();
  });
});

describe('the state check', () => {
  it('sameState is true only for the very same state', () => {
    expect(sameState(FLOW.state, FLOW.state)).toBe(true);
    expect(sameState(FLOW.state, `${FLOW.state}x`)).toBe(false);
    expect(sameState(FLOW.state, FLOW.state.slice(0, -1))).toBe(false);
    expect(sameState(FLOW.state, FLOW.state.toLowerCase())).toBe(false);
    expect(sameState(FLOW.state, '')).toBe(false);
    expect(sameState('', '')).toBe(false);
  });

  it('lets through a return with this flow’s state and a code', () => {
    expect(callbackRefusal(FLOW, new URLSearchParams({ code: 'abc', state: FLOW.state, iss: 'http://idp' }))).toBeNull();
  });

  it('refuses a return without the flow cookie', () => {
    expect(callbackRefusal(undefined, new URLSearchParams({ code: 'abc', state: FLOW.state }))).toMatch(/not started in this browser, or took more than 10 minutes/);
  });

  it('refuses a missing or different state before anything else, so a forged link cannot choose the words shown', () => {
    const refused = /does not belong to the sign-in started in this browser/;
    expect(callbackRefusal(FLOW, new URLSearchParams({ code: 'abc' }))).toMatch(refused);
    expect(callbackRefusal(FLOW, new URLSearchParams({ code: 'abc', state: 'forged' }))).toMatch(refused);
    const forgedError = callbackRefusal(FLOW, new URLSearchParams({ state: 'forged', error: 'access_denied', error_description: 'Call +1 555 0100 now' }));
    expect(forgedError).toMatch(refused);
    expect(forgedError).not.toContain('555');
  });

  it("shows the provider's error, on one line and shortened, once the state matched", () => {
    expect(callbackRefusal(FLOW, new URLSearchParams({ state: FLOW.state, error: 'access_denied', error_description: 'The user\ncancelled' }))).toBe(
      'The sign-in provider did not sign you in (access_denied: The user cancelled). Start again, or ask your administrator.',
    );
    expect(callbackRefusal(FLOW, new URLSearchParams({ state: FLOW.state, error: 'x'.repeat(500) }))).toContain(`${'x'.repeat(200)}…)`);
  });

  it('refuses a return without a code', () => {
    expect(callbackRefusal(FLOW, new URLSearchParams({ state: FLOW.state }))).toMatch(/no authorization code/);
  });
});

describe('the sign-in problem cookie', () => {
  it('is readable by the page, only on /login, for a minute, Lax, Secure over HTTPS', () => {
    expect(signInProblemCookie('No.', { secure: false })).toBe('tv_sign_in_problem=No.; Path=/login; SameSite=Lax; Max-Age=60');
    expect(signInProblemCookie('No.', { secure: true })).toBe('tv_sign_in_problem=No.; Path=/login; SameSite=Lax; Max-Age=60; Secure');
  });

  it('carries any message through the cookie unchanged, markup and separators included', () => {
    const message = 'A user named root; signs in with a password here, "ask" an admin <b>now</b> – ✓';
    const cookie = signInProblemCookie(message, { secure: false });
    expect(valueOf(cookie)).toMatch(/^[A-Za-z0-9%._~!*'()-]+$/);
    expect(readSignInProblem(`other=1; ${SIGN_IN_PROBLEM_COOKIE}=${valueOf(cookie)}`)).toBe(message);
  });

  it('shortens a very long message, and reads nothing from a missing, empty or malformed cookie', () => {
    const long = readSignInProblem(`tv_sign_in_problem=${valueOf(signInProblemCookie('y'.repeat(2_000), { secure: false }))}`);
    expect(long).toHaveLength(600);
    expect(long?.endsWith('…')).toBe(true);
    expect(readSignInProblem('')).toBeNull();
    expect(readSignInProblem(undefined)).toBeNull();
    expect(readSignInProblem('tv_sign_in_problem=')).toBeNull();
    expect(readSignInProblem('tv_sign_in_problem=%E0%A4%A')).toBeNull();
  });
});

describe('the single sign-on link', () => {
  it('starts at the dashboard’s route, keeping a safe next only', () => {
    expect(singleSignOnHref(null)).toBe('/api/auth/oidc/start');
    expect(singleSignOnHref('/')).toBe('/api/auth/oidc/start');
    expect(singleSignOnHref('/lookup?q=m-1&kind=message_id')).toBe('/api/auth/oidc/start?next=%2Flookup%3Fq%3Dm-1%26kind%3Dmessage_id');
    expect(singleSignOnHref('//evil.example')).toBe('/api/auth/oidc/start');
  });

  it('names the provider by its host', () => {
    expect(providerHost('https://login.example.com/realms/acme')).toBe('login.example.com');
    expect(providerHost('http://127.0.0.1:41234')).toBe('127.0.0.1:41234');
    expect(providerHost('not a url')).toBe('not a url');
  });
});
