import { createTracker, type MessageSamplingOptions } from '@tunnelvision/sdk';
import { SessionStore, type InboundMessage } from '@tunnelvision/sdk/node';
import { NetworkBalancer } from '../network/network-balancer.js';
import type { TelemetryPipeline } from '../telemetry/telemetry-pipeline.js';
import type { MessageTruth } from '../truth/message-truth.js';
import { ChatRooms } from './chat-rooms.js';
import type { ClientTiming } from './client-timing.js';
import type { FleetRole, FleetStats } from './fleet-stats.js';
import type { FleetClient, FleetGateway, FleetTransport } from './fleet-transport.js';
import { createMessageCounters, type MessageCounters } from './message-counters.js';
import type { NotableEvents } from './notable-events.js';
import { PoissonTraffic } from './poisson-traffic.js';

/**
 * Two cohorts of a fleet's clients, split by a feature flag: `on` clients
 * use the fleet's `timing`, `off` clients `offTiming`. Each client's tracker
 * carries `feature_flag.<flag>` = its variant on every event and metric point.
 */
export interface FlagCohorts {
  /** Flag key ("resilience"). */
  flag: string;
  /** Share (0..1) of the clients with the flag `on`, spread evenly over the direct and the tunnel clients alike. */
  onShare: number;
  /** Socket timing of the `off` clients. */
  offTiming: ClientTiming;
}

/** Options of `ChatFleet.start`. */
export interface ChatFleetOptions {
  /** service.name of its clients and gateways ("chat", "chat-legacy", "chat-socketio", ...). */
  service: string;
  /** What the scenarios do with it: `chat` fleets are deployed and overloaded, `legacy` fleets (jitter off) make the herd. */
  role: FleetRole;
  /** The wire its clients and gateways speak. */
  transport: FleetTransport;
  /** Virtual clients. */
  clients: number;
  /** Gateways behind the balancer. */
  gateways: number;
  /** service.version of the clients (the client build). */
  clientVersion: string;
  /** service.version the gateways start with (the gateway build). */
  gatewayVersion: string;
  /** Share of clients (0..1) that connect through the tunnel entrance. */
  tunnelShare: number;
  /** Offline queue size of tunnel clients (small, so a long black hole overflows it; Socket.IO's buffer has no limit). */
  tunnelQueueSize: number;
  /** Clients per chat room; each message is fanned out to the other members. */
  roomSize: number;
  /** Mean time between two messages of one client, in ms. */
  messageIntervalMillis: number;
  /** Socket timing of every client (of the `on` cohort, with `cohorts`). */
  timing: ClientTiming;
  /** Splits the clients into a flag's `on` and `off` cohorts; undefined: one cohort, no flag. */
  cohorts?: FlagCohorts;
  /** Sampling of successful message journeys on clients. */
  clientSampling: MessageSamplingOptions;
  /** Sampling of successful message journeys on gateways. */
  serverSampling: MessageSamplingOptions;
  /** Draws a new connection's round-trip time through the balancer, in ms. */
  sampleRoundTripMillis: () => number;
  /** Builds a pipeline for this fleet's service with the given service.version and instance name. */
  createPipeline(serviceVersion: string, instanceName: string): TelemetryPipeline;
  /** Clients created per second at start (a ramp, not a wall of connects). */
  rampClientsPerSecond: number;
  /** A prefix making this run's session ids unique. */
  runId: string;
  /** Client numbering (user ids): client i is number i * shard.count + shard.index + 1, so shards of a cluster never collide. */
  shard: { index: number; count: number };
  /** Where notable drops and replays are recorded. */
  notable: NotableEvents;
  /** Interface everything listens on. */
  host: string;
  /** Ground-truth recording of every message either way (undefined: none, no cost). */
  truth?: MessageTruth;
}

/** Ramp steps per second. */
const RAMP_STEPS_PER_SECOND = 10;

/**
 * One service's world: its gateways (sharing a session store, as a
 * Redis-backed fleet would), the balancer in front of them with a direct
 * and a tunnel entrance, its virtual clients (one tracker each, on one
 * shared client pipeline) and the Poisson traffic that makes them talk.
 * Gateways fan each message out to the sender's room, each member through
 * the gateway its session is attached to.
 */
export class ChatFleet {
  /** service.name. */
  readonly service: string;
  /** Its gateways, in balancer order. */
  readonly gateways: FleetGateway[] = [];
  /** Its clients, created so far. */
  readonly clients: FleetClient[] = [];
  /** Totals since start. */
  readonly counters: MessageCounters = createMessageCounters();
  private readonly options: ChatFleetOptions;
  private readonly store = new SessionStore();
  private readonly rooms: ChatRooms;
  private readonly attachedTo = new Map<string, FleetGateway>();
  private readonly traffic: PoissonTraffic;
  private balancerInstance: NetworkBalancer | undefined;
  private clientPipeline: TelemetryPipeline | undefined;
  private gatewayBuild: string;
  private stopped = false;

  private constructor(options: ChatFleetOptions) {
    this.options = options;
    this.service = options.service;
    this.gatewayBuild = options.gatewayVersion;
    this.rooms = new ChatRooms(options.roomSize);
    this.traffic = new PoissonTraffic({
      ratePerSecond: options.clients / (options.messageIntervalMillis / 1000),
      onArrival: () => this.randomClient()?.say(),
    });
  }

  /** Starts gateways and network, creates the clients at the ramp rate, then starts the traffic; resolves once all are created. */
  static async start(options: ChatFleetOptions): Promise<ChatFleet> {
    const fleet = new ChatFleet(options);
    try {
      await fleet.startServers();
      await fleet.rampClients();
      if (!fleet.stopped) fleet.traffic.start();
    } catch (error) {
      await fleet.stop();
      throw error;
    }
    return fleet;
  }

  /** The balancer in front of the gateways. */
  get network(): NetworkBalancer {
    if (this.balancerInstance === undefined) throw new Error(`${this.service}: the network is not started`);
    return this.balancerInstance;
  }

  /** The gateway build running now (the newest, once a deploy finished). */
  get gatewayVersion(): string {
    return this.gatewayBuild;
  }

  /** Whether its clients jitter their reconnect delays. */
  get jitter(): boolean {
    return this.options.timing.jitterRatio > 0;
  }

  /** What the scenarios do with it. */
  get role(): FleetRole {
    return this.options.role;
  }

  /** Clients in the tunnel cohort. */
  get tunnelClients(): FleetClient[] {
    return this.clients.filter((c) => c.tunnel);
  }

  /** The next gateway build (see nextVersion). */
  nextGatewayVersion(): string {
    return nextVersion(this.gatewayBuild);
  }

  /**
   * Restarts one gateway with `version`: marks it down in the balancer,
   * closes it (1001 to its clients, which reconnect to the others),
   * starts the new build on the same port with the same sessions, and
   * marks it up.
   */
  async restartGateway(gateway: FleetGateway, version: string): Promise<void> {
    this.network.setBackendUp(gateway.name, false);
    try {
      await gateway.restart(version);
      this.gatewayBuild = version;
    } finally {
      if (!this.stopped) this.network.setBackendUp(gateway.name, true);
    }
  }

  /** Share (0..1) of `clients` with an open session; 1 for none. */
  connectedShare(clients: readonly FleetClient[] = this.clients): number {
    if (clients.length === 0) return 1;
    let open = 0;
    for (const c of clients) if (c.isOpen) open++;
    return open / clients.length;
  }

  /** What the fleet looks like now. */
  stats(): FleetStats {
    let connected = 0;
    let tunnelClients = 0;
    let tunnelConnected = 0;
    let queued = 0;
    for (const client of this.clients) {
      const open = client.isOpen;
      if (open) connected++;
      if (client.tunnel) {
        tunnelClients++;
        if (open) tunnelConnected++;
      }
      queued += client.queueSize;
    }
    const network = this.balancerInstance;
    return {
      service: this.service,
      role: this.options.role,
      transport: this.options.transport.name,
      clientVersion: this.options.clientVersion,
      gatewayVersion: this.gatewayBuild,
      jitter: this.jitter,
      cohorts: this.cohortStats(),
      clients: this.clients.length,
      connected,
      tunnelClients,
      tunnelConnected,
      queued,
      gateways: this.gateways.map((g) => ({
        name: g.name,
        port: g.port,
        version: g.version,
        running: g.running,
        overloaded: g.isOverloaded,
        connections: g.connectionCount,
      })),
      network: {
        ...(network?.stats() ?? { direct: 0, tunnel: 0, held: 0, blackholed: false, backendsUp: 0 }),
        port: network?.port ?? 0,
        tunnelPort: network?.tunnelPort ?? 0,
      },
      counters: structuredClone(this.counters),
    };
  }

  /** Clients per variant of the cohort flag, undefined without cohorts. */
  private cohortStats(): FleetStats['cohorts'] {
    const cohorts = this.options.cohorts;
    if (cohorts === undefined) return undefined;
    let on = 0;
    for (const client of this.clients) if (client.flagVariant === 'on') on++;
    return { flag: cohorts.flag, on, off: this.clients.length - on };
  }

  /** Stops the traffic only (no new messages); clients and gateways stay up so what is in flight can finish. */
  stopTraffic(): void {
    this.traffic.stop();
  }

  /**
   * Stops the fleet: traffic, then clients (1000), gateways (1001 to any
   * connection left), the network, and last the client pipeline (its last
   * events exported). Idempotent; never rejects.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.traffic.stop();
    for (const client of this.clients) client.close();
    this.balancerInstance?.restoreTunnel();
    await Promise.all(this.gateways.map((g) => g.stop()));
    await this.balancerInstance?.close();
    await this.clientPipeline?.shutdown();
  }

  private async startServers(): Promise<void> {
    const o = this.options;
    for (let i = 0; i < o.gateways; i++) {
      const name = `${o.service}-gw-${i + 1}`;
      this.gateways.push(
        await o.transport.startGateway({
          name,
          version: this.gatewayBuild,
          store: this.store,
          host: o.host,
          sampling: o.serverSampling,
          createPipeline: (version) => o.createPipeline(version, name),
          ...(o.truth === undefined ? {} : { truth: o.truth }),
          onMessage: (_gateway, message) => {
            o.truth?.gatewayReceived(message.sessionId, message.id, Date.now());
            this.fanOut(message);
          },
          onSession: (gateway, sessionId) => {
            this.attachedTo.set(sessionId, gateway);
            o.truth?.sessionAttached(sessionId);
          },
        }),
      );
    }
    this.balancerInstance = await NetworkBalancer.start({
      backends: this.gateways.map((g) => ({ name: g.name, port: g.port })),
      sampleRoundTripMillis: o.sampleRoundTripMillis,
      host: o.host,
    });
    this.clientPipeline = o.createPipeline(o.clientVersion, `${o.service}-clients`);
  }

  private async rampClients(): Promise<void> {
    const o = this.options;
    const pipeline = this.clientPipeline!;
    const network = this.network;
    // Clients so far per entrance, so each entrance's clients are split into the flag's cohorts evenly.
    const seen = { direct: 0, tunnel: 0 };
    const perStep = Math.max(1, Math.ceil(o.rampClientsPerSecond / RAMP_STEPS_PER_SECOND));
    for (let i = 0; i < o.clients && !this.stopped; i++) {
      // Spread the tunnel cohort evenly: exactly round(clients * share) of them.
      const inTunnel = Math.floor((i + 1) * o.tunnelShare) > Math.floor(i * o.tunnelShare);
      const entrance = inTunnel ? 'tunnel' : 'direct';
      const k = seen[entrance]++;
      const variant = o.cohorts === undefined ? undefined : evenShare(k, o.cohorts.onShare) ? 'on' : 'off';
      const number = i * o.shard.count + o.shard.index + 1;
      const sessionId = `${o.service}-${o.runId}-${number}`;
      const userId = `user-${o.service}-${number}`;
      const client = o.transport.createClient({
        host: o.host,
        port: inTunnel ? network.tunnelPort : network.port,
        sessionId,
        room: this.rooms.join(sessionId),
        tunnel: inTunnel,
        service: o.service,
        timing: variant === 'off' ? o.cohorts!.offTiming : o.timing,
        maxQueueSize: inTunnel ? o.tunnelQueueSize : undefined,
        ...(variant === undefined ? {} : { flagVariant: variant }),
        serverAddress: inTunnel ? `tunnel.${o.service}.demo` : `lb.${o.service}.demo`,
        tracker: createTracker({
          loggerProvider: pipeline.loggerProvider,
          meterProvider: pipeline.meterProvider,
          role: 'client',
          sessionId,
          userId,
          sampling: o.clientSampling,
          ...(variant === undefined ? {} : { featureFlags: { [o.cohorts!.flag]: variant } }),
        }),
        counters: this.counters,
        notable: o.notable,
        ...(o.truth === undefined ? {} : { truth: o.truth }),
      });
      this.clients.push(client);
      if ((i + 1) % perStep === 0 && i + 1 < o.clients) await sleep(1000 / RAMP_STEPS_PER_SECOND);
    }
  }

  private randomClient(): FleetClient | undefined {
    return this.clients[Math.floor(Math.random() * this.clients.length)];
  }

  /** Sends a client's message to the other members of its room, each through the gateway holding its session. */
  private fanOut(message: InboundMessage): void {
    const text = (message.body as { text?: unknown } | null)?.text;
    const body = { from: message.sessionId, text: typeof text === 'string' ? text : '' };
    const channel = message.channel ?? 'room';
    for (const member of this.rooms.othersOf(message.sessionId)) {
      const holder = this.attachedTo.get(member);
      // Its gateway may be restarting: then any running one puts the message in the
      // session's outbox (the store is shared), replayed when it resumes.
      const sentAt = Date.now();
      let id = holder?.send(member, body, channel);
      for (const gateway of this.gateways) {
        if (id !== undefined) break;
        if (gateway !== holder) id = gateway.send(member, body, channel);
      }
      if (id === undefined) continue;
      this.counters.fannedOut++;
      this.options.truth?.fanOutSent({ service: this.service, sessionId: member, messageId: id, sentAt });
    }
  }
}

/** Whether item `index` of a sequence is picked when picking `share` of them evenly (exactly round(n * share) of the first n). */
function evenShare(index: number, share: number): boolean {
  return Math.floor((index + 1) * share) > Math.floor(index * share);
}

/** The build after `version`: its last number plus one (gateway-1.4.0 → gateway-1.4.1). */
export function nextVersion(version: string): string {
  const match = /^(.*?)(\d+)$/.exec(version);
  return match === null ? `${version}.1` : `${match[1]}${Number(match[2]) + 1}`;
}

async function sleep(millis: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, millis));
}
