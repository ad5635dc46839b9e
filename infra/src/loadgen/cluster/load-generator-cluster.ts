import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { postDeployMarker, type RecordedDeploy } from '../deploy-marker.js';
import { nextVersion } from '../fleet/chat-fleet.js';
import type { FleetRole } from '../fleet/fleet-stats.js';
import { LoadGeneratorOptionError, resolveLoadGeneratorOptions, type LoadGeneratorOptions } from '../load-generator-options.js';
import type { LoadGenerator } from '../load-generator.js';
import type { LoadGeneratorStats } from '../load-generator-stats.js';
import { EventLoopLagMonitor } from '../process/event-loop-lag.js';
import { clientsWithin, filesNeeded, readOpenFileLimit } from '../process/open-file-limit.js';
import { processUsage } from '../process/process-usage.js';
import type { ScenarioName } from '../scenarios/scenario.js';
import { startScenarioSchedule } from '../scenarios/scenario-schedule.js';
import type { FromWorker, ToWorker, WorkerStartOptions } from './cluster-messages.js';
import { mergeStats } from './merge-stats.js';

/** Whether this module runs from TypeScript source (development, through tsx) or from the build. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
/** The worker's entry module, beside this one in source or in dist/. */
const WORKER_ENTRY = fileURLToPath(new URL(FROM_SOURCE ? './cluster-worker.ts' : './cluster-worker.js', import.meta.url));
/** How long a worker gets to stop (close, flush) before it is killed. */
const WORKER_STOP_TIMEOUT_MILLIS = 30_000;
/** Share of clients that must be connected before the first scheduled scenario starts. */
const WARM_SHARE = 0.95;
/** Which fleets (by role) each deploy-like scenario redeploys: one per transport. */
const DEPLOYS: Partial<Record<ScenarioName, FleetRole>> = { deploy: 'chat', herd: 'legacy' };

/** One worker process as the coordinator sees it. */
interface Worker {
  readonly child: ChildProcess;
  stats: LoadGeneratorStats | undefined;
  readonly pending: Map<number, { resolve: () => void; reject: (error: Error) => void }>;
  readonly exited: Promise<void>;
}

/**
 * Starts the load generator as a cluster of `workers` processes, for
 * more clients than one process can hold: one core runs a few thousand
 * clients, and each client costs four open files. Every worker is a
 * shard: the same fleets, gateways and network, with its share of the
 * clients (numbered so user ids never collide). The coordinator (this
 * process) runs the scenario schedule, so every shard plays each scenario
 * at the same moment, posts each deploy marker once, and merges the
 * workers' stats (refreshed every second). Same interface as
 * `startLoadGenerator`; with `workers` 1 prefer that.
 *
 * @throws LoadGeneratorOptionError for a bad option, too many workers for
 * the clients, or shards too large for the open-file limit.
 */
export async function startLoadGeneratorCluster(options: LoadGeneratorOptions, workers: number): Promise<LoadGenerator> {
  const o = resolveLoadGeneratorOptions(options);
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > o.clients) {
    throw new LoadGeneratorOptionError('workers', `workers must be a whole number from 1 to the number of clients (${o.clients}), got ${String(workers)}`);
  }
  const chatShares = split(o.clients, workers);
  const legacyShares = split(o.legacyClients, workers);
  const largest = chatShares[0]! + legacyShares[0]!;
  const limit = readOpenFileLimit();
  if (limit !== undefined && filesNeeded(largest) > limit) {
    throw new LoadGeneratorOptionError(
      'workers',
      `a worker with ${largest} clients needs about ${filesNeeded(largest)} open files but may open ${limit} (ulimit -n); ` +
        `use at least ${Math.ceil((o.clients + o.legacyClients) / clientsWithin(limit))} workers or raise the limit`,
    );
  }

  const startedAt = Date.now();
  const deploys: RecordedDeploy[] = [];
  const loop = new EventLoopLagMonitor();
  const { onLog: _onLog, scenarios: _scenarios, truth: _truth, ...shared } = options;
  const pool = chatShares.map((clients, index) =>
    spawnWorker(
      {
        ...shared,
        clients,
        legacyClients: legacyShares[index]!,
        scenarios: [],
        deployMarkers: false,
        shard: { index, count: workers },
      },
      index === 0,
      o.onLog,
    ),
  );
  try {
    await Promise.all(pool.map((w) => started(w)));
  } catch (error) {
    await Promise.all(pool.map((w) => stopWorker(w)));
    loop.stop();
    throw error;
  }

  const stats = (): LoadGeneratorStats =>
    mergeStats(
      pool.flatMap((w) => (w.stats === undefined ? [] : [w.stats])),
      { startedAt, deploys, coordinator: processUsage(loop.lag) },
    );
  let stopped: Promise<void> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let nextId = 1;
  const runNow = async (name: ScenarioName): Promise<void> => {
    if (stopped !== undefined) return;
    const role = DEPLOYS[name];
    for (const fleet of stats().fleets.filter((f) => f.role === role && o.deployMarkers)) {
      // The marker goes out as the rollout starts, once for every shard.
      const version = nextVersion(fleet.gatewayVersion);
      const result = await postDeployMarker({
        collectorUrl: o.collectorUrl,
        ingestKey: o.ingestKey,
        service: fleet.service,
        version,
        environment: o.environment,
        commit: randomSha(),
        description: `tunnelvision loadgen: rolling restart of ${fleet.gateways.length} ${fleet.service} gateways (${workers} shards)`,
      });
      if (result.ok) deploys.push(result.deploy);
      o.onLog(result.ok ? `deploy marker recorded: ${fleet.service} ${version} (id ${result.deploy.id})` : `deploy marker not recorded: ${result.error}`);
    }
    const id = nextId++;
    const outcomes = await Promise.allSettled(pool.map((w) => runOn(w, id, name)));
    const failed = outcomes.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  };
  const runScenario = (name: ScenarioName): Promise<void> => {
    const next = queue.then(() => runNow(name));
    queue = next.catch(() => undefined);
    return next;
  };
  const schedule = startScenarioSchedule({
    names: o.scenarios,
    loop: o.loop,
    pauseMillis: o.pauseMillis,
    warmTimeoutMillis: o.recoveryTimeoutMillis,
    isWarm: () => stats().fleets.every((f) => f.clients === 0 || f.connected / f.clients >= WARM_SHARE),
    run: runScenario,
    log: o.onLog,
  });

  return {
    options: o,
    stats,
    runScenario,
    stop() {
      stopped ??= (async () => {
        const scheduleDone = schedule.stop();
        await Promise.all(pool.map((w) => stopWorker(w)));
        await scheduleDone;
        await queue;
        loop.stop();
      })();
      return stopped;
    },
  };
}

function spawnWorker(options: WorkerStartOptions, forwardLogs: boolean, log: (line: string) => void): Worker {
  const child = fork(WORKER_ENTRY, [], {
    // From source the worker needs tsx and the workspace's source condition; built, plain Node.
    execArgv: FROM_SOURCE ? ['--conditions=@tunnelvision/source', '--import', tsxLoaderUrl()] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const worker: Worker = { child, stats: undefined, pending: new Map(), exited };
  child.on('message', (message: FromWorker) => {
    if (message.type === 'stats') worker.stats = message.stats;
    else if (message.type === 'log') log(message.line);
    else if (message.type === 'done') {
      const waiting = worker.pending.get(message.id);
      worker.pending.delete(message.id);
      if (message.error === undefined) waiting?.resolve();
      else waiting?.reject(new Error(message.error));
    }
  });
  void exited.then(() => {
    // A worker that is gone has nothing left to run.
    for (const waiting of worker.pending.values()) waiting.resolve();
    worker.pending.clear();
  });
  send(worker, { type: 'start', options, forwardLogs });
  return worker;
}

async function started(worker: Worker): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      if (message.type === 'started') done(undefined);
      else if (message.type === 'failed') {
        done(message.option === undefined ? new Error(message.message) : new LoadGeneratorOptionError(message.option, message.message));
      }
    };
    const onExit = () => done(new Error('a load generator worker exited while starting'));
    const done = (error: Error | undefined) => {
      worker.child.off('message', onMessage);
      worker.child.off('exit', onExit);
      if (error === undefined) resolve();
      else reject(error);
    };
    worker.child.on('message', onMessage);
    worker.child.once('exit', onExit);
  });
}

function runOn(worker: Worker, id: number, name: ScenarioName): Promise<void> {
  if (worker.child.exitCode !== null || !worker.child.connected) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    worker.pending.set(id, { resolve, reject });
    send(worker, { type: 'run', id, name });
  });
}

async function stopWorker(worker: Worker): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) {
    send(worker, { type: 'stop' });
    const timer = setTimeout(() => worker.child.kill('SIGKILL'), WORKER_STOP_TIMEOUT_MILLIS);
    await worker.exited;
    clearTimeout(timer);
  }
}

function send(worker: Worker, message: ToWorker): void {
  if (worker.child.connected) worker.child.send(message);
}

/** tsx's loader (a development dependency), resolved from here so workers run TypeScript whatever the working directory. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/** `total` split into `parts` near-equal whole shares, largest first. */
function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

function randomSha(): string {
  return randomBytes(20).toString('hex');
}
