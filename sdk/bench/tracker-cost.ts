/**
 * What one tracked event costs the host app, in nanoseconds of its own
 * thread, with the OpenTelemetry JS logs and metrics SDKs wired as in
 * production (batching processor, periodic metric reader) but with
 * exporters that discard, so only the SDK's in-process work is measured.
 *
 * Baseline, measured in the same run on the same providers: one bare
 * `logger.emit()` of a record with the same number of attributes, i.e. what
 * any OpenTelemetry instrumentation pays per log record. The tracker's
 * figure above it is its own overhead (attributes, sampling, metrics).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ExportResultCode } from '@opentelemetry/core';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { createTracker } from '../src/tracker/create-tracker.js';

const discardLogs: LogRecordExporter = {
  export: (_records, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => {},
  forceFlush: async () => {},
};
const discardMetrics: PushMetricExporter = {
  export: (_metrics, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => {},
  forceFlush: async () => {},
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
};

function providers() {
  const loggerProvider = new LoggerProvider({
    processors: [new BatchLogRecordProcessor({ exporter: discardLogs, maxQueueSize: 65_536, maxExportBatchSize: 4_096, scheduledDelayMillis: 200 })],
  });
  const meterProvider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: discardMetrics, exportIntervalMillis: 60_000 })] });
  return { loggerProvider, meterProvider };
}

interface Row {
  scenario: string;
  events: number;
  nsPerEvent: number;
}

/** Runs `work` for `iterations`, each producing `eventsPerIteration` events; best of 3 rounds after a warm-up. */
function measure(scenario: string, iterations: number, eventsPerIteration: number, work: (i: number) => void): Row {
  for (let i = 0; i < Math.min(iterations, 5_000); i++) work(i);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) work(i);
    best = Math.min(best, performance.now() - start);
  }
  const events = iterations * eventsPerIteration;
  return { scenario, events, nsPerEvent: (best * 1e6) / events };
}

export async function runTrackerCostBench(iterations = 50_000): Promise<Row[]> {
  const rows: Row[] = [];
  const p = providers();
  const logger = p.loggerProvider.getLogger('bench');
  const attributes = { 'session.id': 's-1', 'tv.connection.id': 'c-1', 'tv.message.id': 'm', 'tv.role': 'client', 'server.address': 'gw-1' };
  const baseline = measure('baseline: bare logger.emit() (5 attributes)', iterations, 1, (i) =>
    logger.emit({ eventName: 'msg.sent', timestamp: Date.now(), attributes: { ...attributes, 'tv.message.id': `m-${i}` } }),
  );
  rows.push(baseline);

  const tracked = (ratio: number) => {
    const tracker = createTracker({ ...p, sessionId: 's-1', userId: 'u-1', sampling: { successRatio: ratio } });
    const connection = tracker.connection({ serverAddress: 'gw-1' });
    connection.opening();
    connection.opened();
    return connection;
  };
  const full = tracked(1);
  rows.push(
    measure('tracker: message sent + acked (sampling 1.0)', iterations, 2, (i) => {
      const message = full.message(`m-${i}`, { seq: i });
      message.sent();
      message.acked();
    }),
  );
  const sampled = tracked(0.1);
  rows.push(
    measure('tracker: message sent + acked (sampling 0.1)', iterations, 2, (i) => {
      const message = sampled.message(`s-${i}`, { seq: i });
      message.sent();
      message.acked();
    }),
  );
  const lifecycle = tracked(1);
  rows.push(
    measure('tracker: connection close + reopen', iterations / 10, 4, () => {
      lifecycle.closed({ code: 1006, clean: false });
      lifecycle.opening();
      lifecycle.opened();
    }),
  );
  const noop = createTracker({ sessionId: 's-1' }).connection();
  rows.push(
    measure('tracker: no OpenTelemetry SDK registered (no-op API)', iterations, 2, (i) => {
      const message = noop.message(`n-${i}`);
      message.sent();
      message.acked();
    }),
  );
  await p.loggerProvider.shutdown();
  await p.meterProvider.shutdown();

  console.log(`TunnelVision SDK per-event cost (node ${process.version}; best of 3 rounds of ${iterations.toLocaleString('en-US')}; discarding exporters)`);
  console.log('');
  const header = ['scenario', 'events', 'ns/event', 'vs baseline'];
  const cells = rows.map((r) => [r.scenario, r.events.toLocaleString('en-US'), r.nsPerEvent.toFixed(0), `${(r.nsPerEvent / baseline.nsPerEvent).toFixed(2)}x`]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of cells) console.log(line(c));
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runTrackerCostBench().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
