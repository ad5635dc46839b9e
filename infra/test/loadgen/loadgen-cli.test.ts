import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The command as a user runs it, in its own process, against a stand-in
// collector that accepts everything (the real one is exercised by
// demo-acceptance.test.ts): it must exit 0 on --duration and on SIGTERM,
// which it only does when nothing is left open.
const BIN = fileURLToPath(new URL('../../bin/tunnelvision.js', import.meta.url));
const KEY = 'cli-test-key-0123456789';

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
}
const seen: Seen[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/api/v1/deploys') {
        res.statusCode = 201;
        res.end(JSON.stringify({ deploy: { id: '3a700949-6506-40f8-a336-0a5430f329c3', time: new Date().toISOString() } }));
        return;
      }
      res.end(req.url === '/healthz' ? '{"status":"ok"}' : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, 'loadgen', '--collector', url, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COLLECTOR_URL: '' } });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

const SMALL = ['--clients', '12', '--legacy-clients', '4', '--servers', '2', '--pause', '0', '--deploy-step', '500ms', '--progress-interval', '1s'];

describe('tunnelvision loadgen (process)', () => {
  it('runs a deploy, reports progress, stops at --duration and exits 0', { timeout: 60_000 }, async () => {
    const r = run([...SMALL, '--scenario', 'deploy', '--duration', '6s', '--ingest-key', KEY]);
    const exit = await r.exited;
    const output = r.output();
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/chat: 12 clients \(\d+ via the tunnel, jitter on\)/);
    expect(output).toMatch(/chat-legacy: 4 clients \(\d+ via the tunnel, jitter off\)/);
    expect(output).toMatch(/\[0:0\d\] chat \d+\/12 \(tunnel \d+\/\d+\) · chat-legacy \d+\/4 .*\| msg\/s sent \d+/);
    expect(output).toMatch(/deploy marker recorded: chat gateway-1\.4\.1/);
    expect(output).toMatch(/--duration reached: stopping/);
    expect(output).toMatch(/stopped after 0:0\d\n {2}messages: \d+ sent/);
    const deploys = seen.filter((s) => s.path === '/api/v1/deploys');
    expect(deploys).toEqual([{ method: 'POST', path: '/api/v1/deploys', authorization: `Bearer ${KEY}` }]);
    expect(seen.some((s) => s.path === '/v1/logs' && s.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(seen.some((s) => s.path === '/v1/metrics' && s.authorization === `Bearer ${KEY}`)).toBe(true);
  });

  it('stops cleanly on SIGTERM and exits 0', { timeout: 60_000 }, async () => {
    const r = run([...SMALL, '--scenario', 'steady']);
    await vi.waitFor(() => expect(r.output()).toMatch(/msg\/s sent/), { timeout: 30_000, interval: 100 });
    r.child.kill('SIGTERM');
    const exit = await r.exited;
    expect(exit, r.output()).toEqual({ code: 0, signal: null });
    expect(r.output()).toMatch(/SIGTERM received: stopping/);
    expect(r.output()).toMatch(/stopped after/);
  });

  it('keeps stopping cleanly when the same Ctrl-C reaches it twice (terminal and orchestrator)', { timeout: 60_000 }, async () => {
    const r = run([...SMALL, '--scenario', 'steady']);
    await vi.waitFor(() => expect(r.output()).toMatch(/msg\/s sent/), { timeout: 30_000, interval: 100 });
    r.child.kill('SIGINT');
    await vi.waitFor(() => expect(r.output()).toMatch(/SIGINT received: stopping/), { timeout: 10_000, interval: 20 });
    r.child.kill('SIGINT');
    const exit = await r.exited;
    expect(exit, r.output()).toEqual({ code: 0, signal: null });
    expect(r.output()).toMatch(/stopped after/);
  });

  it('refuses bad flags with exit code 2', { timeout: 30_000 }, async () => {
    const r = run(['--tunnel-share', '2']);
    expect(await r.exited).toEqual({ code: 2, signal: null });
    expect(r.output()).toMatch(/--tunnel-share: expected a number from 0 to 1, got "2"/);
  });
});
