import type { FastifyRequest } from 'fastify';
import { OTLP_SIGNALS, type OtlpSignal } from '../otlp/otlp-signal.js';
import type { IngestRejectionReason } from '../self-metrics/ingest-metrics.js';

/** The OTLP signal a request's matched route receives, or undefined for every other route. */
export function otlpSignalOf(request: FastifyRequest): OtlpSignal | undefined {
  const route = request.routeOptions.url;
  return OTLP_SIGNALS.find((signal) => route === `/v1/${signal}`);
}

/**
 * Why an OTLP request answered `status` by the error handler was refused,
 * for tunnelvision_ingest_requests_total. A 413 on a gzip body whose
 * compressed length was within the limit means it inflated past it.
 */
export function ingestRejectionReason(
  status: number,
  err: { code?: string },
  request: FastifyRequest,
  maxRequestBytes: number,
): IngestRejectionReason {
  switch (status) {
    case 401:
    case 403:
      // No key, a wrong one, or one that may not ingest (a read key, a browser key off its origins).
      return 'unauthorized';
    case 413: {
      const encoding = (request.headers['content-encoding'] ?? '').trim().toLowerCase();
      const sentLength = Number(request.headers['content-length']);
      const gzip = encoding === 'gzip' || encoding === 'x-gzip';
      return gzip && !(sentLength > maxRequestBytes) ? 'too_large_decompressed' : 'too_large';
    }
    case 415:
      return err.code === 'UNSUPPORTED_ENCODING' ? 'unsupported_encoding' : 'unsupported_content_type';
    case 429:
      return 'overloaded';
    case 503:
      return 'store_unavailable';
  }
  return status < 500 ? 'malformed' : 'internal_error';
}
