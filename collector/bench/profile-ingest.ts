/**
 * Ingest profile (`npm run profile:ingest`): where the collector's CPU goes
 * while it takes OTLP log batches, measured from outside as a user would
 * run it. Starts the built collector (`node collector/dist/main.js`, the
 * embedded store in a fresh data directory) under `--cpu-prof`, posts the
 * benchmark's telemetry (official OpenTelemetry serializer) from this
 * process, and reads the collector's own CPU time from /proc (every thread:
 * JavaScript, libuv and embedded ClickHouse). Then it stops the collector
 * with SIGTERM, which writes the profile, and prints the functions with the
 * most self time. Open the .cpuprofile in Chrome DevTools or speedscope for
 * the flame graph.
 *
 * Usage: npx tsx --conditions=@tunnelvision/source collector/bench/profile-ingest.ts [--events N] [--concurrency N] [--format protobuf|json|gzip] [--top N]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { positiveInt, progressTo, runBench } from './bench-cli.js';
import { cpuSeconds } from './process-usage.js';
import { buildSerializedRequests, type SerializedRequest } from './telemetry-fixture.js';

interface Options {
  events: number;
  concurrency: number;
  format: 'protobuf' | 'json' | 'gzip';
  top: number;
}

const HELP = `Ingest profile: CPU seconds of the collector process per stored event, and its hottest functions.

Usage: npx tsx --conditions=@tunnelvision/source collector/bench/profile-ingest.ts [options]

Options:
  --events N        log records to post (default 200000)
  --concurrency N   requests in flight (default 16)
  --format F        protobuf, json or gzip (gzip protobuf); default protobuf
  --top N           functions to list (default 25)
  --help            show this help`;

const RECORDS_PER_REQUEST = 1_000;
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const progress = progressTo('profile');

function parse(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string' }, concurrency: { type: 'string' }, format: { type: 'string' }, top: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return 'help';
  const format = values.format ?? 'protobuf';
  if (format !== 'protobuf' && format !== 'json' && format !== 'gzip') throw new Error(`--format must be protobuf, json or gzip, got ${JSON.stringify(format)}`);
  return {
    events: positiveInt('--events', values.events, 200_000),
    concurrency: positiveInt('--concurrency', values.concurrency, 16),
    format,
    top: positiveInt('--top', values.top, 25),
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (name and source position) as a share of all samples. */
function topFrames(profile: CpuProfile, count: number): string[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const micros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id)!.callFrame;
    const where = frame.url ? `${frame.url.replace(/^file:\/\/.*?\/node_modules\//, '').replace(/^file:\/\/.*?\/collector\//, 'collector/')}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    const delta = Math.max(0, profile.timeDeltas[i] ?? 0);
    micros.set(key, (micros.get(key) ?? 0) + delta);
    total += delta;
  });
  return [...micros]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
}

async function post(url: string, body: Uint8Array, format: Options['format']): Promise<void> {
  const headers: Record<string, string> =
    format === 'json' ? { 'content-type': 'application/json' } : { 'content-type': 'application/x-protobuf', ...(format === 'gzip' ? { 'content-encoding': 'gzip' } : {}) };
  for (;;) {
    const response = await fetch(url, { method: 'POST', headers, body: body as Uint8Array<ArrayBuffer> });
    await response.arrayBuffer();
    if (response.status === 200) return;
    if (response.status !== 429 && response.status !== 503) throw new Error(`HTTP ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(options: Options): Promise<string[]> {
  progress(`serializing ${options.events.toLocaleString('en-US')} events ...`);
  // Requests of their own warm up: the collector answers a request it already stored from its receipt.
  const built = await buildSerializedRequests({ events: options.events + options.concurrency * RECORDS_PER_REQUEST, recordsPerRequest: RECORDS_PER_REQUEST });
  const warmUp = built.slice(0, options.concurrency);
  const requests = built.slice(options.concurrency);
  const bodyOf = (r: SerializedRequest) => (options.format === 'json' ? r.json : options.format === 'gzip' ? r.gzipProtobuf : r.protobuf);
  const dir = mkdtempSync(join(tmpdir(), 'tv-profile-'));
  const profiles = join(dir, 'profiles');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profiles}`, MAIN], {
    env: { ...process.env, DATA_DIR: join(dir, 'data'), COLLECTOR_PORT: String(port), COLLECTOR_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening on') && resolve());
    void exited.then((code) => reject(new Error(`collector exited ${code}; build it first with npm run build:packages`)));
  });
  const url = `http://127.0.0.1:${port}/v1/logs`;
  // Warm-up, outside the measurement: JIT and the store's first parts.
  await Promise.all(warmUp.map((r) => post(url, bodyOf(r), options.format)));
  const cpuBefore = cpuSeconds(child.pid!);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < requests.length) await post(url, bodyOf(requests[next++]!), options.format);
    }),
  );
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(child.pid!) - cpuBefore;
  child.kill('SIGTERM');
  const code = await exited;
  const [file] = readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile'));
  const lines = [
    `Collector ingest profile: ${options.events.toLocaleString('en-US')} events as ${options.format}, ${options.concurrency} requests of ${RECORDS_PER_REQUEST} in flight`,
    `wall        ${wall.toFixed(2)} s (${Math.round(options.events / wall).toLocaleString('en-US')} events/s)`,
    `CPU         ${cpu.toFixed(2)} s of the collector process (${Math.round(options.events / cpu).toLocaleString('en-US')} events per CPU-second)`,
    `profile     ${file ? join(profiles, file) : 'none written'} (main thread only; embedded ClickHouse runs on its own threads)`,
    '',
    'self time of the main thread, top functions:',
  ];
  if (file) lines.push(...topFrames(JSON.parse(readFileSync(join(profiles, file), 'utf8')) as CpuProfile, options.top));
  console.log(lines.join('\n'));
  rmSync(join(dir, 'data'), { recursive: true, force: true });
  return code === 0 ? [] : [`collector exit code ${code} after SIGTERM`];
}

runBench({ parse, help: HELP, main });
