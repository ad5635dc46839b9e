import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startNodeChild, type ManagedChild } from './child-process.js';

/** Newest modification time under `path` (files and folders, recursively). */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when the production build is missing or older than the dashboard's sources. */
export function dashboardNeedsBuild(dashboardDir: string): boolean {
  const buildId = join(dashboardDir, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const sources = ['src', 'next.config.ts', 'package.json'].map((p) => join(dashboardDir, p)).filter(existsSync);
  return Math.max(...sources.map(newestMtime)) > statSync(buildId).mtimeMs;
}

function nextBin(dashboardDir: string): string {
  return createRequire(join(dashboardDir, 'package.json')).resolve('next/dist/bin/next');
}

/** Runs `next build`; resolves when it succeeded, rejects with its exit code otherwise. */
export async function buildDashboard(dashboardDir: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<void> {
  const build = startNodeChild('dashboard', [nextBin(dashboardDir), 'build'], { env, cwd: dashboardDir, onLine });
  const code = await build.exited;
  if (code !== 0) throw new Error(`next build failed (${code}); see its output above`);
}

/** Starts `next start` on DASHBOARD_HOST:DASHBOARD_PORT with COLLECTOR_URL pointing at the collector. */
export function startDashboard(dashboardDir: string, env: NodeJS.ProcessEnv, onLine: (line: string) => void): ManagedChild {
  const port = env.DASHBOARD_PORT ?? '3000';
  const host = env.DASHBOARD_HOST ?? '127.0.0.1';
  return startNodeChild('dashboard', [nextBin(dashboardDir), 'start', '-p', port, '-H', host], { env, cwd: dashboardDir, onLine });
}
