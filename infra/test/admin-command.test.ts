import { afterAll, expect, it } from 'vitest';
import { freshDataDir, startTestCollector } from '@tunnelvision/collector/testing';
import { adminCommand } from '../src/cli/admin-command.js';

/** `tunnelvision admin`: the first admin and keys made offline, then used against a collector that requires sign-in. */

const data = freshDataDir();
afterAll(() => data.remove());

it('creates the first admin and a key offline, which then work against a collector that requires sign-in', async () => {
  const env = { DATA_DIR: data.dir };
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  expect(await adminCommand(['create-user', '--username', 'ana', '--role', 'admin'], env, out, async () => 'a very long passphrase')).toBe(0);
  expect(lines.pop()).toBe('Created admin "ana" in tenant default.');
  expect(await adminCommand(['create-user', '--username', 'bob'], env, out, async () => 'short')).toBe(1);
  expect(lines.pop()).toMatch(/password: a password has at least 12 characters/);
  expect(await adminCommand(['create-key', '--name', 'ci', '--scopes', 'read'], env, out)).toBe(0);
  const secret = /\n(tvk_\S+)$/.exec(lines.pop()!)![1]!;
  expect(await adminCommand(['create-key', '--name', 'web', '--kind', 'browser', '--scopes', 'read'], env, out)).toBe(1);
  expect(lines.pop()).toMatch(/may only have the ingest scope/);

  const collector = await startTestCollector(data.dir, { auth: 'required' });
  try {
    const login = await fetch(`${collector.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ana', password: 'a very long passphrase' }),
    });
    expect(login.status).toBe(200);
    expect((await fetch(`${collector.url}/api/v1/deploys`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
  } finally {
    await collector.stop();
  }
  const id = /tvk_([0-9a-f]{16})_/.exec(secret)![1]!;
  expect(await adminCommand(['revoke-key', id], env, out)).toBe(0);
  expect(lines.pop()).toBe(`Revoked key ${id} "ci".`);
  expect(await adminCommand(['list-keys'], env, out)).toBe(0);
  // Used against the collector above, which wrote the use when it stopped.
  expect(lines.pop()).toMatch(new RegExp(`^${id}  server  read +revoked \\d{4}-\\S+  last used \\d{4}-`));
});
