import type { ServiceDefinition } from '@grpc/grpc-js';
import type { OtlpSignal } from '../otlp/otlp-signal.js';

const SERVICE_NAMES: Record<OtlpSignal, string> = {
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
};

// Messages pass through as bytes: the OTLP/HTTP protobuf codec decodes each request once, after the access checks.
const asIs = (bytes: Buffer): Buffer => bytes;

/** The OTLP/gRPC service of a signal: one unary Export method, request and response kept as raw protobuf bytes. */
export function otlpGrpcService(signal: OtlpSignal): ServiceDefinition {
  return {
    Export: {
      path: `/${SERVICE_NAMES[signal]}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: asIs,
      requestDeserialize: asIs,
      responseSerialize: asIs,
      responseDeserialize: asIs,
    },
  };
}
