import { describe, expect, it } from 'vitest';
import { loginFailureMessage } from '../../src/auth/login-failure.js';
import { problemFromResponse } from '../../src/collector-api/api-problem.js';
import { safeHref } from '../../src/shared/safe-href.js';

describe('loginFailureMessage', () => {
  it('says the pair is wrong without saying which half', () => {
    expect(loginFailureMessage(401, { error: { message: 'whatever' } }, null)).toBe('Wrong user name or password.');
  });

  it('says how long to wait when throttled', () => {
    expect(loginFailureMessage(429, null, '900')).toBe('Too many sign-in attempts. Try again in 15 minutes.');
    expect(loginFailureMessage(429, null, '61')).toBe('Too many sign-in attempts. Try again in 2 minutes.');
    expect(loginFailureMessage(429, null, '1')).toBe('Too many sign-in attempts. Try again in 1 second.');
    expect(loginFailureMessage(429, null, null)).toBe('Too many sign-in attempts. Wait a few minutes, then try again.');
  });

  it("passes other servers' messages on", () => {
    expect(loginFailureMessage(502, { error: { message: 'The collector at x is not answering' } }, null)).toBe('The collector at x is not answering');
    expect(loginFailureMessage(500, 'nonsense', null)).toBe('Signing in failed (the dashboard server answered 500).');
  });
});

describe('problemFromResponse and sign-in', () => {
  it("reads the collector's 401 as signed out, but not the proxy's missing-ingest-key refusal", () => {
    expect(problemFromResponse(401, { error: { status: 401, code: 'UNAUTHENTICATED', message: 'Sign in first' } }).kind).toBe('signed_out');
    expect(problemFromResponse(401, { error: { status: 401, code: 'collector_refused_write', message: 'set the key' } }).kind).toBe('not_allowed');
    expect(problemFromResponse(403, { error: { status: 403, code: 'FORBIDDEN', message: 'admin only' } }).kind).toBe('not_allowed');
  });
});

describe('safeHref', () => {
  it('lets http(s) URLs and site paths through and nothing that runs script or leaves by a trick', () => {
    expect(safeHref('https://dash.example.com/?from=1')).toBe('https://dash.example.com/?from=1');
    expect(safeHref('/alerts')).toBe('/alerts');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>', '//evil.example', '/\\evil.example', '', null, undefined]) {
      expect(safeHref(bad), String(bad)).toBeUndefined();
    }
  });
});
