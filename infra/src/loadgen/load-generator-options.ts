import { isScenarioName } from './scenarios/scenario-registry.js';
import type { ScenarioName } from './scenarios/scenario.js';
import { isLoadgenTransport, type LoadgenTransport } from './fleet/loadgen-transport.js';
import type { MessageTruth } from './truth/message-truth.js';

/** Options of `startLoadGenerator`. Every field is optional; defaults are in `LOAD_GENERATOR_DEFAULTS`. */
export interface LoadGeneratorOptions {
  /** Collector base URL that OTLP and deploy markers go to. Default http://127.0.0.1:4318. */
  collectorUrl?: string;
  /** Ingest key, sent as `Authorization: Bearer <key>` with OTLP and deploy markers (collectors with COLLECTOR_INGEST_KEY). Default none. */
  ingestKey?: string;
  /** Virtual clients of the "chat" fleet (jittered reconnects). Default 300. */
  clients?: number;
  /** Virtual clients of the "chat-legacy" fleet (jitter off); 0 for none. Default 25% of `clients`, rounded. */
  legacyClients?: number;
  /**
   * What the fleets speak: `ws` (ResilientWebSocket clients on ResilientServer
   * gateways: "chat", "chat-legacy"), `socket.io` (socket.io-client on a
   * Socket.IO Server, each instrumented with the SDK's integration:
   * "chat-socketio", "chat-legacy-socketio"), or `both`: all four fleets,
   * with `clients` and `legacyClients` each split in two (ws gets the odd
   * one). Ground truth (`truth`) is recorded for the ws fleets only. Default `ws`.
   */
  transport?: LoadgenTransport;
  /** Gateways (ResilientServer instances) per fleet, behind its balancer. Default 2. */
  servers?: number;
  /** Mean time between two messages of one client (Poisson arrivals). Default 3000 ms. */
  messageIntervalMillis?: number;
  /** Clients per chat room; each message is fanned out to the other members. Default 5. */
  roomSize?: number;
  /** Share (0..1) of each fleet's clients that connect through the tunnel entrance. Default 0.2. */
  tunnelShare?: number;
  /** Offline queue size of tunnel clients, small so the loss scenario overflows it. Default 20. */
  tunnelQueueSize?: number;
  /**
   * Share (0..1) of the "chat" fleet's clients (direct and tunnel alike) in
   * the `feature_flag.resilience` = `on` cohort: heartbeats and jittered
   * reconnects, as every chat client had before cohorts. The rest are `off`:
   * no heartbeats (a black-holed connection goes unnoticed until it is cut)
   * and no jitter on top of each reconnect delay (each client's base delay is
   * still drawn from the chat range, so a chat deploy stays spread). Every chat client's events and metric points carry the
   * flag; 1 puts all of them in `on`. "chat-legacy" carries no flag. Default 0.5.
   */
  flaggedShare?: number;
  /** Share (0..1) of successful message journeys clients report (failures are always reported). Default 1. */
  clientSamplingRatio?: number;
  /** Share (0..1) of successful message journeys gateways report. Default 0.2. */
  serverSamplingRatio?: number;
  /** deployment.environment.name of everything. Default "demo". */
  environment?: string;
  /** Median round-trip time a connection gets through the balancer (log-normal). Default 40 ms. */
  latencyMedianMillis?: number;
  /** 99th percentile of that round-trip time. Default 300 ms. */
  latencyP99Millis?: number;
  /** Clients' time between a pong and the next ping. Default 5000 ms (the SDK's 15 s is slow for a demo). */
  heartbeatIntervalMillis?: number;
  /** How long a client's ping waits for its pong. Default 2000 ms. */
  pongTimeoutMillis?: number;
  /** Time a client allows a connection to open and be welcomed. Default 5000 ms. */
  connectTimeoutMillis?: number;
  /** Cap on a client's reconnect delay. Default 15 000 ms. */
  maxReconnectDelayMillis?: number;
  /** How often each pipeline exports metrics. Default 5000 ms. */
  metricExportIntervalMillis?: number;
  /** Longest an event waits before its batch is exported. Default 1000 ms. */
  logExportDelayMillis?: number;
  /** Scenarios to run in the background, in order (`runScenario` runs more on demand). Default none: steady traffic only. */
  scenarios?: readonly ScenarioName[];
  /** Start `scenarios` over after the last one, until stopped. Default false. */
  loop?: boolean;
  /** Baseline traffic before the first scheduled scenario, and the pause after each. Default 30 000 ms. */
  pauseMillis?: number;
  /** Pause between two gateway restarts of a rolling deploy. Default 10 000 ms. */
  deployStepMillis?: number;
  /** How long the tunnel scenario black-holes the tunnel. Default 30 000 ms. */
  tunnelMillis?: number;
  /** How long the overload scenario keeps a gateway overloaded. Default 30 000 ms. */
  overloadMillis?: number;
  /** Messages each tunnel client sends into its full queue in the loss scenario. Default 2 × `tunnelQueueSize`. */
  lossBurstMessages?: number;
  /** How long the loss scenario keeps the tunnel black-holed after the burst. Default 5000 ms. */
  lossHoldMillis?: number;
  /** How long the steady scenario lasts. Default 60 000 ms. */
  steadyMillis?: number;
  /** How long a scenario waits for clients to come back before moving on. Default 60 000 ms. */
  recoveryTimeoutMillis?: number;
  /** Clients created per second at start. Default 2000. */
  rampClientsPerSecond?: number;
  /**
   * Whether the deploy and herd scenarios post their deploy markers.
   * Default true; a cluster's workers leave it to the coordinator, which
   * posts one marker for all of them.
   */
  deployMarkers?: boolean;
  /**
   * This generator is shard `index` (0-based) of `count` in a cluster: its
   * clients are numbered index + 1, index + 1 + count, ... so user ids
   * never collide across shards. Default { index: 0, count: 1 }.
   */
  shard?: { index: number; count: number };
  /** Receives a line per scenario step and notable event. Default: discarded. */
  onLog?: (line: string) => void;
  /**
   * Records the ground truth of every message (sent, arrived, copies on
   * the wire, acked or dropped, fanned out and received) into this
   * recorder, to measure verdicts against (infra/bench/verdict-truth-bench.ts).
   * Default none: nothing recorded, no cost. Ignored by a cluster's workers.
   */
  truth?: MessageTruth;
}

/** Defaults of every numeric and text option that has a fixed one. */
export const LOAD_GENERATOR_DEFAULTS = {
  collectorUrl: 'http://127.0.0.1:4318',
  clients: 300,
  transport: 'ws',
  legacyShare: 0.25,
  servers: 2,
  messageIntervalMillis: 3_000,
  roomSize: 5,
  tunnelShare: 0.2,
  tunnelQueueSize: 20,
  flaggedShare: 0.5,
  clientSamplingRatio: 1,
  serverSamplingRatio: 0.2,
  environment: 'demo',
  latencyMedianMillis: 40,
  latencyP99Millis: 300,
  heartbeatIntervalMillis: 5_000,
  pongTimeoutMillis: 2_000,
  connectTimeoutMillis: 5_000,
  maxReconnectDelayMillis: 15_000,
  metricExportIntervalMillis: 5_000,
  logExportDelayMillis: 1_000,
  pauseMillis: 30_000,
  deployStepMillis: 10_000,
  tunnelMillis: 30_000,
  overloadMillis: 30_000,
  lossHoldMillis: 5_000,
  steadyMillis: 60_000,
  recoveryTimeoutMillis: 60_000,
  rampClientsPerSecond: 2_000,
} as const;

/** Options after defaults and validation. */
export interface ResolvedLoadGeneratorOptions {
  collectorUrl: string;
  ingestKey: string | undefined;
  clients: number;
  legacyClients: number;
  transport: LoadgenTransport;
  servers: number;
  messageIntervalMillis: number;
  roomSize: number;
  tunnelShare: number;
  tunnelQueueSize: number;
  flaggedShare: number;
  clientSamplingRatio: number;
  serverSamplingRatio: number;
  environment: string;
  latencyMedianMillis: number;
  latencyP99Millis: number;
  heartbeatIntervalMillis: number;
  pongTimeoutMillis: number;
  connectTimeoutMillis: number;
  maxReconnectDelayMillis: number;
  metricExportIntervalMillis: number;
  logExportDelayMillis: number;
  scenarios: ScenarioName[];
  loop: boolean;
  pauseMillis: number;
  deployStepMillis: number;
  tunnelMillis: number;
  overloadMillis: number;
  lossBurstMessages: number;
  lossHoldMillis: number;
  steadyMillis: number;
  recoveryTimeoutMillis: number;
  rampClientsPerSecond: number;
  deployMarkers: boolean;
  shard: { index: number; count: number };
  onLog: (line: string) => void;
  truth: MessageTruth | undefined;
}

/** An option (or flag) with a bad value; the message names it and says what is allowed. */
export class LoadGeneratorOptionError extends Error {
  /** Stable error code. */
  readonly code = 'invalid_option';

  /**
   * @param option the option's name
   * @param message what is wrong and what is allowed
   */
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
    this.name = 'LoadGeneratorOptionError';
  }
}

/** Most clients one generator runs (a guard against typos such as --clients 1000000). */
export const MAX_CLIENTS = 100_000;

/** Applies defaults and validates; an explicit bad value throws a LoadGeneratorOptionError naming the option. */
export function resolveLoadGeneratorOptions(options: LoadGeneratorOptions = {}): ResolvedLoadGeneratorOptions {
  const d = LOAD_GENERATOR_DEFAULTS;
  const clients = integer(options, 'clients', d.clients, 1, MAX_CLIENTS);
  const tunnelQueueSize = integer(options, 'tunnelQueueSize', d.tunnelQueueSize, 1, 100_000);
  const latencyMedianMillis = millis(options, 'latencyMedianMillis', d.latencyMedianMillis, 0.001);
  const latencyP99Millis = millis(options, 'latencyP99Millis', Math.max(d.latencyP99Millis, latencyMedianMillis), latencyMedianMillis);
  const collectorUrl = options.collectorUrl ?? d.collectorUrl;
  if (!/^https?:\/\/[^/]/.test(collectorUrl) || !URL.canParse(collectorUrl)) {
    throw new LoadGeneratorOptionError('collectorUrl', `collectorUrl must be an http(s) URL such as http://127.0.0.1:4318, got ${JSON.stringify(collectorUrl)}`);
  }
  if (options.ingestKey !== undefined && (typeof options.ingestKey !== 'string' || options.ingestKey.trim() === '')) {
    throw new LoadGeneratorOptionError('ingestKey', 'ingestKey must be a non-empty string');
  }
  const environment = options.environment ?? d.environment;
  if (typeof environment !== 'string' || environment.trim() === '' || environment.length > 256) {
    throw new LoadGeneratorOptionError('environment', 'environment must be a non-empty string of at most 256 characters');
  }
  const scenarios = [...(options.scenarios ?? [])];
  for (const name of scenarios) {
    if (!isScenarioName(name)) throw new LoadGeneratorOptionError('scenarios', `unknown scenario ${JSON.stringify(name)}`);
  }
  const shard = options.shard ?? { index: 0, count: 1 };
  if (!Number.isSafeInteger(shard.count) || shard.count < 1 || !Number.isSafeInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new LoadGeneratorOptionError('shard', `shard must be { index, count } with 0 <= index < count, got ${JSON.stringify(shard)}`);
  }
  const transport = options.transport ?? d.transport;
  if (!isLoadgenTransport(transport)) {
    throw new LoadGeneratorOptionError('transport', `transport must be ws, socket.io or both, got ${JSON.stringify(transport)}`);
  }
  if (options.onLog !== undefined && typeof options.onLog !== 'function') {
    throw new LoadGeneratorOptionError('onLog', 'onLog must be a function');
  }
  return {
    collectorUrl: collectorUrl.replace(/\/+$/, ''),
    ingestKey: options.ingestKey,
    clients,
    legacyClients: integer(options, 'legacyClients', Math.round(clients * d.legacyShare), 0, MAX_CLIENTS),
    transport,
    servers: integer(options, 'servers', d.servers, 1, 32),
    messageIntervalMillis: millis(options, 'messageIntervalMillis', d.messageIntervalMillis, 10),
    roomSize: integer(options, 'roomSize', d.roomSize, 1, 1_000),
    tunnelShare: ratio(options, 'tunnelShare', d.tunnelShare),
    tunnelQueueSize,
    flaggedShare: ratio(options, 'flaggedShare', d.flaggedShare),
    clientSamplingRatio: ratio(options, 'clientSamplingRatio', d.clientSamplingRatio),
    serverSamplingRatio: ratio(options, 'serverSamplingRatio', d.serverSamplingRatio),
    environment,
    latencyMedianMillis,
    latencyP99Millis,
    heartbeatIntervalMillis: millis(options, 'heartbeatIntervalMillis', d.heartbeatIntervalMillis, 1),
    pongTimeoutMillis: millis(options, 'pongTimeoutMillis', d.pongTimeoutMillis, 1),
    connectTimeoutMillis: millis(options, 'connectTimeoutMillis', d.connectTimeoutMillis, 1),
    maxReconnectDelayMillis: millis(options, 'maxReconnectDelayMillis', d.maxReconnectDelayMillis, 1_000),
    metricExportIntervalMillis: millis(options, 'metricExportIntervalMillis', d.metricExportIntervalMillis, 100),
    logExportDelayMillis: millis(options, 'logExportDelayMillis', d.logExportDelayMillis, 1),
    scenarios,
    loop: options.loop === true,
    pauseMillis: millis(options, 'pauseMillis', d.pauseMillis, 0),
    deployStepMillis: millis(options, 'deployStepMillis', d.deployStepMillis, 0),
    tunnelMillis: millis(options, 'tunnelMillis', d.tunnelMillis, 1),
    overloadMillis: millis(options, 'overloadMillis', d.overloadMillis, 1),
    lossBurstMessages: integer(options, 'lossBurstMessages', 2 * tunnelQueueSize, 1, 1_000_000),
    lossHoldMillis: millis(options, 'lossHoldMillis', d.lossHoldMillis, 0),
    steadyMillis: millis(options, 'steadyMillis', d.steadyMillis, 0),
    recoveryTimeoutMillis: millis(options, 'recoveryTimeoutMillis', d.recoveryTimeoutMillis, 0),
    rampClientsPerSecond: integer(options, 'rampClientsPerSecond', d.rampClientsPerSecond, 1, 1_000_000),
    deployMarkers: options.deployMarkers !== false,
    shard: { index: shard.index, count: shard.count },
    onLog: options.onLog ?? (() => {}),
    truth: options.truth,
  };
}

type NumericOption = {
  [K in keyof LoadGeneratorOptions]-?: NonNullable<LoadGeneratorOptions[K]> extends number ? K : never;
}[keyof LoadGeneratorOptions];

function integer(options: LoadGeneratorOptions, key: NumericOption, fallback: number, min: number, max: number): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new LoadGeneratorOptionError(key, `${key} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function millis(options: LoadGeneratorOptions, key: NumericOption, fallback: number, min: number): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new LoadGeneratorOptionError(key, `${key} must be a number of milliseconds >= ${min}, got ${String(value)}`);
  }
  return value;
}

function ratio(options: LoadGeneratorOptions, key: NumericOption, fallback: number): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new LoadGeneratorOptionError(key, `${key} must be between 0 and 1, got ${String(value)}`);
  }
  return value;
}
