import type { DeployMarkerResult } from '../deploy-marker.js';
import type { ChatFleet } from '../fleet/chat-fleet.js';
import { ScenarioAbortedError, type ScenarioContext, type ScenarioName, type ScenarioTimings } from './scenario.js';
import { SCENARIOS } from './scenario-registry.js';

/** How often waitUntil checks its condition. */
const POLL_MILLIS = 250;

/** What the runner needs from the generator. */
export interface ScenarioRunnerOptions {
  /** Every fleet, at least one of them a `chat` one. */
  fleets: readonly ChatFleet[];
  /** Timing of the scenarios. */
  timings: ScenarioTimings;
  /** Posts a deploy marker. */
  recordDeploy(fleet: ChatFleet, version: string): Promise<DeployMarkerResult>;
  /** Receives a line per step. */
  log(line: string): void;
}

/** The scenario running now. */
export interface CurrentScenario {
  /** Its name. */
  name: ScenarioName;
  /** The step it announced last. */
  step: string;
  /** When it started, epoch ms. */
  startedAt: number;
}

/**
 * Runs scenarios one at a time: a scenario asked for while another runs
 * waits its turn. `stop()` aborts the one running (its waits reject, its
 * clean-up runs) and nothing further starts.
 */
export class ScenarioRunner {
  private readonly controller = new AbortController();
  private queue: Promise<unknown> = Promise.resolve();
  private running: CurrentScenario | undefined;

  /** @param options fleets, timing and callbacks */
  constructor(private readonly options: ScenarioRunnerOptions) {}

  /** The scenario running now, if any. */
  get current(): CurrentScenario | undefined {
    return this.running === undefined ? undefined : { ...this.running };
  }

  /**
   * Runs one scenario after any queued before it. Resolves when it ends,
   * also when the runner was stopped meanwhile; rejects only if the
   * scenario itself failed.
   */
  run(name: ScenarioName): Promise<void> {
    const next = this.queue.then(() => this.execute(name));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Aborts the running scenario and waits until its clean-up is done. Never rejects. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.queue;
  }

  private async execute(name: ScenarioName): Promise<void> {
    if (this.controller.signal.aborted) return;
    const scenario = SCENARIOS[name];
    this.running = { name, step: 'starting', startedAt: Date.now() };
    this.options.log(`scenario ${name}: ${scenario.summary}`);
    try {
      await scenario.run(this.context());
      this.options.log(`scenario ${name}: done in ${Math.round((Date.now() - this.running.startedAt) / 1000)} s`);
    } catch (error) {
      if (error instanceof ScenarioAbortedError) return;
      throw error;
    } finally {
      this.running = undefined;
    }
  }

  private context(): ScenarioContext {
    const { fleets, timings } = this.options;
    return {
      chatFleets: fleets.filter((f) => f.role === 'chat'),
      legacyFleets: fleets.filter((f) => f.role === 'legacy'),
      fleets,
      timings,
      step: (text) => {
        if (this.running !== undefined) this.running.step = text;
        this.options.log(text);
      },
      sleep: (millis) => this.sleep(millis),
      waitUntil: async (condition, timeoutMillis) => {
        const deadline = Date.now() + timeoutMillis;
        for (;;) {
          if (condition()) return true;
          if (Date.now() >= deadline) return false;
          await this.sleep(Math.min(POLL_MILLIS, deadline - Date.now()));
        }
      },
      recordDeploy: (fleet, version) => this.options.recordDeploy(fleet, version),
    };
  }

  /** Resolves after `millis`, or rejects with ScenarioAbortedError as soon as the runner stops. */
  private sleep(millis: number): Promise<void> {
    const signal = this.controller.signal;
    if (signal.aborted) return Promise.reject(new ScenarioAbortedError());
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(new ScenarioAbortedError());
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, millis));
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
