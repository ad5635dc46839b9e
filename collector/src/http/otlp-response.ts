import type { FastifyReply } from 'fastify';
import type { OtlpSignal } from '../otlp/otlp-signal.js';
import { encodeProtobufResponse, encodeProtobufStatus } from '../otlp/protobuf-codec.js';

/** The two OTLP/HTTP encodings; a response uses the request's. */
export type WireFormat = 'json' | 'protobuf';

export const PROTOBUF_TYPE = 'application/x-protobuf';
export const JSON_TYPE = 'application/json';

export function wireFormatOf(contentType: string | undefined): WireFormat {
  return contentType?.toLowerCase().startsWith(PROTOBUF_TYPE) ? 'protobuf' : 'json';
}

// google.rpc.Code values that match each HTTP status, for the Status body.
const RPC_CODE: Record<number, number> = { 400: 3, 401: 16, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

const REJECTED_FIELD: Record<OtlpSignal, string> = {
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
  traces: 'rejectedSpans',
};

/** Sends an OTLP error: a google.rpc.Status in the request's encoding, plus Retry-After when retryable. */
export function sendOtlpError(
  reply: FastifyReply,
  format: WireFormat,
  httpStatus: number,
  message: string,
  retryAfterSeconds?: number,
): FastifyReply {
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  const status = { code: RPC_CODE[httpStatus] ?? 2, message };
  reply.code(httpStatus);
  if (format === 'protobuf') return reply.type(PROTOBUF_TYPE).send(Buffer.from(encodeProtobufStatus(status)));
  return reply.type(JSON_TYPE).send(status);
}

/** Sends the Export*ServiceResponse: empty on full success, partial_success when records were rejected. */
export function sendExportResponse(
  reply: FastifyReply,
  format: WireFormat,
  signal: OtlpSignal,
  rejected: number,
  errorMessage: string,
): FastifyReply {
  reply.code(200);
  if (format === 'protobuf') {
    const body = encodeProtobufResponse(signal, rejected > 0 || errorMessage ? { partialSuccess: { rejected, errorMessage } } : {});
    return reply.type(PROTOBUF_TYPE).send(Buffer.from(body));
  }
  const body = rejected > 0 || errorMessage ? { partialSuccess: { [REJECTED_FIELD[signal]]: String(rejected), errorMessage } } : {};
  return reply.type(JSON_TYPE).send(body);
}
