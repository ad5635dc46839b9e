import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startTsChild, type ManagedChild } from './child-process.js';
import { buildDashboard, dashboardNeedsBuild, startDashboard } from './dashboard-process.js';

/**
 * `npm start`: the whole system on one machine. Starts the collector (on
 * the embedded store unless CLICKHOUSE_URL is set), waits until it is
 * ready, then the live demo (the load generator looping its scenarios) and
 * the dashboard (built first when its build is missing or stale). Ctrl-C
 * stops them in reverse order: the demo before the collector, so its last
 * telemetry is flushed, then the collector, which writes what it holds.
 */

const HELP = `Usage: npm start [-- options]

  --collector-only   run only the collector (same as npm run collector)
  --no-demo          do not start the load generator
  --no-dashboard     do not build or start the dashboard
  --help             this text

Environment: COLLECTOR_PORT, COLLECTOR_GRPC_PORT (OTLP/gRPC, default 4317; off
to disable), COLLECTOR_HOST, DATA_DIR, CLICKHOUSE_URL and the other collector
settings (npm run collector -- --help); DASHBOARD_PORT (default 3000) and
DASHBOARD_HOST (default 127.0.0.1) for the dashboard.
`;

const root = fileURLToPath(new URL('../../../', import.meta.url));
const COLLECTOR_MAIN = `${root}collector/src/main.ts`;
const CLI_MAIN = `${root}infra/src/cli/main.ts`;
const DASHBOARD_DIR = `${root}dashboard`;
const READY_TIMEOUT_MILLIS = 120_000;

function log(name: string, line: string): void {
  process.stdout.write(`${`[${name}]`.padEnd(12)} ${line}\n`);
}

/** Waits for the collector's banner line and then for /readyz to answer 200. */
async function collectorReady(collector: ManagedChild, urlFromBanner: Promise<string>): Promise<string> {
  const url = await Promise.race([
    urlFromBanner,
    collector.exited.then((code) => Promise.reject(new Error(`the collector exited (${code}) before it was ready; see its output above`))),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the collector did not start within 120 s')), READY_TIMEOUT_MILLIS).unref()),
  ]);
  for (const deadline = Date.now() + READY_TIMEOUT_MILLIS; Date.now() < deadline; ) {
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return url;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the collector at ${url} never became ready`);
}

async function main(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        'collector-only': { type: 'boolean' },
        'no-demo': { type: 'boolean' },
        'no-dashboard': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }

  const children: ManagedChild[] = [];
  let resolveUrl: (url: string) => void = () => {};
  const urlFromBanner = new Promise<string>((resolve) => (resolveUrl = resolve));
  const dashboardUrl = `http://${process.env.DASHBOARD_HOST ?? '127.0.0.1'}:${process.env.DASHBOARD_PORT ?? '3000'}`;
  let alertsShown = false;
  // Alert links in pages and on the console point at the dashboard started here.
  const collectorEnv = { ...process.env, ALERT_DASHBOARD_URL: process.env.ALERT_DASHBOARD_URL ?? dashboardUrl };
  const collector = startTsChild('collector', COLLECTOR_MAIN, [], collectorEnv, (line) => {
    const banner = /^TunnelVision collector listening on (\S+)/.exec(line);
    if (banner) resolveUrl(banner[1]!);
    log('collector', line);
    if (!alertsShown && line.startsWith('ALERT FIRING') && !flags['collector-only'] && !flags['no-dashboard']) {
      alertsShown = true;
      log('start', `alerts, silences and history: ${dashboardUrl}/alerts`);
    }
  });
  children.push(collector);

  let stopping = false;
  const stopAll = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log('start', `${why}: stopping ${children.map((c) => c.name).reverse().join(', ')}...`);
    // Reverse start order: the demo flushes its telemetry while the collector still runs.
    for (const child of [...children].reverse()) await child.stop(child === collector ? 30_000 : 15_000);
  };
  const signalled = new Promise<number>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll(signal).then(() => resolve(0)));
  });

  let url: string;
  try {
    url = await collectorReady(collector, urlFromBanner);
  } catch (err) {
    log('start', `could not start: ${(err as Error).message}`);
    await stopAll('start-up failed');
    return 1;
  }

  log('start', `collector ready: ${url} (OTLP at ${url}/v1/..., query API at ${url}/api/v1/)`);
  if (!flags['collector-only'] && !flags['no-demo']) {
    // Loss right after the first deploy, so within two minutes the demo has a
    // deploy storm, replays and dropped messages to look up. Both transports,
    // so the dashboard shows the ws fleets and the Socket.IO ones side by side.
    const demo = ['loadgen', '--loop', '--collector', url, '--transport', 'both', '--scenario', 'deploy,loss,herd,tunnel,overload', '--pause', '15s'];
    children.push(
      startTsChild('demo', CLI_MAIN, demo, process.env, (line) => {
        log('demo', line);
        const lost = /^lost message to look up: (\S+)/.exec(line);
        if (lost && !flags['no-dashboard']) log('start', `see why in the dashboard: ${dashboardUrl}/lookup?q=${encodeURIComponent(lost[1]!)}`);
      }),
    );
  }
  if (!flags['collector-only'] && !flags['no-dashboard']) {
    const env: NodeJS.ProcessEnv = { ...process.env, COLLECTOR_URL: url, NEXT_TELEMETRY_DISABLED: '1' };
    try {
      if (dashboardNeedsBuild(DASHBOARD_DIR)) {
        log('start', 'building the dashboard (once; about 20 s)...');
        await buildDashboard(DASHBOARD_DIR, env, (line) => log('dashboard', line));
      }
    } catch (err) {
      log('start', `could not build the dashboard: ${(err as Error).message}`);
      await stopAll('dashboard build failed');
      return 1;
    }
    if (!stopping) {
      children.push(startDashboard(DASHBOARD_DIR, env, (line) => log('dashboard', line)));
      log('start', `dashboard: http://${env.DASHBOARD_HOST ?? '127.0.0.1'}:${env.DASHBOARD_PORT ?? '3000'}`);
    }
  }
  log('start', 'press Ctrl-C to stop everything');

  // Any child ending on its own ends the whole system.
  const childEnded = Promise.race(children.map((c) => c.exited.then((code) => ({ name: c.name, code }))));
  const outcome = await Promise.race([signalled.then(() => undefined), childEnded]);
  if (outcome && !stopping) {
    await stopAll(`${outcome.name} exited (${outcome.code})`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
