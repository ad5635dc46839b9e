import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

/** `npm start` brings the collector up, prints where, and Ctrl-C stops it with nothing left running. */

const repo = fileURLToPath(new URL('../../../', import.meta.url));
/** What the root package.json's `start` script runs, without npm and a shell between: Ctrl-C reaches the orchestrator itself. */
const START = ['--conditions=@tunnelvision/source', '--import', 'tsx', 'infra/src/start/start-system.ts'];
const dir = mkdtempSync(join(tmpdir(), 'tv-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('starts the collector, reports its URL, and stops everything on SIGINT', async () => {
  const orchestrator = spawn(process.execPath, [...START, '--no-demo', '--no-dashboard'], {
    cwd: repo,
    env: { ...process.env, DATA_DIR: dir, COLLECTOR_PORT: '0', COLLECTOR_GRPC_PORT: '0', COLLECTOR_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => orchestrator.once('exit', (code) => resolve(code)));
  const lines: string[] = [];
  let collectorPid = 0;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; output:\n${lines.join('\n')}`)), 60_000);
    createInterface({ input: orchestrator.stdout! }).on('line', (line) => {
      lines.push(line);
      const pid = /"pid":(\d+)/.exec(line);
      if (pid) collectorPid = Number(pid[1]);
      const ready = /^\[start\]\s+collector ready: (\S+)/.exec(line);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    });
  });
  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  expect(collectorPid).toBeGreaterThan(0);
  // The banner names the OTLP/gRPC listener too (4317 by default; a free port here).
  expect(lines.some((l) => /OTLP\/gRPC: 127\.0\.0\.1:\d+/.test(l))).toBe(true);
  expect(alive(collectorPid)).toBe(true);

  orchestrator.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(lines.some((l) => l.includes('Collector stopped.'))).toBe(true);
  expect(alive(collectorPid)).toBe(false);
}, 90_000);
