import { describe, expect, it } from 'vitest';
import { loginHref } from '../../src/auth/login-href.js';
import { safeNextPath } from '../../src/auth/safe-next-path.js';

describe('safeNextPath', () => {
  it('keeps a path on this dashboard with its query and fragment', () => {
    expect(safeNextPath('/lookup?q=abc&kind=user_id')).toBe('/lookup?q=abc&kind=user_id');
    expect(safeNextPath('/alerts#silence-1')).toBe('/alerts#silence-1');
    expect(safeNextPath('/')).toBe('/');
  });

  it('sends anything that could leave the site to the overview', () => {
    for (const next of [
      'https://evil.example/',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      ' /lookup',
      '/\t/evil.example',
      '/\n/evil.example',
      'lookup',
      '',
      null,
      undefined,
    ]) {
      expect(safeNextPath(next), JSON.stringify(next)).toBe('/');
    }
  });

  it('never returns to /login itself', () => {
    expect(safeNextPath('/login?next=/alerts')).toBe('/');
  });

  it('normalises dot segments, so they cannot climb out of the site', () => {
    expect(safeNextPath('/a/../../deploys')).toBe('/deploys');
  });
});

describe('loginHref', () => {
  it('carries where to return and the signed-out notice', () => {
    expect(loginHref({ next: '/lookup?q=a b' })).toBe('/login?next=%2Flookup%3Fq%3Da%2520b');
    expect(loginHref({ signedOut: true })).toBe('/login?signed_out=1');
    expect(loginHref()).toBe('/login');
  });

  it('drops a next that would not be honoured', () => {
    expect(loginHref({ next: '//evil.example' })).toBe('/login');
  });
});
