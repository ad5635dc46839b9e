import { GUARDED_LABELS, type GuardedLabel } from '../ingest/label-cardinality-guard.js';
import { Counter, type Registry } from 'prom-client';
import { OTLP_SIGNALS, type OtlpSignal } from '../otlp/otlp-signal.js';

/** Why the collector refused a whole OTLP request; the `outcome` label of tunnelvision_ingest_requests_total. */
export type IngestRejectionReason =
  /** 400: the body is not valid JSON, protobuf or gzip, or not an OTLP export request. */
  | 'malformed'
  /** 401/403: the ingest key is missing, wrong, revoked, or may not ingest. */
  | 'unauthorized'
  /** 413: the body as sent is over COLLECTOR_MAX_REQUEST_BYTES. */
  | 'too_large'
  /** 413: a gzip body that inflated past the limit; where a decompression bomb ends up. */
  | 'too_large_decompressed'
  /** 415: neither application/x-protobuf nor application/json. */
  | 'unsupported_content_type'
  /** 415: a Content-Encoding other than gzip, deflate or identity. */
  | 'unsupported_encoding'
  /** 429: the batch writer already holds COLLECTOR_MAX_BUFFERED_ROWS, or the key spent its rate limit. */
  | 'overloaded'
  /** 503: ClickHouse did not take the rows. */
  | 'store_unavailable'
  /** 500: a bug; the collector log has the stack. */
  | 'internal_error';

/** What happened to one OTLP request. */
export type IngestOutcome =
  | 'accepted'
  | 'partially_accepted'
  /** A retry of a request stored within COLLECTOR_DEDUP_WINDOW_SECONDS: answered as before, nothing stored again. */
  | 'already_stored'
  | IngestRejectionReason;

/** Why records of a decoded request were not stored; the `reason` label of tunnelvision_ingest_records_rejected_total. */
export type RecordRejectionReason = 'invalid' | 'overloaded' | 'store_unavailable';

const OUTCOMES: readonly IngestOutcome[] = [
  'accepted',
  'partially_accepted',
  'already_stored',
  'malformed',
  'unauthorized',
  'too_large',
  'too_large_decompressed',
  'unsupported_content_type',
  'unsupported_encoding',
  'overloaded',
  'store_unavailable',
  'internal_error',
];
const RECORD_REASONS: readonly RecordRejectionReason[] = ['invalid', 'overloaded', 'store_unavailable'];

/** The records a decoded request carried: `valid` ones became rows, `invalid` ones were refused one by one. */
export interface RecordCounts {
  valid: number;
  invalid: number;
}

/**
 * OTLP ingest counters. A record is a log record, a metric data point or a
 * span. Requests refused before they were decoded (401, 413, 415, bad
 * bytes, 429 while the buffer is full) have no record count; they show in
 * the request counter only.
 */
export class IngestMetrics {
  private readonly requests: Counter<'signal' | 'outcome'>;
  private readonly recordsAccepted: Counter<'signal'>;
  private readonly recordsRejected: Counter<'signal' | 'reason'>;
  private readonly trimmed: Counter<'signal' | 'limit'>;
  private readonly labelsCapped: Counter<'label'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'tunnelvision_ingest_requests_total',
      help: 'OTLP export requests (OTLP/HTTP and OTLP/gRPC), by signal and outcome (accepted, partially_accepted, or why the request was refused).',
      labelNames: ['signal', 'outcome'],
      registers: [registry],
    });
    this.recordsAccepted = new Counter({
      name: 'tunnelvision_ingest_records_accepted_total',
      help: 'Log records, metric data points and spans stored in ClickHouse (or, while it refuses them, in the outage spool), by signal.',
      labelNames: ['signal'],
      registers: [registry],
    });
    this.recordsRejected = new Counter({
      name: 'tunnelvision_ingest_records_rejected_total',
      help: 'Records of decoded requests that were not stored, by signal and reason (invalid, overloaded, store_unavailable).',
      labelNames: ['signal', 'reason'],
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
    for (const label of GUARDED_LABELS) this.labelsCapped.inc({ label }, 0);
    // Every series exists from the start, so rate() and absent-series alerts work before the first event.
    for (const signal of OTLP_SIGNALS) {
      for (const outcome of OUTCOMES) this.requests.inc({ signal, outcome }, 0);
      for (const reason of RECORD_REASONS) this.recordsRejected.inc({ signal, reason }, 0);
      this.recordsAccepted.inc({ signal }, 0);
      for (const limit of ['attributes', 'value_length'] as const) this.trimmed.inc({ signal, limit }, 0);
    }
  }

  /**
   * A request whose valid records are stored; its invalid ones were refused
   * in a partial success, and `trimmed` counts what the attribute limits took.
   */
  stored(signal: OtlpSignal, records: RecordCounts, trimmed: { attributes: number; values: number } = { attributes: 0, values: 0 }): void {
    this.requests.inc({ signal, outcome: records.invalid > 0 ? 'partially_accepted' : 'accepted' });
    this.recordsAccepted.inc({ signal }, records.valid);
    this.recordsRejected.inc({ signal, reason: 'invalid' }, records.invalid);
    this.trimmed.inc({ signal, limit: 'attributes' }, trimmed.attributes);
    this.trimmed.inc({ signal, limit: 'value_length' }, trimmed.values);
  }

  /** A retry of a request already stored; its records were counted when the original was. */
  alreadyStored(signal: OtlpSignal): void {
    this.requests.inc({ signal, outcome: 'already_stored' });
  }

  /** Label values the cardinality guard replaced, by label. */
  capped(counts: Record<GuardedLabel, number>): void {
    for (const label of GUARDED_LABELS) if (counts[label] > 0) this.labelsCapped.inc({ label }, counts[label]);
  }

  /**
   * A request refused as a whole. `records` are what it carried when it was
   * refused after decoding (429, 503): its valid records count under the
   * request's reason, its invalid ones as `invalid`.
   */
  refused(signal: OtlpSignal, reason: IngestRejectionReason, records: RecordCounts = { valid: 0, invalid: 0 }): void {
    this.requests.inc({ signal, outcome: reason });
    if (records.valid > 0 && (reason === 'overloaded' || reason === 'store_unavailable')) {
      this.recordsRejected.inc({ signal, reason }, records.valid);
    }
    this.recordsRejected.inc({ signal, reason: 'invalid' }, records.invalid);
  }
}
