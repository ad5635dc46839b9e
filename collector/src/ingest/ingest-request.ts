import { OtlpDecodeError, StoreError } from '../errors.js';
import type { OtlpSignal } from '../otlp/otlp-signal.js';
import type { IngestMetrics, RecordCounts } from '../self-metrics/ingest-metrics.js';
import type { AttributeLimits } from './attribute-limits.js';
import type { BatchWriter } from './batch-writer.js';
import { bindService } from './bound-service.js';
import type { LabelCardinalityGuard } from './label-cardinality-guard.js';
import { mapLogsRequest } from './log-rows.js';
import type { MappingResult } from './mapping-result.js';
import { mapMetricsRequest } from './metric-rows.js';
import { requestIdentity, type RequestReceipts } from './request-receipts.js';
import { mapTracesRequest } from './span-rows.js';

/** Where a request's telemetry goes, as its credential says. */
export interface IngestTarget {
  /** The tenant database its rows are written into. */
  database: string;
  /** The service an ingest key is bound to: its rows are stored under this service.name whatever the app sent. */
  service?: string | undefined;
}

/** What every transport (OTLP/HTTP, OTLP/gRPC) shares: one writer, one label guard, one set of receipts and counters. */
export interface IngestPipeline {
  writer: BatchWriter;
  /** Counts each request's outcome and records. */
  ingest: IngestMetrics;
  attributeLimits: AttributeLimits;
  /** Bounds the labels the rollups group by (COLLECTOR_MAX_LABEL_VALUES). */
  labels: LabelCardinalityGuard;
  /** Answers a retry of a stored request without storing it again (COLLECTOR_DEDUP_WINDOW_SECONDS); absent turns that off. */
  receipts?: RequestReceipts | undefined;
}

/** One export request as a transport received it: raw bytes, already decompressed. */
export interface ExportRequest {
  signal: OtlpSignal;
  body: Buffer;
  target: IngestTarget;
  /** Turns the body into the OTLP/JSON-shaped object the mappers take; throws OtlpDecodeError on bad bytes. */
  decode: (body: Buffer) => unknown;
}

/**
 * How a request ended, for the transport to answer in its own terms
 * (HTTP status or gRPC status code). Counted in the ingest metrics already.
 */
export type IngestAnswer =
  /** Stored, or a retry of a stored request: success, with partial success when `rejected` or `errorMessage` say so. */
  | { kind: 'stored'; rejected: number; errorMessage: string }
  /** Not a decodable OTLP export request (HTTP 400, gRPC INVALID_ARGUMENT). */
  | { kind: 'malformed'; message: string }
  /** The writer holds COLLECTOR_MAX_BUFFERED_ROWS (HTTP 429, gRPC RESOURCE_EXHAUSTED); retryable. */
  | { kind: 'overloaded'; message: string }
  /** The store refused the rows and the spool could not take them (HTTP 503, gRPC UNAVAILABLE); retryable. */
  | { kind: 'store_unavailable'; message: string; cause: StoreError };

const MAPPERS: Record<OtlpSignal, (request: unknown, limits: AttributeLimits) => MappingResult> = {
  logs: mapLogsRequest,
  metrics: mapMetricsRequest,
  traces: mapTracesRequest,
};

const OVERLOADED_MESSAGE = 'Collector is buffering its maximum; retry later';

/**
 * Decodes, validates, maps and stores one OTLP export request, whatever
 * transport brought it: answers a retry from its receipt, refuses when the
 * writer is full (before decoding, so a flood costs no memory), applies the
 * bound service and the label guard, and waits until the rows are stored.
 * Unexpected errors (bugs) are thrown for the transport's error handler.
 */
export async function ingestRequest(pipeline: IngestPipeline, request: ExportRequest): Promise<IngestAnswer> {
  const { signal, body } = request;
  const { receipts, writer, ingest } = pipeline;
  const { database, service } = request.target;
  const identity = receipts && body.length > 0 ? requestIdentity(signal, body, database) : undefined;
  const receipt = identity === undefined ? undefined : await receipts?.find(identity);
  if (receipt) {
    ingest.alreadyStored(signal);
    return { kind: 'stored', rejected: receipt.rejected, errorMessage: receipt.errorMessage };
  }
  const overloaded = (records?: RecordCounts): IngestAnswer => {
    ingest.refused(signal, 'overloaded', records);
    return { kind: 'overloaded', message: OVERLOADED_MESSAGE };
  };
  if (!writer.hasRoomFor(1)) return overloaded();
  let result: MappingResult;
  try {
    result = MAPPERS[signal](request.decode(body), pipeline.attributeLimits);
  } catch (err) {
    if (err instanceof OtlpDecodeError) {
      ingest.refused(signal, 'malformed');
      return { kind: 'malformed', message: err.message };
    }
    throw err;
  }
  const records: RecordCounts = { valid: result.batches.reduce((n, b) => n + b.rows.length, 0), invalid: result.rejected };
  // Checked before the label guard counts this request's values, so a refused request admits none.
  if (!writer.hasRoomFor(records.valid)) return overloaded(records);
  // Before the guard, so the bound service is the one counted.
  if (service !== undefined) bindService(result.batches, service);
  ingest.capped(pipeline.labels.apply(database, result.batches));
  const answer = { rejected: result.rejected, errorMessage: result.errorMessage };
  const outcome = writer.enqueue(database, result.batches, identity === undefined ? undefined : { id: identity, ...answer });
  if (outcome.status === 'overloaded') return overloaded(records);
  if (identity !== undefined && records.valid > 0) receipts?.storing(identity, outcome.written, answer);
  try {
    await outcome.written;
  } catch (err) {
    if (err instanceof StoreError) {
      ingest.refused(signal, 'store_unavailable', records);
      return { kind: 'store_unavailable', message: `Storage unavailable, nothing was stored; retry later (${err.message})`, cause: err };
    }
    throw err;
  }
  ingest.stored(signal, records, result.trimmed);
  return { kind: 'stored', ...answer };
}
