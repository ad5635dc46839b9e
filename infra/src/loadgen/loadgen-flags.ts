import { parseArgs } from 'node:util';
import { LOAD_GENERATOR_DEFAULTS, type LoadGeneratorOptions } from './load-generator-options.js';
import { isLoadgenTransport } from './fleet/loadgen-transport.js';
import { parseScenarioList } from './scenarios/scenario-registry.js';

/** Scenarios the command runs when --scenario is not given. */
export const DEFAULT_CLI_SCENARIOS = 'all';
/** Time between two progress lines when --progress-interval is not given. */
export const DEFAULT_PROGRESS_INTERVAL_MILLIS = 5_000;

export const LOADGEN_HELP = `Usage: tunnelvision loadgen [options]

Runs the live demo's load: virtual chat clients (SDK ResilientWebSocket) on
gateways (ResilientServer) behind a TCP balancer with realistic latency and a
tunnel entrance, reporting real OTLP to the collector, with scenarios that make
reconnect storms, thundering herds, tunnels and lost messages happen.
With --transport socket.io the same fleets run on Socket.IO instead (socket.io-client
on a Socket.IO Server, each instrumented with the SDK's one-call integration).
Ctrl-C (or SIGTERM) stops it cleanly: clients and gateways close, telemetry is flushed.

  --collector <url>          collector URL (default: $COLLECTOR_URL or http://127.0.0.1:4318)
  --ingest-key <key>         ingest key for a collector with COLLECTOR_INGEST_KEY
                             (default: $TUNNELVISION_INGEST_KEY)
  --clients <n>              "chat" clients, jittered reconnects (default ${LOAD_GENERATOR_DEFAULTS.clients})
  --legacy-clients <n>       "chat-legacy" clients, jitter off; 0 for none (default 25% of --clients)
  --transport <t>            ws, socket.io or both (default ws):
                               ws         services "chat" and "chat-legacy" (SDK ResilientWebSocket)
                               socket.io  services "chat-socketio" and "chat-legacy-socketio"
                               both       all four side by side; --clients and --legacy-clients
                                          are each split in half (ws gets the odd one)
                             Socket.IO fleets have no resilience cohorts (the server pings every
                             client), no offline queue limit (loss drops by ack timeout, 10s,
                             not queue_full), no session resume across gateways, and no 1013
                             (overload refuses handshakes instead)
  --servers <n>              gateways per service (default ${LOAD_GENERATOR_DEFAULTS.servers})
  --workers <n>              processes to spread the clients over (default 1); each runs a
                             shard of every fleet, so more cores and open files are used
  --scenario <list>          comma-separated, run in order (default: all):
                               deploy    rolling restart of the chat (and chat-socketio) gateways + deploy marker
                               herd      the same for chat-legacy (and chat-legacy-socketio): a thundering herd
                               tunnel    the tunnel cohort is black-holed, then replays
                               overload  a gateway sheds its clients with 1013, then recovers
                               loss      tunnel clients overflow their queues (queue_full drops)
                               steady    traffic only (always running under the others)
                               all       deploy,herd,tunnel,overload,loss
  --loop                     run the scenarios over and over
  --duration <time>          stop after this long (default: run until Ctrl-C)
  --pause <time>             baseline before the first scenario and pause after each (default 30s)
  --message-interval <time>  mean time between two messages of a client (default 3s)
  --tunnel-share <0..1>      share of clients behind the tunnel entrance (default ${LOAD_GENERATOR_DEFAULTS.tunnelShare})
  --flagged-share <0..1>     share of "chat" clients with feature_flag.resilience=on (heartbeats,
                             jitter); the rest are "off": no heartbeats, no jitter (default ${LOAD_GENERATOR_DEFAULTS.flaggedShare})
  --tunnel-duration <time>   how long the tunnel scenario black-holes it (default 30s)
  --overload-duration <time> how long the overload scenario lasts (default 30s)
  --deploy-step <time>       pause between two gateway restarts of a deploy (default 10s)
  --client-sampling <0..1>   share of successful message journeys clients report (default ${LOAD_GENERATOR_DEFAULTS.clientSamplingRatio})
  --server-sampling <0..1>   share gateways report (default ${LOAD_GENERATOR_DEFAULTS.serverSamplingRatio}); failures are always reported
  --progress-interval <time> time between progress lines (default 5s)
  -h, --help                 show this help

Times: 90 or 90s (seconds), 500ms, 2m, 1h.
Each client costs 4 open files (client, balancer ×2, gateway) and one core runs a few thousand:
for many thousands raise ulimit -n, or use --workers.
`;

const FLAGS = {
  collector: { type: 'string' },
  'ingest-key': { type: 'string' },
  clients: { type: 'string' },
  transport: { type: 'string' },
  'legacy-clients': { type: 'string' },
  servers: { type: 'string' },
  workers: { type: 'string' },
  scenario: { type: 'string' },
  loop: { type: 'boolean' },
  duration: { type: 'string' },
  pause: { type: 'string' },
  'message-interval': { type: 'string' },
  'tunnel-share': { type: 'string' },
  'flagged-share': { type: 'string' },
  'tunnel-duration': { type: 'string' },
  'overload-duration': { type: 'string' },
  'deploy-step': { type: 'string' },
  'client-sampling': { type: 'string' },
  'server-sampling': { type: 'string' },
  'progress-interval': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What the command line asked for. */
export type LoadgenFlags =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | {
      kind: 'run';
      /** Options for startLoadGenerator (onLog is the command's to set). */
      options: LoadGeneratorOptions & { collectorUrl: string };
      /** Stop after this long; undefined runs until a signal. */
      durationMillis: number | undefined;
      /** Time between two progress lines. */
      progressIntervalMillis: number;
      /** Processes to spread the clients over (1: this one). */
      workers: number;
    };

/**
 * Parses and checks `tunnelvision loadgen` flags, with COLLECTOR_URL and
 * TUNNELVISION_INGEST_KEY from `env` as fallbacks. A bad flag comes back
 * as `{ kind: 'error' }` with a message naming it and what is allowed.
 */
export function parseLoadgenFlags(argv: readonly string[], env: NodeJS.ProcessEnv): LoadgenFlags {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help === true) return { kind: 'help' };
  try {
    const collectorUrl = (values.collector ?? nonEmpty(env.COLLECTOR_URL) ?? LOAD_GENERATOR_DEFAULTS.collectorUrl).trim();
    if (!/^https?:\/\/[^/]/.test(collectorUrl) || !URL.canParse(collectorUrl)) {
      throw new FlagError(`--collector: expected an http(s) URL such as http://127.0.0.1:4318, got "${collectorUrl}"`);
    }
    const scenarioText = values.scenario ?? DEFAULT_CLI_SCENARIOS;
    const scenarios = parseScenarioList(scenarioText);
    if (!scenarios.ok) {
      throw new FlagError(`--scenario: unknown scenario "${scenarios.unknown}"; use deploy, herd, tunnel, overload, loss, steady or all`);
    }
    const ingestKey = values['ingest-key'] ?? nonEmpty(env.TUNNELVISION_INGEST_KEY);
    if (ingestKey !== undefined && ingestKey.trim() === '') throw new FlagError('--ingest-key: must not be empty');
    const options: LoadGeneratorOptions & { collectorUrl: string } = {
      collectorUrl,
      scenarios: scenarios.names,
      loop: values.loop === true,
    };
    if (ingestKey !== undefined) options.ingestKey = ingestKey;
    if (values.transport !== undefined) {
      if (!isLoadgenTransport(values.transport)) throw new FlagError(`--transport: expected ws, socket.io or both, got "${values.transport}"`);
      options.transport = values.transport;
    }
    setIfGiven(options, 'clients', wholeNumber(values.clients, '--clients', 1));
    setIfGiven(options, 'legacyClients', wholeNumber(values['legacy-clients'], '--legacy-clients', 0));
    setIfGiven(options, 'servers', wholeNumber(values.servers, '--servers', 1, 32));
    setIfGiven(options, 'pauseMillis', duration(values.pause, '--pause', 0));
    setIfGiven(options, 'messageIntervalMillis', duration(values['message-interval'], '--message-interval', 10));
    setIfGiven(options, 'tunnelShare', share(values['tunnel-share'], '--tunnel-share'));
    setIfGiven(options, 'flaggedShare', share(values['flagged-share'], '--flagged-share'));
    setIfGiven(options, 'tunnelMillis', duration(values['tunnel-duration'], '--tunnel-duration', 1));
    setIfGiven(options, 'overloadMillis', duration(values['overload-duration'], '--overload-duration', 1));
    setIfGiven(options, 'deployStepMillis', duration(values['deploy-step'], '--deploy-step', 0));
    setIfGiven(options, 'clientSamplingRatio', share(values['client-sampling'], '--client-sampling'));
    setIfGiven(options, 'serverSamplingRatio', share(values['server-sampling'], '--server-sampling'));
    return {
      kind: 'run',
      options,
      durationMillis: duration(values.duration, '--duration', 1),
      progressIntervalMillis: duration(values['progress-interval'], '--progress-interval', 100) ?? DEFAULT_PROGRESS_INTERVAL_MILLIS,
      workers: wholeNumber(values.workers, '--workers', 1, 64) ?? 1,
    };
  } catch (error) {
    if (error instanceof FlagError) return { kind: 'error', message: error.message };
    throw error;
  }
}

/**
 * Reads a time: a plain number is seconds ("90"), or a number with ms,
 * s, m or h ("500ms", "1.5s", "2m", "1h"). Returns milliseconds, or
 * undefined when the text is not a time.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (match === null) return undefined;
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1_000 : unit === 'm' ? 60_000 : 3_600_000;
  return value * factor;
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
}

class FlagError extends Error {}

function setIfGiven<K extends keyof LoadGeneratorOptions>(options: LoadGeneratorOptions, key: K, value: LoadGeneratorOptions[K] | undefined): void {
  if (value !== undefined) options[key] = value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function wholeNumber(text: string | undefined, flag: string, min: number, max = 100_000): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new FlagError(`${flag}: expected a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function share(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 1)) throw new FlagError(`${flag}: expected a number from 0 to 1, got "${text}"`);
  return value;
}

function duration(text: string | undefined, flag: string, minMillis: number): number | undefined {
  if (text === undefined) return undefined;
  const value = parseDuration(text);
  if (value === undefined || value < minMillis) {
    const least = minMillis >= 1_000 ? `${minMillis / 1_000}s` : `${minMillis}ms`;
    throw new FlagError(`${flag}: expected a time such as 30s, 500ms, 2m or 90 (seconds), at least ${least}; got "${text}"`);
  }
  return value;
}
