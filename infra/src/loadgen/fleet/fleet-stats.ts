import type { NetworkBalancerStats } from '../network/network-balancer.js';
import type { TransportName } from './fleet-transport.js';
import type { MessageCounters } from './message-counters.js';

/** What the scenarios do with a fleet: `chat` fleets are deployed (deploy) and overloaded, `legacy` fleets make the herd. */
export type FleetRole = 'chat' | 'legacy';

/** One gateway, now. */
export interface GatewayStats {
  /** Its name (server.address). */
  name: string;
  /** Port it listens on. */
  port: number;
  /** Build it runs (service.version). */
  version: string;
  /** false while it restarts. */
  running: boolean;
  /** Whether it refuses new connections with 1013. */
  overloaded: boolean;
  /** Open connections. */
  connections: number;
}

/** One fleet (a service's clients, gateways and network), now. */
export interface FleetStats {
  /** service.name. */
  service: string;
  /** What the scenarios do with it. */
  role: FleetRole;
  /** The wire its clients and gateways speak. */
  transport: TransportName;
  /** service.version of its clients. */
  clientVersion: string;
  /** service.version its gateways run (the newest, during a deploy). */
  gatewayVersion: string;
  /** Whether its clients jitter their reconnects. */
  jitter: boolean;
  /** Clients per variant of the fleet's cohort flag (feature_flag.<flag>); undefined when it has none. */
  cohorts: { flag: string; on: number; off: number } | undefined;
  /** Virtual clients created so far. */
  clients: number;
  /** Of those, with an open session. */
  connected: number;
  /** Clients in the tunnel cohort. */
  tunnelClients: number;
  /** Of those, with an open session. */
  tunnelConnected: number;
  /** Client messages waiting in offline queues. */
  queued: number;
  /** Its gateways. */
  gateways: GatewayStats[];
  /** Its network. */
  network: NetworkBalancerStats & { port: number; tunnelPort: number };
  /** Totals since start. */
  counters: MessageCounters;
}
