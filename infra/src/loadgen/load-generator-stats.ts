import type { RecordedDeploy } from './deploy-marker.js';
import type { FleetStats } from './fleet/fleet-stats.js';
import type { MessageCounters } from './fleet/message-counters.js';
import type { DroppedMessage } from './fleet/notable-events.js';
import type { ProcessUsage } from './process/process-usage.js';
import type { CurrentScenario } from './scenarios/scenario-runner.js';
import type { TelemetryCounters } from './telemetry/telemetry-counters.js';

/** A snapshot of the load generator (cumulative counters; rates come from two snapshots). */
export interface LoadGeneratorStats {
  /** When it started, epoch ms. */
  startedAt: number;
  /** When this snapshot was taken, epoch ms. */
  at: number;
  /** Each fleet ("chat", then "chat-legacy" if any). */
  fleets: FleetStats[];
  /** Every fleet's counters added up. */
  totals: MessageCounters;
  /** The scenario running now, if any. */
  scenario: CurrentScenario | undefined;
  /** The generator's own telemetry: events emitted, exported and failed. */
  telemetry: TelemetryCounters;
  /** Deploy markers recorded so far, oldest first. */
  deploys: RecordedDeploy[];
  /** Recent dropped client messages (ids to look up), oldest first. */
  recentDrops: DroppedMessage[];
  /** Recent tunnel sessions whose queued messages were replayed after a reconnect. */
  replayedSessions: string[];
  /** CPU and memory of this process. */
  process: ProcessUsage;
}
