import { status, type handleUnaryCall, type Metadata, type ServerErrorResponse } from '@grpc/grpc-js';
import type { FastifyBaseLogger } from 'fastify';
import { ForbiddenError, TooManyAttemptsError, UnauthenticatedError } from '../auth/access-errors.js';
import type { AccessControl } from '../auth/access-control.js';
import { StoreError } from '../errors.js';
import { ingestRequest, type IngestAnswer, type IngestPipeline, type IngestTarget } from '../ingest/ingest-request.js';
import type { OtlpSignal } from '../otlp/otlp-signal.js';
import { decodeProtobufRequest, encodeProtobufResponse } from '../otlp/protobuf-codec.js';
import type { IngestRejectionReason } from '../self-metrics/ingest-metrics.js';
import { presentedGrpcToken } from './grpc-credential.js';
import { grpcStatusError } from './grpc-status-error.js';
import type { RateLimitCheck } from './shared-rate-limit.js';

export interface GrpcExportOptions {
  /** The same pipeline the OTLP/HTTP routes feed. */
  pipeline: IngestPipeline;
  access: AccessControl;
  /** Seconds put in RetryInfo on RESOURCE_EXHAUSTED and UNAVAILABLE (COLLECTOR_RETRY_AFTER_SECONDS). */
  retryAfterSeconds: number;
  /** The HTTP server's per-key budget; undefined when rate limits are off. */
  rateLimit: RateLimitCheck | undefined;
  log: FastifyBaseLogger;
}

/**
 * The Export method of a signal's OTLP/gRPC service: the credential in the
 * call's metadata is checked as OTLP/HTTP checks it (ingest scope; browser
 * keys refused, as a gRPC call has no browser origin), then ingestRequest
 * does the rest and its answer becomes the spec's gRPC status.
 */
export function grpcExportHandler(signal: OtlpSignal, options: GrpcExportOptions): handleUnaryCall<Buffer, Buffer> {
  const { pipeline, access, retryAfterSeconds } = options;
  const answerOf = async (metadata: Metadata, body: Buffer, peer: string): Promise<IngestAnswer> => {
    const principal = access.requireScope(await access.authenticate({ token: presentedGrpcToken(metadata), origin: undefined }), 'ingest');
    await options.rateLimit?.(principal, peer);
    const target: IngestTarget = { database: access.databaseOf(principal.tenant), service: principal.kind === 'key' ? principal.service : undefined };
    return ingestRequest(pipeline, { signal, body, target, decode: (bytes) => decodeProtobufRequest(signal, bytes) });
  };
  return (call, callback) => {
    answerOf(call.metadata, call.request, call.getPeer()).then(
      (answer) => {
        switch (answer.kind) {
          case 'stored': {
            const partial = answer.rejected > 0 || answer.errorMessage !== '';
            const response = encodeProtobufResponse(signal, partial ? { partialSuccess: { rejected: answer.rejected, errorMessage: answer.errorMessage } } : {});
            return callback(null, Buffer.from(response));
          }
          case 'malformed':
            return callback(grpcStatusError(status.INVALID_ARGUMENT, answer.message));
          case 'overloaded':
            return callback(grpcStatusError(status.RESOURCE_EXHAUSTED, answer.message, retryAfterSeconds));
          case 'store_unavailable':
            options.log.warn({ err: answer.cause }, 'telemetry not stored; client told to retry');
            return callback(grpcStatusError(status.UNAVAILABLE, answer.message, retryAfterSeconds));
        }
      },
      (err: unknown) => {
        const { error, reason } = refusalOf(err, retryAfterSeconds);
        if (reason === 'internal_error') options.log.error({ err }, 'OTLP/gRPC export failed');
        pipeline.ingest.refused(signal, reason);
        callback(error);
      },
    );
  };
}

/** The status for an error thrown before ingestRequest answered: the access layer's refusals, the rate limit, or a bug. */
function refusalOf(err: unknown, retryAfterSeconds: number): { error: ServerErrorResponse; reason: IngestRejectionReason } {
  if (err instanceof UnauthenticatedError) return { error: grpcStatusError(status.UNAUTHENTICATED, err.message), reason: 'unauthorized' };
  if (err instanceof ForbiddenError) return { error: grpcStatusError(status.PERMISSION_DENIED, err.message), reason: 'unauthorized' };
  if (err instanceof TooManyAttemptsError) return { error: grpcStatusError(status.RESOURCE_EXHAUSTED, err.message, err.retryAfterSeconds), reason: 'overloaded' };
  if (err instanceof StoreError) {
    return { error: grpcStatusError(status.UNAVAILABLE, `Storage unavailable: ${err.message}`, retryAfterSeconds), reason: 'store_unavailable' };
  }
  return { error: grpcStatusError(status.INTERNAL, 'Internal error; see the collector log'), reason: 'internal_error' };
}
