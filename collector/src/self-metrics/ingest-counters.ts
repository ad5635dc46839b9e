import { Counter, type Registry } from 'prom-client';
import { GUARDED_LABELS } from '../ingest/label-cardinality-guard.js';
import { OTLP_SIGNALS } from '../otlp/otlp-signal.js';

/**
 * The OTLP ingest counters of one collector, shared by its receivers; each
 * receiver counts on them through its own IngestMetrics. Requests and their
 * records carry the `transport` they came over. What the attribute limits
 * trimmed and the label guard capped are facts about the stored data,
 * counted without it.
 */
export class IngestCounters {
  readonly requests: Counter<'transport' | 'signal' | 'outcome'>;
  readonly recordsAccepted: Counter<'transport' | 'signal'>;
  readonly recordsRejected: Counter<'transport' | 'signal' | 'reason'>;
  readonly trimmed: Counter<'signal' | 'limit'>;
  readonly labelsCapped: Counter<'label'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'tunnelvision_ingest_requests_total',
      help: 'OTLP export requests, by transport (http, grpc), signal and outcome (accepted, partially_accepted, or why the request was refused).',
      labelNames: ['transport', 'signal', 'outcome'],
      registers: [registry],
    });
    this.recordsAccepted = new Counter({
      name: 'tunnelvision_ingest_records_accepted_total',
      help: 'Log records, metric data points and spans stored in ClickHouse (or, while it refuses them, in the outage spool), by transport and signal.',
      labelNames: ['transport', 'signal'],
      registers: [registry],
    });
    this.recordsRejected = new Counter({
      name: 'tunnelvision_ingest_records_rejected_total',
      help: 'Records of decoded requests that were not stored, by transport, signal and reason (invalid, overloaded, store_unavailable).',
      labelNames: ['transport', 'signal', 'reason'],
      registers: [registry],
    });
    this.trimmed = new Counter({
      name: 'tunnelvision_ingest_attributes_trimmed_total',
      help: 'Attributes dropped past COLLECTOR_MAX_ATTRIBUTES (limit="attributes") and values cut to COLLECTOR_MAX_ATTRIBUTE_VALUE_LENGTH (limit="value_length") in stored records, by signal.',
      labelNames: ['signal', 'limit'],
      registers: [registry],
    });
    this.labelsCapped = new Counter({
      name: 'tunnelvision_ingest_label_values_capped_total',
      help: 'Label values stored as "(other)" because a service sent more distinct values in an hour than COLLECTOR_MAX_LABEL_VALUES, by label (service, version, environment, server).',
      labelNames: ['label'],
      registers: [registry],
    });
    // Every series exists from the start, so rate() and absent-series alerts work before the first event; IngestMetrics adds its transport's.
    for (const label of GUARDED_LABELS) this.labelsCapped.inc({ label }, 0);
    for (const signal of OTLP_SIGNALS) {
      for (const limit of ['attributes', 'value_length'] as const) this.trimmed.inc({ signal, limit }, 0);
    }
  }
}
