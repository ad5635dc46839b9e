/**
 * Bundle-size benchmark: what the TunnelVision browser SDK adds to a web
 * page, against the OpenTelemetry JS set-up that does the same export job.
 *
 * Every entry is bundled by esbuild the way an app's bundler would ship it
 * (bundle, minify, ESM, platform browser, so packages' browser builds are
 * used), in this run and with the installed versions; sizes are the
 * minified bytes and those bytes gzipped (level 9). The baseline sets up
 * `@opentelemetry/sdk-logs` (LoggerProvider + BatchLogRecordProcessor +
 * `@opentelemetry/exporter-logs-otlp-http`), `@opentelemetry/sdk-metrics`
 * (MeterProvider + PeriodicExportingMetricReader +
 * `@opentelemetry/exporter-metrics-otlp-http`) and `@opentelemetry/resources`,
 * registered globally. The budget: the TunnelVision browser entry (tracker +
 * export) at most BROWSER_BUNDLE_BUDGET_BYTES min+gzip; its ratio to the
 * baseline is printed beside it.
 *
 * More rows for context: the tracker alone and the export alone (they share
 * the conventions and a few helpers, so the two do not add up to the first
 * row), and the tracker of the main entry (on OpenTelemetry's global
 * providers) on top of the baseline, which is what an app would ship with
 * the OpenTelemetry SDKs instead of our export.
 *
 * Usage: npx tsx sdk/bench/bundle-size.ts
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BROWSER_BUNDLE_BUDGET_BYTES, measureBrowserBundle, OPENTELEMETRY_BROWSER_SETUP as OPENTELEMETRY_SETUP } from '@tunnelvision/test-support';


/** One measured entry. */
export interface BundleSize {
  /** What was bundled. */
  readonly entry: string;
  /** Minified bytes. */
  readonly minBytes: number;
  /** Minified, then gzipped (level 9) bytes. */
  readonly gzipBytes: number;
  /** True for the baseline row. */
  readonly baseline: boolean;
  /** True for the rows held to the budget. */
  readonly browserEntry: boolean;
}

/** The measurements of one run. */
export interface BundleSizeReport {
  /** Every entry, the TunnelVision browser SDK first and the baseline last but one. */
  readonly rows: readonly BundleSize[];
  /** The TunnelVision browser SDK entry's min+gzip bytes over the baseline's. */
  readonly ratio: number;
  /** Whether every browser entry's min+gzip bytes are within BROWSER_BUNDLE_BUDGET_BYTES. */
  readonly withinBudget: boolean;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));


interface EntrySpec {
  readonly entry: string;
  /** A file under the repository root, or module source. */
  readonly file?: string;
  readonly source?: string;
  readonly baseline?: boolean;
  /** A set of imports a web page ships: held to the budget. */
  readonly browserEntry?: boolean;
}

const ENTRIES: readonly EntrySpec[] = [
  { entry: 'TunnelVision browser SDK (sdk/src/browser.ts: tracker + export)', file: 'sdk/src/browser.ts', browserEntry: true },
  {
    entry: '  tracker alone (createTracker of /browser)',
    source: `export { createPageTracker } from './sdk/src/export/browser/create-page-tracker.js';`,
  },
  {
    entry: '  export alone (setupBrowserTelemetry)',
    source: `export { setupBrowserTelemetry } from './sdk/src/export/browser/setup-browser-telemetry.js';`,
  },
  {
    entry: 'browser SDK + Socket.IO client integration (socket.io-client itself not bundled)',
    source: `export * from './sdk/src/browser.js';\nexport { instrumentSocketIoClient } from './sdk/src/socket-io-client.js';`,
    browserEntry: true,
  },
  {
    entry: 'browser SDK + partysocket / reconnecting-websocket integration',
    source: `export * from './sdk/src/browser.js';\nexport { instrumentReconnectingWebSocket } from './sdk/src/reconnecting-websocket.js';`,
    browserEntry: true,
  },
  {
    entry: 'browser SDK + graphql-ws client integration',
    source: `export * from './sdk/src/browser.js';\nexport { instrumentGraphQLWsClient } from './sdk/src/graphql-ws.js';`,
    browserEntry: true,
  },
  { entry: 'baseline: OpenTelemetry JS SDKs + OTLP/HTTP exporters', source: OPENTELEMETRY_SETUP, baseline: true },
  {
    entry: 'tracker + OpenTelemetry JS SDKs (without our export)',
    source: `export { createTracker } from './sdk/src/tracker/create-tracker.js';\n${OPENTELEMETRY_SETUP}`,
  },
];

async function measure(spec: EntrySpec): Promise<BundleSize> {
  // The workspace's packages as source, like the rest of the bench.
  const size = await measureBrowserBundle(spec.file ? { file: spec.file } : { source: spec.source ?? '' }, repoRoot, ['@tunnelvision/source']);
  return { entry: spec.entry, ...size, baseline: spec.baseline === true, browserEntry: spec.browserEntry === true };
}

/** Bundles every entry and measures it. */
export async function measureBundleSizes(): Promise<BundleSizeReport> {
  const rows: BundleSize[] = [];
  for (const spec of ENTRIES) rows.push(await measure(spec));
  const baseline = rows.find((r) => r.baseline)!;
  const ratio = rows[0]!.gzipBytes / baseline.gzipBytes;
  return { rows, ratio, withinBudget: rows.every((r) => !r.browserEntry || r.gzipBytes <= BROWSER_BUNDLE_BUDGET_BYTES) };
}

/** The report as a text table with a budget line. */
export function formatBundleSizeTable(report: BundleSizeReport): string {
  const baseline = report.rows.find((r) => r.baseline)!;
  const header = ['entry', 'min bytes', 'min+gzip bytes', 'ratio to baseline'];
  const cells = report.rows.map((r) => [
    r.entry,
    r.minBytes.toLocaleString('en-US'),
    r.gzipBytes.toLocaleString('en-US'),
    `${(r.gzipBytes / baseline.gzipBytes).toFixed(2)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  const budgetBytes = BROWSER_BUNDLE_BUDGET_BYTES;
  const budgetLines = report.rows
    .filter((r) => r.browserEntry)
    .map((r) => {
      const verdict =
        r.gzipBytes <= budgetBytes
          ? `within budget (${(budgetBytes - r.gzipBytes).toLocaleString('en-US')} bytes to spare)`
          : `OVER budget by ${(r.gzipBytes - budgetBytes).toLocaleString('en-US')} bytes`;
      return `budget ${budgetBytes.toLocaleString('en-US')} bytes min+gzip: ${r.entry.trim()}: ${r.gzipBytes.toLocaleString('en-US')} (${(r.gzipBytes / baseline.gzipBytes).toFixed(2)}x), ${verdict}`;
    });
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line), '', ...budgetLines].join('\n');
}

/** Measures and prints; for `npm run bench` and a combined benchmark. */
export async function runBundleSizeBench(): Promise<BundleSizeReport> {
  const report = await measureBundleSizes();
  console.log('TunnelVision browser bundle size (esbuild: bundle, minify, esm, platform browser; gzip level 9)');
  console.log('');
  console.log(formatBundleSizeTable(report));
  return report;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runBundleSizeBench().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
}
