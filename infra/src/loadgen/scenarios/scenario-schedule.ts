import type { ScenarioName } from './scenario.js';

/** How often the warm-up checks whether clients are connected. */
const POLL_MILLIS = 250;

/** Options of `startScenarioSchedule`. */
export interface ScenarioScheduleOptions {
  /** Scenarios in order. */
  names: readonly ScenarioName[];
  /** Start over after the last one, until stopped. */
  loop: boolean;
  /** Baseline before the first scenario and pause after each, in ms. */
  pauseMillis: number;
  /** Longest wait for `isWarm` before the baseline starts anyway, in ms. */
  warmTimeoutMillis: number;
  /** Whether enough clients are connected to start. */
  isWarm: () => boolean;
  /** Runs one scenario; resolves when done (or stopped), rejects when it failed. */
  run: (name: ScenarioName) => Promise<void>;
  /** Receives a line for a failed scenario and for the end of the list. */
  log: (line: string) => void;
}

/** A running schedule. */
export interface ScenarioSchedule {
  /**
   * Stops starting scenarios and wakes any pause; resolves once the loop
   * has ended, which is after the scenario running now returns (stop the
   * runner too).
   */
  stop(): Promise<void>;
}

/**
 * Runs scenarios in the background: waits until the clients are
 * connected, lets `pauseMillis` of baseline traffic pass, then runs the
 * list in order with a pause after each, once or in a loop. A failing
 * scenario is logged and the schedule goes on.
 */
export function startScenarioSchedule(options: ScenarioScheduleOptions): ScenarioSchedule {
  const controller = new AbortController();
  const signal = controller.signal;
  const sleep = (millis: number) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, millis));
      signal.addEventListener('abort', done, { once: true });
    });
  const loop = (async () => {
    if (options.names.length === 0) return;
    const deadline = Date.now() + options.warmTimeoutMillis;
    while (!signal.aborted && !options.isWarm() && Date.now() < deadline) await sleep(POLL_MILLIS);
    await sleep(options.pauseMillis);
    do {
      for (const name of options.names) {
        if (signal.aborted) return;
        try {
          await options.run(name);
        } catch (error) {
          options.log(`scenario ${name} failed: ${(error as Error).message}`);
        }
        await sleep(options.pauseMillis);
      }
    } while (options.loop && !signal.aborted);
    if (!signal.aborted) options.log('scenarios done; steady traffic goes on');
  })();
  return {
    stop() {
      controller.abort();
      return loop;
    },
  };
}
