import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OtlpDecodeError } from '../errors.js';
import { ingestRequest, type IngestPipeline, type IngestTarget } from '../ingest/ingest-request.js';
import { withJsonFieldNames } from '../otlp/json-field-names.js';
import { OTLP_SIGNALS } from '../otlp/otlp-signal.js';
import { decodeProtobufRequest } from '../otlp/protobuf-codec.js';
import { sendExportResponse, sendOtlpError, wireFormatOf } from './otlp-response.js';

export interface OtlpRouteOptions extends IngestPipeline {
  /** Resolves each request's target; called once per request, before anything is read from its body. */
  target: (request: FastifyRequest) => IngestTarget;
  retryAfterSeconds: number;
}

/** POST /v1/logs, /v1/metrics, /v1/traces as the OTLP/HTTP spec describes; the work itself is ingestRequest's, shared with OTLP/gRPC. */
export async function otlpRoutes(app: FastifyInstance, options: OtlpRouteOptions): Promise<void> {
  for (const signal of OTLP_SIGNALS) {
    app.post(`/v1/${signal}`, async (request, reply) => {
      const format = wireFormatOf(request.headers['content-type']);
      const answer = await ingestRequest(options, {
        signal,
        body: (request.body as Buffer | undefined) ?? Buffer.alloc(0),
        target: options.target(request),
        decode: format === 'protobuf' ? (body) => decodeProtobufRequest(signal, body) : parseJson,
      });
      switch (answer.kind) {
        case 'stored':
          return sendExportResponse(reply, format, signal, answer.rejected, answer.errorMessage);
        case 'malformed':
          return sendOtlpError(reply, format, 400, answer.message);
        case 'overloaded':
          return sendOtlpError(reply, format, 429, answer.message, options.retryAfterSeconds);
        case 'store_unavailable':
          request.log.warn({ err: answer.cause }, 'telemetry not stored; client told to retry');
          return sendOtlpError(reply, format, 503, answer.message, options.retryAfterSeconds);
      }
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
