import { Metadata, type ServerErrorResponse, type status } from '@grpc/grpc-js';
import { encodeProtobufStatus } from '../otlp/protobuf-codec.js';

/**
 * A gRPC error as OTLP/gRPC describes it: the status code and message, and
 * the same google.rpc.Status in the grpc-status-details-bin trailer, whose
 * details carry a google.rpc.RetryInfo when the client should retry after
 * `retryAfterSeconds` (the gRPC counterpart of Retry-After).
 */
export function grpcStatusError(code: status, message: string, retryAfterSeconds?: number): ServerErrorResponse {
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(encodeProtobufStatus({ code, message, retryAfterSeconds })));
  return Object.assign(new Error(message), { code, details: message, metadata });
}
