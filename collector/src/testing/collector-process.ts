import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CollectorConfig } from '../config/collector-config.js';

/** A collector in its own process, on the embedded store in `dataDir`, whose inserts fail while `faultFile` exists. */
export interface CollectorProcess {
  readonly url: string;
  readonly pid: number;
  /** Resident memory of the process now (embedded ClickHouse included), bytes. */
  rssBytes(): number;
  /** Sends `signal` and waits for the process to end; resolves its exit code. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

// Beside this module: the source in the workspace (run through tsx), the build elsewhere.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const TEST_COLLECTOR = fileURLToPath(new URL(FROM_SOURCE ? './test-collector.ts' : './test-collector.js', import.meta.url));

/**
 * Starts a collector process for fault tests and soaks: SIGKILL needs a
 * process of its own, and the store "goes away" while the fault file
 * exists (every insert then fails as a stopped server's would). While
 * `stallFile` exists, inserts reach the store but never report back, so a
 * SIGKILL then lands between a stored block and its requests' answers.
 */
export async function startCollectorProcess(
  dataDir: string,
  faultFile: string,
  overrides: Partial<CollectorConfig> = {},
  stallFile?: string,
): Promise<CollectorProcess> {
  const script = `
    import { existsSync } from 'node:fs';
    import { startTestCollector } from ${JSON.stringify(TEST_COLLECTOR)};
    const down = () => existsSync(${JSON.stringify(faultFile)});
    const stalled = () => ${stallFile === undefined ? 'false' : `existsSync(${JSON.stringify(stallFile)})`};
    const c = await startTestCollector(${JSON.stringify(dataDir)}, ${JSON.stringify(overrides)}, {
      wrapInsert: (insert) => async (target, rows, token) => {
        if (down()) throw new Error('store unavailable (fault injected)');
        await insert(target, rows, token);
        if (stalled()) await new Promise(() => {});
      },
    });
    process.once('SIGTERM', () => c.stop().then(() => process.exit(0), () => process.exit(1)));
    console.log('URL ' + c.url);
  `;
  const loader = FROM_SOURCE ? ['--import', 'tsx', '--conditions=@tunnelvision/source'] : [];
  const child: ChildProcess = spawn(process.execPath, [...loader, '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = /URL (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => reject(new Error(`collector process exited ${code} before listening: ${out.slice(-2000)}`)));
  });
  return {
    url,
    pid: child.pid!,
    rssBytes() {
      try {
        const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return kb ? Number(kb[1]) * 1024 : 0;
      } catch {
        return 0;
      }
    },
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
