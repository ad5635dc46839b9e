import { randomBytes } from 'node:crypto';
import { postDeployMarker, type RecordedDeploy } from './deploy-marker.js';
import { ChatFleet, type ChatFleetOptions, type FlagCohorts } from './fleet/chat-fleet.js';
import type { ClientTiming } from './fleet/client-timing.js';
import type { FleetRole } from './fleet/fleet-stats.js';
import type { FleetTransport } from './fleet/fleet-transport.js';
import { splitClients } from './fleet/loadgen-transport.js';
import { addCounters, createMessageCounters } from './fleet/message-counters.js';
import { NotableEvents } from './fleet/notable-events.js';
import {
  LoadGeneratorOptionError,
  resolveLoadGeneratorOptions,
  type LoadGeneratorOptions,
  type ResolvedLoadGeneratorOptions,
} from './load-generator-options.js';
import type { LoadGeneratorStats } from './load-generator-stats.js';
import { logNormalSampler } from './network/log-normal.js';
import { clientsWithin, filesNeeded, readOpenFileLimit } from './process/open-file-limit.js';
import { EventLoopLagMonitor } from './process/event-loop-lag.js';
import { processUsage } from './process/process-usage.js';
import type { ScenarioName, ScenarioTimings } from './scenarios/scenario.js';
import { ScenarioRunner } from './scenarios/scenario-runner.js';
import { startScenarioSchedule } from './scenarios/scenario-schedule.js';
import { socketIoTransport } from './fleet/socket-io-transport.js';
import { wsTransport } from './fleet/ws-transport.js';
import { createTelemetryCounters } from './telemetry/telemetry-counters.js';
import { createTelemetryPipeline } from './telemetry/telemetry-pipeline.js';

/** Builds of the "chat" fleet: its web client and its gateway. */
const CHAT_BUILDS = { client: 'web-3.2.0', gateway: 'gateway-1.4.0' } as const;
/** Builds of the "chat-legacy" fleet. */
const LEGACY_BUILDS = { client: 'legacy-web-1.9.0', gateway: 'legacy-gateway-0.9.0' } as const;
/** Builds of the Socket.IO fleets ("chat-socketio", "chat-legacy-socketio"). */
const SOCKET_IO_BUILDS = { client: 'sio-web-1.0.0', gateway: 'sio-gateway-2.0.0' } as const;
const SOCKET_IO_LEGACY_BUILDS = { client: 'sio-legacy-web-0.8.0', gateway: 'sio-legacy-gateway-0.5.0' } as const;
/** Suffix of the Socket.IO fleets' service names. */
const SOCKET_IO_SUFFIX = '-socketio';
/** Base reconnect delay range of jittered clients: wide, so a fleet dropped at once comes back over seconds. */
const JITTERED_INITIAL_DELAY_MILLIS = { min: 250, max: 4_000 } as const;
/** Base reconnect delay of every legacy client: the same for all, and no jitter on top. */
const LEGACY_INITIAL_DELAY_MILLIS = 1_000;
/** Feature flag splitting the chat fleet into cohorts (feature_flag.resilience = on / off). */
const RESILIENCE_FLAG = 'resilience';
/** Share of clients that must be connected before the first scheduled scenario starts. */
const WARM_SHARE = 0.95;

/** A running load generator. */
export interface LoadGenerator {
  /** The options in effect (defaults applied). */
  readonly options: Readonly<ResolvedLoadGeneratorOptions>;
  /** A snapshot of fleets, counters, the current scenario, telemetry and process usage. */
  stats(): LoadGeneratorStats;
  /** Runs a scenario now (after any already running); resolves when it is done or the generator stopped. */
  runScenario(name: ScenarioName): Promise<void>;
  /**
   * Stops everything: aborts the scenario (restoring the network),
   * closes clients and gateways, and flushes and shuts down every
   * telemetry pipeline. Leaves no timers or sockets behind. Idempotent.
   */
  stop(): Promise<void>;
}

/** A load generator running in this process (not a cluster): it can also be quiesced. */
export interface LocalLoadGenerator extends LoadGenerator {
  /**
   * Stops the scenarios (aborting the running one, which restores the
   * network) and the traffic, leaving clients and gateways up so the
   * messages in flight can finish; call stop() afterwards. For runs that
   * measure what became of every message (`truth`).
   */
  quiesce(): Promise<void>;
}

/**
 * Starts the live demo's load: a "chat" fleet of `clients` virtual
 * clients with jittered reconnects and a smaller "chat-legacy" fleet
 * without jitter, each with `servers` gateways behind a balancer with a
 * direct and a tunnel entrance, chatting in rooms and reporting real OTLP
 * to the collector; with `transport` socket.io the same fleets run on
 * Socket.IO ("chat-socketio", "chat-legacy-socketio"), with both, side by
 * side. Resolves once every client is created (they connect
 * within a second or two); scheduled scenarios start after the
 * clients are connected and `pauseMillis` of baseline traffic.
 *
 * @throws LoadGeneratorOptionError for a bad option, or when the process
 * may not open enough files for that many clients (`ulimit -n`).
 */
export async function startLoadGenerator(options: LoadGeneratorOptions = {}): Promise<LocalLoadGenerator> {
  const o = resolveLoadGeneratorOptions(options);
  checkOpenFiles(o.clients + o.legacyClients);
  const startedAt = Date.now();
  const telemetry = createTelemetryCounters();
  const notable = new NotableEvents();
  const deploys: RecordedDeploy[] = [];
  const runId = randomBytes(3).toString('hex');
  const sampleRoundTripMillis = logNormalSampler({ medianMillis: o.latencyMedianMillis, p99Millis: o.latencyP99Millis });

  const fleetOptions = (
    transport: FleetTransport,
    role: FleetRole,
    service: string,
    clients: number,
    builds: { client: string; gateway: string },
    cohorts?: FlagCohorts,
  ): ChatFleetOptions => ({
    service,
    role,
    transport,
    clients,
    gateways: o.servers,
    clientVersion: builds.client,
    gatewayVersion: builds.gateway,
    tunnelShare: o.tunnelShare,
    tunnelQueueSize: o.tunnelQueueSize,
    roomSize: o.roomSize,
    messageIntervalMillis: o.messageIntervalMillis,
    // Legacy fleets have jitter off: the thundering herd.
    timing: clientTiming(o, role === 'chat'),
    ...(cohorts === undefined ? {} : { cohorts }),
    clientSampling: { successRatio: o.clientSamplingRatio },
    serverSampling: { successRatio: o.serverSamplingRatio },
    sampleRoundTripMillis,
    createPipeline: (serviceVersion, instanceName) =>
      createTelemetryPipeline({
        collectorUrl: o.collectorUrl,
        ingestKey: o.ingestKey,
        serviceName: service,
        serviceVersion,
        environment: o.environment,
        instanceName,
        metricExportIntervalMillis: o.metricExportIntervalMillis,
        logExportDelayMillis: o.logExportDelayMillis,
        counters: telemetry,
      }),
    rampClientsPerSecond: o.rampClientsPerSecond,
    runId,
    shard: o.shard,
    notable,
    host: '127.0.0.1',
    // Ground truth taps the SDK's own wire protocol: ws fleets only.
    ...(o.truth === undefined || transport !== wsTransport ? {} : { truth: o.truth }),
  });

  // The chat fleet's clients are split by feature_flag.resilience: `on` as before, `off` without heartbeats
  // and without jitter on top of each delay. Their base delays are still drawn per client from the chat
  // range, so a chat deploy stays spread out (the legacy fleet is the thundering herd).
  const resilienceOff: ClientTiming = { ...clientTiming(o, true), heartbeatIntervalMillis: 0, jitterRatio: 0 };
  const cohorts: FlagCohorts = { flag: RESILIENCE_FLAG, onShare: o.flaggedShare, offTiming: resilienceOff };
  // Socket.IO's heartbeat is the server's ping: the same timing the ws clients' pings have.
  const socketIo = socketIoTransport({ pingIntervalMillis: o.heartbeatIntervalMillis, pingTimeoutMillis: o.pongTimeoutMillis });
  const chatClients = splitClients(o.transport, o.clients);
  const legacyClients = splitClients(o.transport, o.legacyClients);
  // Cohorts are a ws fleet thing: Socket.IO clients cannot turn the server's pings off.
  const plans: ChatFleetOptions[] = [
    fleetOptions(wsTransport, 'chat', 'chat', chatClients.ws, CHAT_BUILDS, cohorts),
    fleetOptions(wsTransport, 'legacy', 'chat-legacy', legacyClients.ws, LEGACY_BUILDS),
    fleetOptions(socketIo, 'chat', `chat${SOCKET_IO_SUFFIX}`, chatClients['socket.io'], SOCKET_IO_BUILDS),
    fleetOptions(socketIo, 'legacy', `chat-legacy${SOCKET_IO_SUFFIX}`, legacyClients['socket.io'], SOCKET_IO_LEGACY_BUILDS),
  ];
  const starting = plans.filter((plan) => plan.clients > 0).map((plan) => ChatFleet.start(plan));
  const loop = new EventLoopLagMonitor();
  const settled = await Promise.allSettled(starting);
  const fleets = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure !== undefined) {
    loop.stop();
    await Promise.all(fleets.map((f) => f.stop()));
    throw failure.reason;
  }

  const timings: ScenarioTimings = {
    deployStepMillis: o.deployStepMillis,
    tunnelMillis: o.tunnelMillis,
    overloadMillis: o.overloadMillis,
    lossBurstMessages: o.lossBurstMessages,
    lossHoldMillis: o.lossHoldMillis,
    // A dead link is declared after one interval and maxMissedPongs (2) pong timeouts; allow a little more.
    detectionTimeoutMillis: o.heartbeatIntervalMillis + 2 * o.pongTimeoutMillis + 5_000,
    steadyMillis: o.steadyMillis,
    recoveryTimeoutMillis: o.recoveryTimeoutMillis,
  };
  const runner = new ScenarioRunner({
    fleets,
    timings,
    log: o.onLog,
    recordDeploy: async (fleet, version) => {
      if (!o.deployMarkers) return { ok: false, error: 'deploy markers are recorded by the coordinator' };
      const result = await postDeployMarker({
        collectorUrl: o.collectorUrl,
        ingestKey: o.ingestKey,
        service: fleet.service,
        version,
        environment: o.environment,
        commit: randomBytes(20).toString('hex'),
        description: `tunnelvision loadgen: rolling restart of ${fleet.gateways.length} ${fleet.service} gateways`,
      });
      if (result.ok) {
        deploys.push(result.deploy);
        o.onLog(`deploy marker recorded: ${fleet.service} ${version} (id ${result.deploy.id})`);
      } else {
        o.onLog(`deploy marker not recorded: ${result.error}`);
      }
      return result;
    },
  });
  const schedule = startScenarioSchedule({
    names: o.scenarios,
    loop: o.loop,
    pauseMillis: o.pauseMillis,
    warmTimeoutMillis: o.recoveryTimeoutMillis,
    isWarm: () => fleets.every((f) => f.connectedShare() >= WARM_SHARE),
    run: (name) => runner.run(name),
    log: o.onLog,
  });
  let stopped: Promise<void> | undefined;
  return {
    options: o,
    stats: () => {
      const fleetStats = fleets.map((f) => f.stats());
      return {
        startedAt,
        at: Date.now(),
        fleets: fleetStats,
        totals: fleetStats.reduce((sum, f) => addCounters(sum, f.counters), createMessageCounters()),
        scenario: runner.current,
        telemetry: { ...telemetry },
        deploys: [...deploys],
        recentDrops: notable.recentDrops(),
        replayedSessions: notable.replayedSessions(),
        process: processUsage(loop.lag),
      };
    },
    runScenario: (name) => runner.run(name),
    async quiesce() {
      const scheduleDone = schedule.stop();
      await runner.stop();
      await scheduleDone;
      for (const fleet of fleets) fleet.stopTraffic();
    },
    stop() {
      stopped ??= (async () => {
        const scheduleDone = schedule.stop();
        await runner.stop();
        await scheduleDone;
        await Promise.all(fleets.map((f) => f.stop()));
        loop.stop();
      })();
      return stopped;
    },
  };
}

function clientTiming(o: ResolvedLoadGeneratorOptions, jitter: boolean): ClientTiming {
  const common = {
    heartbeatIntervalMillis: o.heartbeatIntervalMillis,
    pongTimeoutMillis: o.pongTimeoutMillis,
    connectTimeoutMillis: o.connectTimeoutMillis,
    maxDelayMillis: o.maxReconnectDelayMillis,
  };
  if (!jitter) {
    const delay = Math.min(LEGACY_INITIAL_DELAY_MILLIS, o.maxReconnectDelayMillis);
    return { ...common, minInitialDelayMillis: delay, maxInitialDelayMillis: delay, jitterRatio: 0 };
  }
  return {
    ...common,
    minInitialDelayMillis: Math.min(JITTERED_INITIAL_DELAY_MILLIS.min, o.maxReconnectDelayMillis),
    maxInitialDelayMillis: Math.min(JITTERED_INITIAL_DELAY_MILLIS.max, o.maxReconnectDelayMillis),
    jitterRatio: 0.5,
  };
}

function checkOpenFiles(clients: number): void {
  const limit = readOpenFileLimit();
  if (limit === undefined || filesNeeded(clients) <= limit) return;
  throw new LoadGeneratorOptionError(
    'clients',
    `${clients} clients need about ${filesNeeded(clients)} open files (4 sockets each: client, balancer ×2, gateway), ` +
      `but this process may open ${limit} (ulimit -n). Raise the limit (ulimit -n ${filesNeeded(clients)}) ` +
      `or run at most ${clientsWithin(limit)} clients in all.`,
  );
}
