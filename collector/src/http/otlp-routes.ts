import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OtlpDecodeError, StoreError } from '../errors.js';
import type { AttributeLimits } from '../ingest/attribute-limits.js';
import type { BatchWriter } from '../ingest/batch-writer.js';
import { bindService } from '../ingest/bound-service.js';
import type { LabelCardinalityGuard } from '../ingest/label-cardinality-guard.js';
import { requestIdentity, type RequestReceipts } from '../ingest/request-receipts.js';
import { mapLogsRequest } from '../ingest/log-rows.js';
import type { MappingResult } from '../ingest/mapping-result.js';
import { mapMetricsRequest } from '../ingest/metric-rows.js';
import { mapTracesRequest } from '../ingest/span-rows.js';
import { withJsonFieldNames } from '../otlp/json-field-names.js';
import type { OtlpSignal } from '../otlp/otlp-signal.js';
import { decodeProtobufRequest } from '../otlp/protobuf-codec.js';
import type { IngestMetrics, RecordCounts } from '../self-metrics/ingest-metrics.js';
import { sendExportResponse, sendOtlpError, wireFormatOf } from './otlp-response.js';

/** Where a request's telemetry goes, as its credential says. */
export interface IngestTarget {
  /** The tenant database its rows are written into. */
  database: string;
  /** The service an ingest key is bound to: its rows are stored under this service.name whatever the app sent. */
  service?: string | undefined;
}

export interface OtlpRouteOptions {
  writer: BatchWriter;
  /** Resolves each request's target; called once per request, before anything is read from its body. */
  target: (request: FastifyRequest) => IngestTarget;
  retryAfterSeconds: number;
  /** Counts each request's outcome and records; refusals raised outside the handler are counted by the error handler. */
  ingest: IngestMetrics;
  attributeLimits: AttributeLimits;
  /** Bounds the labels the rollups group by (COLLECTOR_MAX_LABEL_VALUES). */
  labels: LabelCardinalityGuard;
  /** Answers a retry of a stored request without storing it again (COLLECTOR_DEDUP_WINDOW_SECONDS); absent turns that off. */
  receipts?: RequestReceipts | undefined;
}

const MAPPERS: Record<OtlpSignal, (request: unknown, limits: AttributeLimits) => MappingResult> = {
  logs: mapLogsRequest,
  metrics: mapMetricsRequest,
  traces: mapTracesRequest,
};

/** POST /v1/logs, /v1/metrics, /v1/traces as the OTLP/HTTP spec describes. */
export async function otlpRoutes(app: FastifyInstance, options: OtlpRouteOptions): Promise<void> {
  for (const signal of Object.keys(MAPPERS) as OtlpSignal[]) {
    app.post(`/v1/${signal}`, async (request, reply) => {
      const format = wireFormatOf(request.headers['content-type']);
      const body = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
      const { receipts } = options;
      const { database, service } = options.target(request);
      const identity = receipts && body.length > 0 ? requestIdentity(signal, body, database) : undefined;
      const receipt = identity === undefined ? undefined : await receipts?.find(identity);
      if (receipt) {
        options.ingest.alreadyStored(signal);
        return sendExportResponse(reply, format, signal, receipt.rejected, receipt.errorMessage);
      }
      const overloaded = (records?: RecordCounts) => {
        options.ingest.refused(signal, 'overloaded', records);
        return sendOtlpError(reply, format, 429, 'Collector is buffering its maximum; retry later', options.retryAfterSeconds);
      };
      // A full buffer refuses before decoding: a flood then costs no memory for the requests it cannot take.
      if (!options.writer.hasRoomFor(1)) return overloaded();
      let result: MappingResult;
      try {
        const decoded = format === 'protobuf' ? decodeProtobufRequest(signal, body) : parseJson(body);
        result = MAPPERS[signal](decoded, options.attributeLimits);
      } catch (err) {
        if (err instanceof OtlpDecodeError) {
          options.ingest.refused(signal, 'malformed');
          return sendOtlpError(reply, format, 400, err.message);
        }
        throw err;
      }
      const records: RecordCounts = { valid: result.batches.reduce((n, b) => n + b.rows.length, 0), invalid: result.rejected };
      // Checked before the label guard counts this request's values, so a refused request admits none.
      if (!options.writer.hasRoomFor(records.valid)) return overloaded(records);
      // Before the guard, so the bound service is the one counted.
      if (service !== undefined) bindService(result.batches, service);
      options.ingest.capped(options.labels.apply(database, result.batches));
      const answer = { rejected: result.rejected, errorMessage: result.errorMessage };
      const outcome = options.writer.enqueue(database, result.batches, identity === undefined ? undefined : { id: identity, ...answer });
      if (outcome.status === 'overloaded') return overloaded(records);
      if (identity !== undefined && records.valid > 0) receipts?.storing(identity, outcome.written, answer);
      try {
        await outcome.written;
      } catch (err) {
        if (err instanceof StoreError) {
          request.log.warn({ err }, 'telemetry not stored; client told to retry');
          options.ingest.refused(signal, 'store_unavailable', records);
          return sendOtlpError(reply, format, 503, `Storage unavailable, nothing was stored; retry later (${err.message})`, options.retryAfterSeconds);
        }
        throw err;
      }
      options.ingest.stored(signal, records, result.trimmed);
      return sendExportResponse(reply, format, signal, result.rejected, result.errorMessage);
    });
  }
}

function parseJson(body: Buffer): unknown {
  // An empty body is an empty request, as it is for protobuf; OTLP answers success.
  if (body.length === 0) return {};
  try {
    return withJsonFieldNames(JSON.parse(body.toString('utf8')));
  } catch (err) {
    throw new OtlpDecodeError(`Body is not valid JSON: ${(err as Error).message}`);
  }
}
