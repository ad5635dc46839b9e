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

export interface ChildOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Prefixed output lines go here. */
  onLine: (line: string) => void;
}

/**
 * Starts `node <args>`, prefixing each output line with the child's name.
 * The child gets its own process group, so a terminal's Ctrl-C reaches
 * only this process, which then stops the children in order; and an IPC
 * channel, whose disconnect tells our own children to stop if this process
 * dies, so none outlives it.
 */
export function startNodeChild(name: string, args: string[], options: ChildOptions): ManagedChild {
  const { onLine } = options;
  const child = spawn(process.execPath, args, {
    env: options.env,
    cwd: options.cwd,
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

/** Starts a TypeScript entry point of this repository with tsx; see startNodeChild. */
export function startTsChild(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): ManagedChild {
  return startNodeChild(name, ['--conditions=@tunnelvision/source', '--import', 'tsx', script, ...args], { env, onLine });
}
