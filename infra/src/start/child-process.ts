import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child process whose output is prefixed and whose exit can be awaited. */
export interface ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Settles with the exit code (or the signal name) when the child ends. */
  readonly exited: Promise<number | string>;
  /** Asks the child to stop with SIGINT; SIGKILL after `graceMillis`. */
  stop(graceMillis: number): Promise<number | string>;
}

/**
 * Starts `node --import tsx <script> ...args`, prefixing each output line
 * with the child's name. The child gets its own process group, so a
 * terminal's Ctrl-C reaches only this process, which then stops the
 * children in order; and an IPC channel, whose disconnect tells the child
 * to stop if this process dies, so no child outlives it.
 */
export function startTsChild(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): ManagedChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => onLine(line));
  }
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    name,
    process: child,
    exited,
    async stop(graceMillis) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMillis);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
