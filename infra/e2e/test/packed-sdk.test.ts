/**
 * The SDK as an app meets it: packed with `npm pack`, installed into a blank
 * project outside the workspace with exactly the install lines of
 * sdk/README.md, then imported by plain Node, bundled by esbuild for the
 * browser, type-checked by a strict consumer `tsc`, and run against a real
 * collector.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '@tunnelvision/collector';
import { freshDataDir, startTestCollector } from '@tunnelvision/collector/testing';
import { BROWSER_BUNDLE_BUDGET_BYTES, measureBrowserBundle, OPENTELEMETRY_BROWSER_SETUP } from '@tunnelvision/test-support';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tsc = join(repo, 'node_modules/typescript/bin/tsc');

const work = mkdtempSync(join(tmpdir(), 'tv-packed-sdk-'));
const app = join(work, 'blank-app');
const data = freshDataDir();
let collector: RunningCollector;
let sdkFiles: string[] = [];

/** `npm pack` of one workspace into `work`; returns the tarball path and its file list. */
async function pack(dir: string): Promise<{ tarball: string; files: string[] }> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: join(repo, dir) });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(work, info!.filename), files: info!.files.map((f) => f.path) };
}

/** The `npm install` lines of one install block of sdk/README.md (`<!-- install:node -->`). */
function readmeInstallLines(block: 'node' | 'browser'): string[] {
  const readme = readFileSync(join(repo, 'sdk/README.md'), 'utf8');
  const match = new RegExp(`<!-- install:${block}[^>]*-->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`sdk/README.md has no install:${block} block`);
  return match[1]!.split('\n').filter((line) => line.startsWith('npm install '));
}

/** Runs a README install line in the blank app, with the packed tarballs standing in for the unpublished packages. */
async function npmInstall(line: string, tarballs: { sdk: string; semconv: string }): Promise<void> {
  const args = line
    .slice('npm install '.length)
    .split(/\s+/)
    .flatMap((name) => (name === '@tunnelvision/sdk' ? [tarballs.semconv, tarballs.sdk] : [name]));
  await run('npm', ['install', '--no-audit', '--no-fund', ...args], { cwd: app });
}

async function node(script: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app, env: { ...process.env, ...env } });
  return stdout;
}

/** min+gzip bytes of module source bundled from the blank app, resolved as its bundler would. */
async function gzipBytes(source: string): Promise<number> {
  return (await measureBrowserBundle({ source }, app)).gzipBytes;
}

beforeAll(async () => {
  // Up to date after `npm test`'s build; builds here when the test runs alone.
  await run(process.execPath, [tsc, '-b', 'sdk/tsconfig.build.json'], { cwd: repo });
  const semconv = await pack('sdk/semconv');
  const sdk = await pack('sdk');
  sdkFiles = sdk.files;
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'blank-app', version: '1.0.0', private: true, type: 'module' }, null, 2));
  for (const line of [...readmeInstallLines('browser'), ...readmeInstallLines('node')]) {
    await npmInstall(line, { sdk: sdk.tarball, semconv: semconv.tarball });
  }
  collector = await startTestCollector(data.dir);
}, 300_000);

afterAll(async () => {
  await collector?.stop();
  await data.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('the packed SDK', () => {
  it('ships built JavaScript, declarations and maps, and no tests or benches', () => {
    expect(sdkFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts', 'dist/index.d.ts.map', 'dist/index.js.map', 'dist/node.js', 'dist/browser.js']));
    expect(sdkFiles.filter((f) => /(^|\/)(test|bench)\/|\.test\.|tsbuildinfo/.test(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/@tunnelvision/sdk/package.json'), 'utf8'));
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.exports['./node']).toMatchObject({ types: './dist/node.d.ts', import: './dist/node.js' });
  });

  it('imports every entry in plain Node', async () => {
    const out = await node(`
      const entries = ['@tunnelvision/sdk', '@tunnelvision/sdk/node', '@tunnelvision/sdk/browser', '@tunnelvision/sdk/semconv', '@tunnelvision/semconv'];
      const seen = {};
      for (const entry of entries) seen[entry] = Object.keys(await import(entry)).sort();
      console.log(JSON.stringify(seen));
    `);
    const seen = JSON.parse(out) as Record<string, string[]>;
    expect(seen['@tunnelvision/sdk']).toEqual(expect.arrayContaining(['createTracker', 'trackedWebSocketClass', 'ResilientWebSocket', 'instrumentWebSocket']));
    expect(seen['@tunnelvision/sdk/node']).toEqual(expect.arrayContaining(['setupNodeTelemetry', 'ResilientServer']));
    expect(seen['@tunnelvision/sdk/browser']).toEqual(expect.arrayContaining(['setupBrowserTelemetry', 'createTracker']));
    expect(seen['@tunnelvision/sdk/semconv']).toEqual(seen['@tunnelvision/semconv']);
    expect(seen['@tunnelvision/semconv']).toEqual(expect.arrayContaining(['EVENT_NAMES', 'ABNORMAL_CLOSE_CODES', 'describeCloseCode']));
  });

  it('loads from CommonJS through require(esm), which Node 20.19+ supports', async () => {
    const { stdout } = await run(process.execPath, ['-e', "console.log(typeof require('@tunnelvision/sdk/node').setupNodeTelemetry)"], { cwd: app });
    expect(stdout.trim()).toBe('function');
  });

  it('bundles the browser entry with esbuild within the size budget, without the OpenTelemetry API', async () => {
    const bundle = await measureBrowserBundle({ source: `export { setupBrowserTelemetry, createTracker } from '@tunnelvision/sdk/browser';` }, app);
    // Types only: the API's global registry and diag logger stay out of the page.
    expect(bundle.packages).toEqual(['@tunnelvision/sdk', '@tunnelvision/semconv']);
    const sdk = bundle.gzipBytes;
    const baseline = await gzipBytes(OPENTELEMETRY_BROWSER_SETUP);
    expect(sdk).toBeGreaterThan(1_000);
    expect(sdk).toBeLessThanOrEqual(BROWSER_BUNDLE_BUDGET_BYTES);
    // And far lighter than the OpenTelemetry set-up it replaces, bundled from the same install.
    expect(sdk / baseline).toBeLessThan(0.6);
  });

  // The client integrations a page ships; the blank app has none of their libraries installed.
  it.each([
    ['Socket.IO client', 'instrumentSocketIoClient', 'socket.io-client'],
    ['partysocket / reconnecting-websocket', 'instrumentReconnectingWebSocket', 'reconnecting-websocket'],
    ['graphql-ws client', 'instrumentGraphQLWsClient', 'graphql-ws'],
  ])('bundles the %s integration within the size budget, without its library', async (_name, instrument, subpath) => {
    // This builds only if the integration imports nothing from its library at run time.
    const browserOnly = await gzipBytes(`export { setupBrowserTelemetry, createTracker } from '@tunnelvision/sdk/browser';`);
    const withIntegration = await gzipBytes(
      `export { setupBrowserTelemetry, createTracker } from '@tunnelvision/sdk/browser';\nexport { ${instrument} } from '@tunnelvision/sdk/${subpath}';`,
    );
    // Only the integration's own code is added (a few kB), never the library (socket.io-client alone is over 10 kB min+gzip).
    expect(withIntegration - browserOnly).toBeGreaterThan(500);
    expect(withIntegration - browserOnly).toBeLessThan(5_000);
    // An entry a page ships, held to the same budget as the browser SDK alone.
    expect(withIntegration).toBeLessThanOrEqual(BROWSER_BUNDLE_BUDGET_BYTES);
  });

  it("type-checks a strict consumer against the packed declarations, the SDK's own included", async () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noPropertyAccessFromIndexSignature: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noImplicitOverride: true,
          noEmit: true,
          lib: ['ES2023', 'DOM'],
          types: [],
          skipLibCheck: true,
        },
        files: ['consumer.ts', 'node_modules/@tunnelvision/sdk/dist/index.d.ts', 'node_modules/@tunnelvision/sdk/dist/node.d.ts', 'node_modules/@tunnelvision/sdk/dist/browser.d.ts'],
      }),
    );
    writeFileSync(
      join(app, 'consumer.ts'),
      `import { createTracker, trackedWebSocketClass, ResilientWebSocket, type Tracker, type CloseInfo } from '@tunnelvision/sdk';
import { setupNodeTelemetry } from '@tunnelvision/sdk/node';
import { setupBrowserTelemetry } from '@tunnelvision/sdk/browser';
import { EVENT_NAMES, describeCloseCode } from '@tunnelvision/semconv';

const { tracker, shutdown } = setupNodeTelemetry({ serviceName: 'blank-app', serviceVersion: '1.0.0', environment: 'test' });
const other: Tracker = createTracker({ userId: 'u-1', hashUserId: true });
const Tracked = trackedWebSocketClass(WebSocket, tracker, { messageId: (data) => String(data) });
const socket: WebSocket = new Tracked('ws://127.0.0.1:1');
const client = new ResilientWebSocket('ws://127.0.0.1:1', { tracker: other, maxRetries: 1 });
const id: string = client.send({ text: 'hello' });
const close: CloseInfo = { code: 1006 };
const described: string = describeCloseCode(close.code);
const names: readonly string[] = EVENT_NAMES;
void setupBrowserTelemetry;
void [socket, id, described, names];
await shutdown();
`,
    );
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app }).catch((err: { stdout: string }) => err);
    expect('stdout' in result ? result.stdout : '').toBe('');
  });

  it('follows the README in an app of its own: telemetry reaches the collector, and shutdown is prompt', async () => {
    const sessionId = `packed-${Date.now()}`;
    const out = await node(
      `
      import { setupNodeTelemetry } from '@tunnelvision/sdk/node';
      const { tracker, shutdown } = setupNodeTelemetry({ serviceName: 'blank-app', serviceVersion: '1.0.0', environment: 'test', endpoint: process.env.COLLECTOR, tracker: { sessionId: process.env.SESSION } });
      const connection = tracker.connection({ serverAddress: 'gw-1' });
      connection.opening();
      connection.opened();
      const message = connection.message('m-1');
      message.sent();
      message.acked();
      connection.closed({ code: 1006 });
      const started = performance.now();
      await shutdown();
      console.log(JSON.stringify({ shutdownMillis: Math.round(performance.now() - started) }));
    `,
      { COLLECTOR: collector.url, SESSION: sessionId },
    );
    const { shutdownMillis } = JSON.parse(out) as { shutdownMillis: number };
    expect(shutdownMillis).toBeLessThan(3_000);
    let events: { event: string }[] = [];
    for (let i = 0; i < 50 && events.length < 5; i++) {
      const response = await fetch(`${collector.url}/api/v1/timeline?session_id=${sessionId}`);
      events = ((await response.json()) as { events: { event: string }[] }).events;
      if (events.length < 5) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['conn.opening', 'conn.open', 'msg.sent', 'msg.acked', 'conn.close']));
  });
});
