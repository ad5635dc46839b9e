import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { freshDataDir } from '../support/test-collector.js';

/**
 * The collector as `npm run collector` runs it, with NODE_ENV=production:
 * it refuses to start with nobody able to sign in, creates the first admin
 * from the environment, rate-limits each key, and never writes a secret to
 * its output.
 */

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const data = freshDataDir();
afterAll(() => data.remove());

interface Run {
  output: () => string;
  url: Promise<string>;
  exited: Promise<number | null>;
  stop: () => void;
}

function runCollector(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@tunnelvision/source', MAIN], {
    env: { PATH: process.env.PATH, COLLECTOR_PORT: '0', COLLECTOR_GRPC_PORT: '0', DATA_DIR: `${data.dir}/store`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { output: () => output, url, exited, stop: () => child.kill('SIGTERM') };
}

it('refuses to start in production with nobody able to sign in, naming what to set', async () => {
  const run = runCollector({ NODE_ENV: 'production' });
  expect(await run.exited).toBe(2);
  expect(run.output()).toMatch(/sign-in is required \(NODE_ENV=production\) but nobody can sign in: set TUNNELVISION_ADMIN_PASSWORD/);
});

it('starts with the first admin from the environment, limits each key, and keeps secrets out of its output', async () => {
  const password = 'production admin passphrase';
  const run = runCollector({ NODE_ENV: 'production', TUNNELVISION_ADMIN_PASSWORD: password, COLLECTOR_RATE_LIMIT_PER_MINUTE: '5', COLLECTOR_LOG_LEVEL: 'debug' });
  try {
    const url = await Promise.race([run.url, run.exited.then((code) => Promise.reject(new Error(`exited ${code}: ${run.output()}`)))]);
    expect(run.output()).toMatch(/access: +sign-in required/);
    expect(run.output()).toMatch(/OTLP\/gRPC: 127\.0\.0\.1:\d+ \(logs, metrics, traces/);
    expect(run.output()).toMatch(/created the first admin, "admin", from TUNNELVISION_ADMIN_PASSWORD/);

    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    expect(login.status).toBe(200);
    const { session } = (await login.json()) as { session: { token: string; csrf_token: string } };
    await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: `${password}!` }) });
    const created = await fetch(`${url}/api/v1/admin/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}`, 'x-csrf-token': session.csrf_token },
      body: JSON.stringify({ name: 'reader', scopes: ['read'] }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };

    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 6; i++) {
      const answer = await fetch(`${url}/api/v1/deploys`, { headers: { authorization: `Bearer ${secret}` } });
      statuses.push(answer.status);
      limited = answer;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited!.json()) as { error: { message: string } }).error.message).toMatch(/Rate limit of 5 requests a minute for this key exceeded/);
    // Another key has its own allowance.
    expect((await fetch(`${url}/api/v1/deploys`, { headers: { authorization: `Bearer ${session.token}` } })).status).toBe(200);
  } finally {
    run.stop();
    await run.exited;
  }
  const output = run.output();
  expect(output).toContain('Collector stopped.');
  expect(output).not.toContain(password);
  expect(output).not.toMatch(/tv[ks]_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/);
});
