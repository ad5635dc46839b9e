import type { RecordedDeploy } from '../deploy-marker.js';
import type { FleetStats } from '../fleet/fleet-stats.js';
import { addCounters, createMessageCounters } from '../fleet/message-counters.js';
import type { LoadGeneratorStats } from '../load-generator-stats.js';
import type { ProcessUsage } from '../process/process-usage.js';

/** Notable entries kept after merging (as one generator keeps). */
const KEEP = 200;

/** What the coordinator adds to its workers' stats. */
export interface MergeContext {
  /** When the cluster started, epoch ms. */
  startedAt: number;
  /** Deploy markers the coordinator recorded. */
  deploys: RecordedDeploy[];
  /** The coordinator's own process usage. */
  coordinator: ProcessUsage;
}

/**
 * One view of a cluster from its workers' latest stats: fleets merged by
 * service (counts added; gateways merged by name, since every shard runs
 * its own slice of each named gateway), counters, telemetry and process
 * usage added up (CPU is then the share of one core summed over processes),
 * the scenario step of the first worker.
 */
export function mergeStats(parts: readonly LoadGeneratorStats[], context: MergeContext): LoadGeneratorStats {
  const fleets = new Map<string, FleetStats>();
  for (const part of parts) {
    for (const fleet of part.fleets) {
      const seen = fleets.get(fleet.service);
      fleets.set(fleet.service, seen === undefined ? structuredClone(fleet) : mergeFleet(seen, fleet));
    }
  }
  const merged = [...fleets.values()];
  const usage = [context.coordinator, ...parts.map((p) => p.process)];
  return {
    startedAt: context.startedAt,
    at: Math.max(Date.now(), ...parts.map((p) => p.at)),
    fleets: merged,
    totals: merged.reduce((sum, f) => addCounters(sum, f.counters), createMessageCounters()),
    scenario: parts[0]?.scenario,
    telemetry: {
      emitted: sum(parts.map((p) => p.telemetry.emitted)),
      exported: sum(parts.map((p) => p.telemetry.exported)),
      failed: sum(parts.map((p) => p.telemetry.failed)),
      lastError: parts.map((p) => p.telemetry.lastError).find((e) => e !== undefined),
    },
    deploys: [...context.deploys],
    recentDrops: parts.flatMap((p) => p.recentDrops).sort((a, b) => a.at - b.at).slice(-KEEP),
    replayedSessions: parts.flatMap((p) => p.replayedSessions).slice(-KEEP),
    process: {
      cpuMillis: sum(usage.map((u) => u.cpuMillis)),
      rssBytes: sum(usage.map((u) => u.rssBytes)),
      eventLoopLagP99Millis: Math.max(...usage.map((u) => u.eventLoopLagP99Millis)),
      eventLoopLagMaxMillis: Math.max(...usage.map((u) => u.eventLoopLagMaxMillis)),
    },
  };
}

function mergeFleet(a: FleetStats, b: FleetStats): FleetStats {
  const gateways = a.gateways.map((g) => {
    const other = b.gateways.find((x) => x.name === g.name);
    if (other === undefined) return g;
    return {
      ...g,
      connections: g.connections + other.connections,
      running: g.running && other.running,
      overloaded: g.overloaded || other.overloaded,
    };
  });
  return {
    ...a,
    clients: a.clients + b.clients,
    connected: a.connected + b.connected,
    cohorts: a.cohorts === undefined || b.cohorts === undefined ? (a.cohorts ?? b.cohorts) : { ...a.cohorts, on: a.cohorts.on + b.cohorts.on, off: a.cohorts.off + b.cohorts.off },
    tunnelClients: a.tunnelClients + b.tunnelClients,
    tunnelConnected: a.tunnelConnected + b.tunnelConnected,
    queued: a.queued + b.queued,
    gateways,
    network: {
      ...a.network,
      direct: a.network.direct + b.network.direct,
      tunnel: a.network.tunnel + b.network.tunnel,
      held: a.network.held + b.network.held,
      blackholed: a.network.blackholed || b.network.blackholed,
      backendsUp: Math.min(a.network.backendsUp, b.network.backendsUp),
    },
    counters: addCounters(a.counters, b.counters),
  };
}

const sum = (values: readonly number[]) => values.reduce((x, y) => x + y, 0);
