import { Server, ServerCredentials } from '@grpc/grpc-js';
import { OTLP_SIGNALS } from '../otlp/otlp-signal.js';
import { grpcExportHandler, type GrpcExportOptions } from './grpc-export-handler.js';
import { otlpGrpcService } from './otlp-grpc-services.js';

export interface GrpcServerOptions extends GrpcExportOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** COLLECTOR_MAX_REQUEST_BYTES: grpc-js refuses larger messages, before and after gunzip, with RESOURCE_EXHAUSTED. */
  maxRequestBytes: number;
}

/** A listening OTLP/gRPC receiver. */
export interface RunningGrpcServer {
  /** host:port it listens on, e.g. 127.0.0.1:4317. */
  readonly address: string;
  /** Takes no new calls, lets the calls in flight finish (their rows stored), then closes. */
  stop(): Promise<void>;
}

/**
 * Starts the OTLP/gRPC receiver (LogsService, MetricsService, TraceService).
 * grpc-js handles HTTP/2 framing and grpc-encoding: gzip; everything else
 * is the OTLP/HTTP path's.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': options.maxRequestBytes });
  for (const signal of OTLP_SIGNALS) server.addService(otlpGrpcService(signal), { Export: grpcExportHandler(signal, options) });
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port}`, ServerCredentials.createInsecure(), (err, bound) =>
      err
        ? reject(new Error(`OTLP/gRPC cannot listen on ${host}:${options.port} (${err.message}); set COLLECTOR_GRPC_PORT to a free port, or to off`, { cause: err }))
        : resolve(bound),
    ),
  );
  let stopping: Promise<void> | undefined;
  return {
    address: `${host}:${port}`,
    stop() {
      stopping ??= new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      return stopping;
    },
  };
}
