import { describe, expect, it } from 'vitest';
import { EMPTY_KEY_DRAFT, keyDraftProblems, newKeyBody, withKind } from '../../src/admin/key-draft.js';
import { EMPTY_USER_DRAFT, userDraftProblems } from '../../src/admin/user-draft.js';

describe('key drafts', () => {
  it('turn into the collector body, without empty optional fields', () => {
    const draft = { ...EMPTY_KEY_DRAFT, name: ' chat-api ', scopes: ['ingest', 'read'] as const };
    expect(keyDraftProblems(draft)).toEqual([]);
    expect(newKeyBody(draft)).toEqual({ name: 'chat-api', kind: 'server', scopes: ['ingest', 'read'] });
    expect(newKeyBody({ ...draft, service: ' chat ' })).toMatchObject({ service: 'chat' });
  });

  it('need a name and a scope', () => {
    expect(keyDraftProblems({ ...EMPTY_KEY_DRAFT, scopes: [] })).toEqual(['Give the key a name, e.g. the service that will use it.', 'Choose at least one scope.']);
  });

  it('for a browser ingest only, from listed origins', () => {
    const browser = withKind({ ...EMPTY_KEY_DRAFT, name: 'web', scopes: ['read', 'admin'] }, 'browser');
    expect(browser.scopes).toEqual(['ingest']);
    expect(keyDraftProblems(browser)).toEqual(['List the origins your pages are served from, e.g. https://app.example.com.']);
    expect(keyDraftProblems({ ...browser, scopes: ['ingest', 'read'], origins: 'https://app.example.com' })).toEqual([
      'A browser key can only ingest: it ships in your pages, where anyone can read it.',
    ]);
    expect(keyDraftProblems({ ...browser, origins: 'https://app.example.com/path app.example.com' })).toEqual([
      'Not an origin (scheme and host only, e.g. https://app.example.com): https://app.example.com/path, app.example.com',
    ]);
    const good = { ...browser, origins: 'https://app.example.com/\nhttp://localhost:5173, ' };
    expect(keyDraftProblems(good)).toEqual([]);
    expect(newKeyBody(good)).toEqual({ name: 'web', kind: 'browser', scopes: ['ingest'], origins: ['https://app.example.com', 'http://localhost:5173'] });
  });
});

describe('user drafts', () => {
  it('need a name and a password of 12 characters or more', () => {
    expect(userDraftProblems(EMPTY_USER_DRAFT)).toEqual(['Enter a user name.', 'Use a password of at least 12 characters.']);
    expect(userDraftProblems({ username: 'bo', password: 'twelve chars', role: 'viewer' })).toEqual([]);
  });
});
