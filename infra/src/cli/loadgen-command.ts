import { LoadGeneratorOptionError } from '../loadgen/load-generator-options.js';
import { startLoadGeneratorCluster } from '../loadgen/cluster/load-generator-cluster.js';
import { startLoadGenerator, type LoadGenerator } from '../loadgen/load-generator.js';
import type { LoadGeneratorStats } from '../loadgen/load-generator-stats.js';
import { LOADGEN_HELP, parseLoadgenFlags } from '../loadgen/loadgen-flags.js';
import { startProgressReporter } from '../loadgen/progress-reporter.js';

/** How long the collector's /healthz may take before the command warns that it is unreachable. */
const HEALTH_TIMEOUT_MILLIS = 3_000;
/** Worst case of a stop: gateway drains (2 s + 3 s) and a last OTLP export timing out (10 s). */
const STOP_BOUND_SECONDS = 15;

/**
 * `tunnelvision loadgen`: starts the load generator, prints progress
 * until --duration has passed or SIGINT/SIGTERM arrives, then stops it
 * cleanly (clients and gateways closed, telemetry flushed) and returns 0.
 * Bad flags print why and return 2; a failure to start returns 1.
 */
export async function loadgenCommand(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const flags = parseLoadgenFlags(argv, env);
  if (flags.kind === 'help') {
    out(LOADGEN_HELP);
    return 0;
  }
  if (flags.kind === 'error') {
    out(`tunnelvision loadgen: ${flags.message}\n\nRun "tunnelvision loadgen --help" for the options.`);
    return 2;
  }
  const startedAt = Date.now();
  const stamp = () => `[${clock(Date.now() - startedAt)}]`;
  // Signals are handled from the very start, so one arriving while the
  // clients ramp up still ends in a clean stop. Stopping is bounded (every
  // close and export has a timeout), so later signals are only
  // acknowledged: an orchestrator that forwards the same Ctrl-C must not
  // turn a clean stop into a lost last batch.
  let stopReason: string | undefined;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopReason !== undefined) {
      out(`${stamp()} ${signal}: already stopping (at most about ${STOP_BOUND_SECONDS} s)`);
      return;
    }
    stopReason = `${signal} received`;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const collector = flags.options.collectorUrl.replace(/\/+$/, '');
    const health = await checkCollector(collector);
    if (health !== undefined) out(`warning: ${health}; events will fail to export until it is up`);

    let generator: LoadGenerator;
    try {
      const options = { ...flags.options, onLog: (line: string) => out(`${stamp()} ${line}`) };
      generator = flags.workers > 1 ? await startLoadGeneratorCluster(options, flags.workers) : await startLoadGenerator(options);
    } catch (error) {
      if (error instanceof LoadGeneratorOptionError) {
        const hint = error.option === 'clients' && flags.workers === 1 ? ' (or spread the clients over processes with --workers)' : '';
        out(`tunnelvision loadgen: ${error.message}${hint}`);
        return 2;
      }
      out(`tunnelvision loadgen: could not start: ${(error as Error).message}`);
      return 1;
    }
    out(banner(generator, collector, flags.workers));

    const reporter = startProgressReporter(generator, {
      intervalMillis: flags.progressIntervalMillis,
      write: out,
      lagWarningMillis: generator.options.pongTimeoutMillis / 2,
      collectorUrl: collector,
    });
    if (stopReason === undefined) {
      await new Promise<void>((resolve) => {
        const timer = flags.durationMillis === undefined ? undefined : setTimeout(() => {
          stopReason ??= '--duration reached';
          resolve();
        }, flags.durationMillis);
        wake = () => {
          if (timer !== undefined) clearTimeout(timer);
          resolve();
        };
      });
    }
    reporter.stop();
    out(`${stamp()} ${stopReason}: stopping (closing clients and gateways, flushing telemetry)`);
    const before = generator.stats();
    await generator.stop();
    out(summary(before, generator.stats(), Date.now() - startedAt));
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function checkCollector(base: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MILLIS) });
    await response.body?.cancel();
    return response.ok ? undefined : `the collector at ${base} answered /healthz with HTTP ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    return `cannot reach the collector at ${base} (${cause})`;
  }
}

function banner(generator: LoadGenerator, collector: string, workers: number): string {
  const o = generator.options;
  const stats = generator.stats();
  const lines = [`tunnelvision loadgen: sending OTLP to ${collector} (environment "${o.environment}")${workers > 1 ? `, ${workers} worker processes` : ''}`];
  for (const f of stats.fleets) {
    lines.push(
      `  ${f.service}: ${f.clients} clients (${f.tunnelClients} via the tunnel, jitter ${f.jitter ? 'on' : 'off'}) on ${f.transport}, ` +
        `client ${f.clientVersion}, ${f.gateways.length} gateways ${f.gatewayVersion} ` +
        `[${f.gateways.map((g) => `${g.name} :${g.port}`).join(', ')}], balancer :${f.network.port}, tunnel :${f.network.tunnelPort}`,
    );
  }
  lines.push(
    `  traffic: a message every ${o.messageIntervalMillis / 1000} s per client, rooms of ${o.roomSize}; ` +
      `sampling: clients ${o.clientSamplingRatio}, gateways ${o.serverSamplingRatio}`,
  );
  lines.push(
    o.scenarios.length === 0
      ? '  scenarios: none (steady traffic)'
      : `  scenarios: ${o.scenarios.join(', ')}${o.loop ? ', looping' : ''}; the first once clients are connected and after ${o.pauseMillis / 1000} s of baseline traffic`,
  );
  return lines.join('\n');
}

function summary(before: LoadGeneratorStats, after: LoadGeneratorStats, elapsedMillis: number): string {
  const t = after.totals;
  const drops = Object.entries(t.dropped)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  const closes = Object.entries(t.closes)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  const cpuShare = Math.round((after.process.cpuMillis / Math.max(1, elapsedMillis)) * 100);
  return [
    `tunnelvision loadgen: stopped after ${clock(elapsedMillis)}`,
    `  messages: ${t.sent} sent, ${t.acked} acked, ${t.received} delivered to rooms; dropped: ${drops === '' ? 'none' : drops}`,
    `  reconnects: ${t.reconnects}; closes by code: ${closes === '' ? 'none' : closes}; deploy markers: ${after.deploys.length}`,
    `  events: ${after.telemetry.emitted} emitted, ${after.telemetry.exported} exported, ${after.telemetry.failed} failed` +
      (after.telemetry.lastError === undefined || after.telemetry.failed === before.telemetry.failed ? '' : ` (last error: ${after.telemetry.lastError})`),
    `  cpu: ${cpuShare}% of one core on average; rss ${Math.round(before.process.rssBytes / 1_048_576)} MB before stopping`,
  ].join('\n');
}

function clock(millis: number): string {
  const total = Math.max(0, Math.floor(millis / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
