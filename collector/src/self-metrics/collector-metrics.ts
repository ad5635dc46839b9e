import { readFileSync } from 'node:fs';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Alerting } from '../alerts/alerting.js';
import type { BatchWriter } from '../ingest/batch-writer.js';
import { AlertMetrics } from './alert-metrics.js';
import { HttpMetrics } from './http-metrics.js';
import { IngestCounters } from './ingest-counters.js';
import { IngestMetrics, type IngestTransport } from './ingest-metrics.js';
import { InsertMetrics } from './insert-metrics.js';

/** Options of {@link CollectorMetrics}. */
export interface CollectorMetricsOptions {
  /** Where rows go, for the `store_mode` label of tunnelvision_build_info. */
  storeMode: 'embedded' | 'server';
}

/** This file is src/self-metrics/ or dist/self-metrics/; either way the package manifest is two folders up. */
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

/**
 * The collector's own metrics, served at GET /metrics in the Prometheus
 * text format. Each collector has its own registry (never prom-client's
 * global one), so several collectors in one process, as in the tests,
 * count separately. The registry also carries prom-client's default
 * process metrics under their usual names (process_cpu_seconds_total,
 * process_resident_memory_bytes, nodejs_eventloop_lag_seconds, ...).
 */
export class CollectorMetrics {
  readonly registry = new Registry();
  private readonly ingestCounters: IngestCounters;
  readonly http: HttpMetrics;
  readonly inserts: InsertMetrics;
  readonly alerts: AlertMetrics;

  constructor(options: CollectorMetricsOptions) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'tunnelvision_build_info',
      help: 'Always 1; the labels say which collector version runs and whether its store is embedded chDB or a ClickHouse server.',
      labelNames: ['version', 'store_mode'],
      registers: [this.registry],
    }).set({ version: collectorVersion(), store_mode: options.storeMode }, 1);
    this.ingestCounters = new IngestCounters(this.registry);
    this.http = new HttpMetrics(this.registry);
    this.inserts = new InsertMetrics(this.registry);
    this.alerts = new AlertMetrics(this.registry);
  }

  /** Ingest counting for the requests of one receiver (`transport`); its series appear, at 0, when it is asked for as the receiver starts. */
  ingest(transport: IngestTransport): IngestMetrics {
    return new IngestMetrics(this.ingestCounters, transport);
  }

  /** Starts reading the values kept elsewhere (buffered rows, leadership, alerts, webhook counters) at each scrape. */
  watch(sources: { writer: BatchWriter; alerting: Alerting }): void {
    this.inserts.watch(sources.writer);
    this.alerts.watch(sources.alerting);
  }

  /** `text/plain; version=0.0.4; charset=utf-8`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text exposition format. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}

function collectorVersion(): string {
  try {
    const { version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
