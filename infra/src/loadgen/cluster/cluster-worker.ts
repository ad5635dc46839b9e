// Entry point of one load-generator cluster worker (a child process, run by
// load-generator-cluster.ts): it runs one shard and does what the
// coordinator says over IPC. Signals are the coordinator's to handle: the
// same Ctrl-C reaches the whole process group, and a worker must still
// flush its telemetry when told to stop.
import { LoadGeneratorOptionError } from '../load-generator-options.js';
import { startLoadGenerator, type LoadGenerator } from '../load-generator.js';
import type { FromWorker, ToWorker } from './cluster-messages.js';

/** How often the worker reports its stats. */
const STATS_EVERY_MILLIS = 1_000;

let generator: LoadGenerator | undefined;
let statsTimer: NodeJS.Timeout | undefined;
let stopping: Promise<void> | undefined;

function send(message: FromWorker): void {
  if (process.connected) process.send?.(message);
}

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  try {
    generator = await startLoadGenerator({
      ...message.options,
      ...(message.forwardLogs ? { onLog: (line: string) => send({ type: 'log', line }) } : {}),
    });
  } catch (error) {
    send({ type: 'failed', message: (error as Error).message, option: error instanceof LoadGeneratorOptionError ? error.option : undefined });
    process.disconnect();
    return;
  }
  const running = generator;
  send({ type: 'stats', stats: running.stats() });
  send({ type: 'started' });
  statsTimer = setInterval(() => send({ type: 'stats', stats: running.stats() }), STATS_EVERY_MILLIS);
}

function stop(): Promise<void> {
  stopping ??= (async () => {
    if (statsTimer !== undefined) clearInterval(statsTimer);
    if (generator !== undefined) {
      await generator.stop();
      send({ type: 'stats', stats: generator.stats() });
    }
    send({ type: 'stopped' });
    if (process.connected) process.disconnect();
  })();
  return stopping;
}

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'start':
      void start(message);
      return;
    case 'run': {
      const running = generator;
      if (running === undefined) {
        send({ type: 'done', id: message.id, error: 'not started' });
        return;
      }
      running.runScenario(message.name).then(
        () => send({ type: 'done', id: message.id, error: undefined }),
        (error: unknown) => send({ type: 'done', id: message.id, error: (error as Error).message }),
      );
      return;
    }
    case 'stop':
      void stop();
      return;
  }
});
// The coordinator went away (killed): stop cleanly on our own.
process.on('disconnect', () => void stop());
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
