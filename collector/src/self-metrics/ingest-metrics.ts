import { GUARDED_LABELS, type GuardedLabel } from '../ingest/label-cardinality-guard.js';
import { OTLP_SIGNALS, type OtlpSignal } from '../otlp/otlp-signal.js';
import type { IngestCounters } from './ingest-counters.js';

/** The receiver a request came over: OTLP/HTTP or OTLP/gRPC; the `transport` label of the request and record counters. */
export type IngestTransport = 'http' | 'grpc';

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
/** Refusals of OTLP/HTTP only: over gRPC, grpc-js checks sizes and encodings itself and the collector never sees those calls. */
const HTTP_ONLY_OUTCOMES: ReadonlySet<IngestOutcome> = new Set(['too_large', 'too_large_decompressed', 'unsupported_content_type', 'unsupported_encoding']);

/** The records a decoded request carried: `valid` ones became rows, `invalid` ones were refused one by one. */
export interface RecordCounts {
  valid: number;
  invalid: number;
}

/**
 * OTLP ingest counting for one transport: each receiver has its own, on
 * the collector's shared IngestCounters. A record is a log record, a
 * metric data point or a span. Requests refused before they were decoded
 * (401, 413, 415, bad bytes, 429 while the buffer is full) have no record
 * count; they show in the request counter only.
 */
export class IngestMetrics {
  constructor(
    private readonly counters: IngestCounters,
    private readonly transport: IngestTransport,
  ) {
    // This transport's series exist from the start, so rate() and absent-series alerts work before its first request.
    const outcomes = OUTCOMES.filter((outcome) => transport === 'http' || !HTTP_ONLY_OUTCOMES.has(outcome));
    for (const signal of OTLP_SIGNALS) {
      for (const outcome of outcomes) counters.requests.inc({ transport, signal, outcome }, 0);
      for (const reason of RECORD_REASONS) counters.recordsRejected.inc({ transport, signal, reason }, 0);
      counters.recordsAccepted.inc({ transport, signal }, 0);
    }
  }

  /**
   * A request whose valid records are stored; its invalid ones were refused
   * in a partial success, and `trimmed` counts what the attribute limits took.
   */
  stored(signal: OtlpSignal, records: RecordCounts, trimmed: { attributes: number; values: number } = { attributes: 0, values: 0 }): void {
    const { counters, transport } = this;
    counters.requests.inc({ transport, signal, outcome: records.invalid > 0 ? 'partially_accepted' : 'accepted' });
    counters.recordsAccepted.inc({ transport, signal }, records.valid);
    counters.recordsRejected.inc({ transport, signal, reason: 'invalid' }, records.invalid);
    counters.trimmed.inc({ signal, limit: 'attributes' }, trimmed.attributes);
    counters.trimmed.inc({ signal, limit: 'value_length' }, trimmed.values);
  }

  /** A retry of a request already stored; its records were counted when the original was. */
  alreadyStored(signal: OtlpSignal): void {
    this.counters.requests.inc({ transport: this.transport, signal, outcome: 'already_stored' });
  }

  /** Label values the cardinality guard replaced, by label. */
  capped(counts: Record<GuardedLabel, number>): void {
    for (const label of GUARDED_LABELS) if (counts[label] > 0) this.counters.labelsCapped.inc({ label }, counts[label]);
  }

  /**
   * A request refused as a whole. `records` are what it carried when it was
   * refused after decoding (429, 503): its valid records count under the
   * request's reason, its invalid ones as `invalid`.
   */
  refused(signal: OtlpSignal, reason: IngestRejectionReason, records: RecordCounts = { valid: 0, invalid: 0 }): void {
    const { counters, transport } = this;
    counters.requests.inc({ transport, signal, outcome: reason });
    if (records.valid > 0 && (reason === 'overloaded' || reason === 'store_unavailable')) {
      counters.recordsRejected.inc({ transport, signal, reason }, records.valid);
    }
    counters.recordsRejected.inc({ transport, signal, reason: 'invalid' }, records.invalid);
  }
}
