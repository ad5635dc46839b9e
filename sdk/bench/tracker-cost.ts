/**
 * What one tracked event costs the host app, in nanoseconds of its own
 * thread, with the OpenTelemetry JS logs and metrics SDKs wired as in
 * production (batching processor, periodic metric reader) but with
 * exporters that discard, so only the SDK's in-process work is measured.
 *
 * Baseline, measured in the same run on the same providers: one bare
 * `logger.emit()` of a record with 5 identity attributes, i.e. what any
 * OpenTelemetry instrumentation pays per log record. The tracker's figure
 * above it is its overhead (attributes, sampling, metrics), including what
 * OpenTelemetry charges for the tracker's richer records.
 *
 * Reference rows tell the two apart: they emit, bare, exactly what the
 * tracker hands OpenTelemetry for a sampled-in message (msg.sent with 9
 * attributes, msg.acked with 10, one delivery-latency histogram point) and
 * for a connection closing and opening again (conn.close, conn.opening,
 * conn.open; tv.connection.active down and up, a reconnect and its
 * downtime). The tracker's figure above its reference is its own work.
 *
 * Every scenario runs in each of ROUNDS interleaved rounds; the table shows
 * medians, "over baseline" the median of the per-round differences.
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
  /** Median over the rounds of ns per event. */
  nsPerEvent: number;
  /** Median over the rounds of (this scenario's ns per event - the baseline's in the same round). */
  nsOverBaseline: number;
}

interface Scenario {
  readonly name: string;
  readonly iterations: number;
  readonly eventsPerIteration: number;
  readonly work: (i: number) => void;
}

/** Rounds of every scenario, interleaved: a 2-core VM drifts, so each round compares runs made side by side. */
const ROUNDS = 9;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** ns per event of one timed run; `offset` keeps message ids unique across runs. */
function timeRun(scenario: Scenario, offset: number): number {
  const start = performance.now();
  for (let i = 0; i < scenario.iterations; i++) scenario.work(offset + i);
  return ((performance.now() - start) * 1e6) / (scenario.iterations * scenario.eventsPerIteration);
}

/** Warms every scenario up, then runs ROUNDS interleaved rounds; the first scenario is the baseline. */
async function measure(scenarios: readonly Scenario[]): Promise<Row[]> {
  let offset = 0;
  for (const scenario of scenarios) {
    for (let i = 0; i < Math.min(scenario.iterations, 5_000); i++) scenario.work(offset + i);
    offset += scenario.iterations;
  }
  const samples = scenarios.map(() => [] as number[]);
  const over = scenarios.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    const times = scenarios.map((scenario) => {
      const ns = timeRun(scenario, offset);
      offset += scenario.iterations;
      return ns;
    });
    times.forEach((ns, i) => {
      samples[i]!.push(ns);
      over[i]!.push(ns - times[0]!);
    });
    // Let the batching processor's timers and the reader run between rounds, as in an app.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return scenarios.map((scenario, i) => ({
    scenario: scenario.name,
    events: scenario.iterations * scenario.eventsPerIteration,
    nsPerEvent: median(samples[i]!),
    nsOverBaseline: median(over[i]!),
  }));
}

export async function runTrackerCostBench(iterations = 50_000): Promise<Row[]> {
  const p = providers();
  const logger = p.loggerProvider.getLogger('bench');
  const attributes = { 'session.id': 's-1', 'tv.connection.id': 'c-1', 'tv.message.id': 'm', 'tv.role': 'client', 'server.address': 'gw-1' };
  const tracked = (ratio: number) => {
    const tracker = createTracker({ ...p, sessionId: 's-1', userId: 'u-1', sampling: { successRatio: ratio } });
    const connection = tracker.connection({ serverAddress: 'gw-1' });
    connection.opening();
    connection.opened();
    return connection;
  };
  const full = tracked(1);
  const sampled = tracked(0.1);
  const lifecycle = tracked(1);
  const noop = createTracker({ sessionId: 's-1' }).connection();
  const latency = p.meterProvider.getMeter('bench').createHistogram('bench.latency', { unit: 'ms', advice: { explicitBucketBoundaries: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] } });
  const metricAttributes = { 'server.address': 'gw-1', 'tv.role': 'client' };
  const benchMeter = p.meterProvider.getMeter('bench');
  const active = benchMeter.createUpDownCounter('bench.active');
  const reconnects = benchMeter.createCounter('bench.reconnects');
  const downtime = benchMeter.createHistogram('bench.downtime', { unit: 'ms', advice: { explicitBucketBoundaries: [100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000, 300000] } });
  let seq = 0;
  const rows = await measure([
    {
      name: 'baseline: bare logger.emit() (5 attributes)',
      iterations,
      eventsPerIteration: 1,
      work: (i) => logger.emit({ eventName: 'msg.sent', timestamp: Date.now(), attributes: { ...attributes, 'tv.message.id': `m-${i}` } }),
    },
    {
      name: "reference: bare emit of the tracker's records + histogram",
      iterations,
      eventsPerIteration: 2,
      work: (i) => {
        const id = `r-${i}`;
        const sentAt = Date.now();
        logger.emit({
          eventName: 'msg.sent',
          timestamp: sentAt,
          severityNumber: 9,
          severityText: 'INFO',
          attributes: {
            'session.id': 's-1',
            'user.id': 'u-1',
            'tv.connection.id': 'c-1',
            'server.address': 'gw-1',
            'tv.role': 'client',
            'tv.event.seq': ++seq,
            'tv.message.id': id,
            'tv.message.seq': i,
            'tv.message.attempt': 1,
          },
        });
        const ackedAt = Date.now();
        latency.record(ackedAt - sentAt, metricAttributes);
        logger.emit({
          eventName: 'msg.acked',
          timestamp: ackedAt,
          severityNumber: 9,
          severityText: 'INFO',
          attributes: {
            'session.id': 's-1',
            'user.id': 'u-1',
            'tv.connection.id': 'c-1',
            'server.address': 'gw-1',
            'tv.role': 'client',
            'tv.event.seq': ++seq,
            'tv.message.id': id,
            'tv.message.seq': i,
            'tv.message.latency_ms': ackedAt - sentAt,
            'tv.message.attempt': 1,
          },
        });
      },
    },
    {
      name: 'tracker: message sent + acked (sampling 1.0)',
      iterations,
      eventsPerIteration: 2,
      work: (i) => {
        const message = full.message(`m-${i}`, { seq: i });
        message.sent();
        message.acked();
      },
    },
    {
      name: 'tracker: message sent + acked (sampling 0.1)',
      iterations,
      eventsPerIteration: 2,
      work: (i) => {
        const message = sampled.message(`s-${i}`, { seq: i });
        message.sent();
        message.acked();
      },
    },
    {
      name: "reference: bare emit of a close + reopen's records + points",
      iterations: iterations / 10,
      eventsPerIteration: 3,
      // Each record's attributes written out as a literal, as the tracker builds a fresh object: a shared
      // identity spread into each would make slower objects and overstate OpenTelemetry's own cost.
      work: (i) => {
        const closedAt = Date.now();
        active.add(-1, metricAttributes);
        logger.emit({
          eventName: 'conn.close',
          timestamp: closedAt,
          severityNumber: 13,
          severityText: 'WARN',
          attributes: {
            'session.id': 's-1',
            'user.id': 'u-1',
            'tv.connection.id': `c-${i}`,
            'server.address': 'gw-1',
            'tv.role': 'client',
            'tv.event.seq': ++seq,
            'tv.close.code': 1006,
            'tv.close.clean': false,
            'tv.connection.duration_ms': 1,
          },
        });
        logger.emit({
          eventName: 'conn.opening',
          timestamp: Date.now(),
          severityNumber: 9,
          severityText: 'INFO',
          attributes: {
            'session.id': 's-1',
            'user.id': 'u-1',
            'tv.connection.id': `c-${i + 1}`,
            'server.address': 'gw-1',
            'tv.role': 'client',
            'tv.event.seq': ++seq,
            'tv.connection.attempt': 1,
          },
        });
        const openedAt = Date.now();
        const closeAttributes = { 'server.address': 'gw-1', 'tv.role': 'client', 'tv.close.code': 1006 };
        reconnects.add(1, closeAttributes);
        downtime.record(openedAt - closedAt, closeAttributes);
        active.add(1, metricAttributes);
        logger.emit({
          eventName: 'conn.open',
          timestamp: openedAt,
          severityNumber: 9,
          severityText: 'INFO',
          attributes: {
            'session.id': 's-1',
            'user.id': 'u-1',
            'tv.connection.id': `c-${i + 1}`,
            'server.address': 'gw-1',
            'tv.role': 'client',
            'tv.event.seq': ++seq,
            'tv.connection.attempt': 1,
            'tv.connection.downtime_ms': openedAt - closedAt,
          },
        });
      },
    },
    {
      name: 'tracker: connection close + reopen',
      iterations: iterations / 10,
      // conn.close, conn.opening, conn.open (and four metric points: active -1 and +1, a reconnect, its downtime).
      eventsPerIteration: 3,
      work: () => {
        lifecycle.closed({ code: 1006, clean: false });
        lifecycle.opening();
        lifecycle.opened();
      },
    },
    {
      name: 'tracker: no OpenTelemetry SDK registered (no-op API)',
      iterations,
      eventsPerIteration: 2,
      work: (i) => {
        const message = noop.message(`n-${i}`);
        message.sent();
        message.acked();
      },
    },
  ]);
  await p.loggerProvider.shutdown();
  await p.meterProvider.shutdown();

  console.log(
    `TunnelVision SDK per-event cost (node ${process.version}; median of ${ROUNDS} interleaved rounds of ${iterations.toLocaleString('en-US')}; discarding exporters)`,
  );
  console.log('');
  const header = ['scenario', 'events', 'ns/event', 'over baseline', 'vs baseline'];
  const baseline = rows[0]!;
  const cells = rows.map((r) => [
    r.scenario,
    r.events.toLocaleString('en-US'),
    r.nsPerEvent.toFixed(0),
    r === baseline ? '-' : `${r.nsOverBaseline >= 0 ? '+' : ''}${r.nsOverBaseline.toFixed(0)} ns`,
    `${(r.nsPerEvent / baseline.nsPerEvent).toFixed(2)}x`,
  ]);
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
