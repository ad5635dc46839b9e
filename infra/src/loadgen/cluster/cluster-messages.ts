import type { LoadGeneratorOptions } from '../load-generator-options.js';
import type { LoadGeneratorStats } from '../load-generator-stats.js';
import type { ScenarioName } from '../scenarios/scenario.js';

/** Options a worker starts its shard with (everything but the log callback, which cannot cross processes). */
export type WorkerStartOptions = Omit<LoadGeneratorOptions, 'onLog' | 'truth'>;

/** Coordinator → worker. */
export type ToWorker =
  /** Start the shard; `forwardLogs` sends its step lines back (one worker speaks for all). */
  | { type: 'start'; options: WorkerStartOptions; forwardLogs: boolean }
  /** Run a scenario; answered with `done` carrying the same id. */
  | { type: 'run'; id: number; name: ScenarioName }
  /** Stop the shard and exit. */
  | { type: 'stop' };

/** Worker → coordinator. */
export type FromWorker =
  /** The shard runs. */
  | { type: 'started' }
  /** The shard could not start (`option` set for a bad option). */
  | { type: 'failed'; message: string; option: string | undefined }
  /** A step line (from the worker that forwards logs). */
  | { type: 'log'; line: string }
  /** A stats snapshot (every second, and a last one when stopped). */
  | { type: 'stats'; stats: LoadGeneratorStats }
  /** A scenario asked for with `run` ended. */
  | { type: 'done'; id: number; error: string | undefined }
  /** The shard stopped; the worker exits next. */
  | { type: 'stopped' };
