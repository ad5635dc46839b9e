import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * docs/security.md, keys: GET /api/v1/admin/keys says when each key was last
 * used. Uses are noted in memory and written in the background (here by an
 * explicit flush, and on stop), so the listing lags by up to a minute.
 */

// Sign-in required, so the first start needs a first admin; keys are then made directly.
const CONFIG = { auth: 'required', adminUser: 'root', adminPassword: 'correct horse battery staple', rateLimitPerMinute: 0 } as const;
const data = freshDataDir();
let collector: RunningCollector;
let admin: string;

beforeAll(async () => {
  collector = await startTestCollector(data.dir, CONFIG);
  admin = (await collector.access.keys.create({ name: 'admin', scopes: ['admin'] }, 'default', 'test')).secret;
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

async function newKey(name: string): Promise<{ id: string; secret: string }> {
  const { key, secret } = await collector.access.keys.create({ name, scopes: ['read'] }, 'default', 'test');
  return { id: key.id, secret };
}

async function read(token: string): Promise<number> {
  const response = await fetch(`${collector.url}/api/v1/timeline?session_id=x`, { headers: { authorization: `Bearer ${token}` } });
  await response.body?.cancel();
  return response.status;
}

async function lastUsed(): Promise<Map<string, string | null>> {
  const response = await fetch(`${collector.url}/api/v1/admin/keys`, { headers: { authorization: `Bearer ${admin}` } });
  expect(response.status).toBe(200);
  const { keys } = (await response.json()) as { keys: { id: string; last_used_at: string | null }[] };
  return new Map(keys.map((k) => [k.id, k.last_used_at]));
}

it('shows when a key was last used once the uses are written, and null for a key never used', async () => {
  const used = await newKey('used');
  const unused = await newKey('unused');
  const before = Date.now();
  expect(await read(used.secret)).toBe(200);
  const after = Date.now();

  // Authenticating writes nothing: the use is not listed until it is written.
  expect((await lastUsed()).get(used.id)).toBeNull();
  await collector.access.keys.usage.flush();

  const listed = await lastUsed();
  const at = Date.parse(listed.get(used.id)!);
  expect(at).toBeGreaterThanOrEqual(before);
  expect(at).toBeLessThanOrEqual(after);
  expect(listed.get(unused.id)).toBeNull();
});

it('keeps the latest use when an older one is written later, as another replica would', async () => {
  const key = await newKey('two replicas');
  expect(await read(key.secret)).toBe(200);
  await collector.access.keys.usage.flush();
  const latest = (await lastUsed()).get(key.id);
  collector.access.keys.usage.record(key.id, Date.parse(latest!) - 3_600_000);
  await collector.access.keys.usage.flush();
  expect((await lastUsed()).get(key.id)).toBe(latest);
});

it('writes the uses still in memory when the collector stops', async () => {
  const key = await newKey('used before a stop');
  expect(await read(key.secret)).toBe(200);
  await collector.stop();
  collector = await startTestCollector(data.dir, CONFIG);
  expect((await lastUsed()).get(key.id)).toEqual(expect.any(String));
});
