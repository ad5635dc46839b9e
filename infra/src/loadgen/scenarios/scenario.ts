import type { DeployMarkerResult } from '../deploy-marker.js';
import type { ChatFleet } from '../fleet/chat-fleet.js';

/** The scenarios there are, in the order `all` runs them. */
export const SCENARIO_NAMES = ['deploy', 'herd', 'tunnel', 'overload', 'loss', 'steady'] as const;

/** A scenario's name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Timing of the scenarios (all in ms except the burst size). */
export interface ScenarioTimings {
  /** Pause between two gateway restarts of a rolling deploy. */
  deployStepMillis: number;
  /** How long the tunnel scenario black-holes the tunnel. */
  tunnelMillis: number;
  /** How long the overload scenario keeps a gateway overloaded. */
  overloadMillis: number;
  /** Messages each tunnel client sends into its full queue in the loss scenario. */
  lossBurstMessages: number;
  /** How long the loss scenario keeps the black hole after the burst. */
  lossHoldMillis: number;
  /** How long heartbeats may take to notice a dead link (the loss scenario waits for that before its burst). */
  detectionTimeoutMillis: number;
  /** How long the steady scenario lasts. */
  steadyMillis: number;
  /** How long a scenario waits for clients to come back before it moves on anyway. */
  recoveryTimeoutMillis: number;
}

/** What a scenario script works with. */
export interface ScenarioContext {
  /** The fleets with jittered clients, one per transport ("chat", "chat-socketio"). */
  readonly chatFleets: readonly ChatFleet[];
  /** The fleets with jitter off ("chat-legacy", "chat-legacy-socketio"); none with --legacy-clients 0. */
  readonly legacyFleets: readonly ChatFleet[];
  /** Every fleet. */
  readonly fleets: readonly ChatFleet[];
  /** Timing. */
  readonly timings: ScenarioTimings;
  /** Announces the current step (shown in progress lines and stats). */
  step(text: string): void;
  /** Waits; rejects with ScenarioAbortedError when the generator stops. */
  sleep(millis: number): Promise<void>;
  /** Polls `condition` until it holds (true) or `timeoutMillis` passed (false); rejects with ScenarioAbortedError on stop. */
  waitUntil(condition: () => boolean, timeoutMillis: number): Promise<boolean>;
  /** Posts a deploy marker for `fleet` at `version` (logged either way; a failure does not stop the scenario). */
  recordDeploy(fleet: ChatFleet, version: string): Promise<DeployMarkerResult>;
}

/** A named, documented script run against the fleets. */
export interface Scenario {
  /** Its name on the command line. */
  readonly name: ScenarioName;
  /** One line: what it does and what to look for. */
  readonly summary: string;
  /** Runs it once. Cleans up after itself (restores the network, un-overloads) even when aborted. */
  run(context: ScenarioContext): Promise<void>;
}

/** Thrown by ScenarioContext waits when the generator stops mid-scenario. */
export class ScenarioAbortedError extends Error {
  /** Stable error code. */
  readonly code = 'scenario_aborted';

  constructor() {
    super('the load generator stopped during the scenario');
    this.name = 'ScenarioAbortedError';
  }
}
