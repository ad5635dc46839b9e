import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import protobuf from 'protobufjs';

/**
 * A bare OTLP/gRPC client for what the official exporters cannot send or
 * do not show: hand-built (and broken) messages, and the status details of
 * an error. Messages are built and read with the collector's .proto files.
 */

const SERVICES = {
  logs: { pkg: 'opentelemetry.proto.collector.logs.v1', service: 'LogsService', message: 'ExportLogsService' },
  metrics: { pkg: 'opentelemetry.proto.collector.metrics.v1', service: 'MetricsService', message: 'ExportMetricsService' },
  traces: { pkg: 'opentelemetry.proto.collector.trace.v1', service: 'TraceService', message: 'ExportTraceService' },
} as const;
type Signal = keyof typeof SERVICES;

const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => path.join(protoDir, target);
root.loadSync([
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'google/rpc/status.proto',
  'google/rpc/error_details.proto',
]);
const typeOf = (signal: Signal, suffix: 'Request' | 'Response') => root.lookupType(`${SERVICES[signal].pkg}.${SERVICES[signal].message}${suffix}`);

/** An Export*ServiceRequest from its OTLP/JSON shape (no trace or span ids: those are hex in JSON, bytes here). */
export function encodeExportRequest(signal: Signal, request: object): Buffer {
  const type = typeOf(signal, 'Request');
  return Buffer.from(type.encode(type.fromObject(request)).finish());
}

export interface ExportResult {
  /** The Export*ServiceResponse as a plain object, on success. */
  response?: Record<string, any>;
  error?: ServiceError;
}

/** Sends `body` as the Export call of `signal`'s service, with `headers` as metadata. */
export function exportRaw(address: string, signal: Signal, body: Buffer, headers: Record<string, string> = {}): Promise<ExportResult> {
  const client = new Client(address, credentials.createInsecure());
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  const type = typeOf(signal, 'Response');
  return new Promise<ExportResult>((resolve) => {
    client.makeUnaryRequest(
      `/${SERVICES[signal].pkg}.${SERVICES[signal].service}/Export`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      metadata,
      (error, response) => {
        client.close();
        resolve(error ? { error } : { response: type.toObject(type.decode(response!), { longs: Number }) });
      },
    );
  });
}

/** The google.rpc.Status in an error's grpc-status-details-bin, with the RetryInfo delay (seconds) when it has one. */
export function statusDetails(error: ServiceError): { code: number; message: string; retryDelaySeconds: number | undefined } {
  const [bytes] = error.metadata.get('grpc-status-details-bin');
  if (!Buffer.isBuffer(bytes)) throw new Error('no grpc-status-details-bin in the trailers');
  const statusType = root.lookupType('google.rpc.Status');
  const retryType = root.lookupType('google.rpc.RetryInfo');
  const status = statusType.toObject(statusType.decode(bytes), { defaults: true }) as { code: number; message: string; details: { type_url: string; value: Uint8Array }[] };
  const retry = status.details.find((d) => d.type_url === 'type.googleapis.com/google.rpc.RetryInfo');
  const delay = retry && (retryType.toObject(retryType.decode(retry.value), { longs: Number }) as { retryDelay?: { seconds?: number } }).retryDelay;
  return { code: status.code, message: status.message, retryDelaySeconds: retry ? (delay?.seconds ?? 0) : undefined };
}
