import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The dashboard workspace folder. */
export const DASHBOARD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NEXT_BIN = join(dirname(createRequire(import.meta.url).resolve('next/package.json')), 'dist', 'bin', 'next');
const SOURCES = ['src', 'next.config.ts', 'package.json', 'tsconfig.json'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** True when .next holds a production build newer than every source file. */
export function buildIsFresh(): boolean {
  const buildId = join(DASHBOARD_DIR, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.every((s) => !existsSync(join(DASHBOARD_DIR, s)) || newestMtime(join(DASHBOARD_DIR, s)) <= built);
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, ...args], { cwd: DASHBOARD_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const BUILD_LOCK = join(DASHBOARD_DIR, '.next-build.lock');

/**
 * Holds a lock directory (mkdir is atomic) while `work` runs, so browser test
 * files started side by side build .next once, one after the other, instead
 * of two builds writing the same folder. A lock left by a killed run older
 * than 10 minutes is taken over.
 */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      const held = statSync(BUILD_LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 600_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** Runs `next build` unless an up-to-date build exists. Returns how long it took and whether it was reused. */
export async function ensureBuild(): Promise<{ reused: boolean; millis: number }> {
  const started = performance.now();
  return withBuildLock(async () => {
    if (buildIsFresh()) return { reused: true, millis: performance.now() - started };
    const { code, output } = await run(['build'], { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' });
    if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${output}`);
    return { reused: false, millis: performance.now() - started };
  });
}

/** A free TCP port on 127.0.0.1 (briefly bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running `next start`. */
export interface RunningDashboard {
  url: string;
  /** Output so far, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the production build with `next start` on `port` (a free one when
 * not given), pointed at `collectorUrl`; resolves once it serves pages.
 */
export async function startDashboard(collectorUrl: string, deadlineMillis = 30_000, port?: number): Promise<RunningDashboard> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Its own process group, so stop() ends next and anything it spawned, and nothing else.
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: DASHBOARD_DIR,
    env: { ...process.env, COLLECTOR_URL: collectorUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + deadlineMillis;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/lookup`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return { url, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`next start did not serve ${url} within ${deadlineMillis} ms:\n${output}`);
}
