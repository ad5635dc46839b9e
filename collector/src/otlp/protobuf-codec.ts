/**
 * OTLP/HTTP protobuf codec built on protobufjs and the .proto files in
 * ./proto (field numbers as in upstream opentelemetry-proto).
 *
 * Decoding produces the same plain-object shape a client would send as
 * OTLP/JSON, so the rest of the collector needs only one ingest path.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { OtlpDecodeError } from '../errors.js';
import type { OtlpSignal } from './otlp-signal.js';

const PROTO_FILES = [
  'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
  'opentelemetry/proto/collector/trace/v1/trace_service.proto',
  'google/rpc/status.proto',
  'google/rpc/error_details.proto',
];

const SERVICE: Record<OtlpSignal, { pkg: string; name: string; rejectedField: string }> = {
  logs: { pkg: 'opentelemetry.proto.collector.logs.v1', name: 'Logs', rejectedField: 'rejectedLogRecords' },
  metrics: { pkg: 'opentelemetry.proto.collector.metrics.v1', name: 'Metrics', rejectedField: 'rejectedDataPoints' },
  traces: { pkg: 'opentelemetry.proto.collector.trace.v1', name: 'Trace', rejectedField: 'rejectedSpans' },
};

/**
 * OTLP/JSON conventions: 64-bit integers as decimal strings, enums as numbers,
 * bytes as base64 (ids are re-spelled as hex afterwards), non-finite doubles
 * as "NaN"/"Infinity"/"-Infinity"; default-valued fields are left out.
 */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String, json: true };

interface Codec {
  requests: Record<OtlpSignal, protobuf.Type>;
  responses: Record<OtlpSignal, protobuf.Type>;
  status: protobuf.Type;
  retryInfo: protobuf.Type;
}

let codec: Codec | undefined;

/** Parses the .proto files on first use; a failure here is a deployment bug, not a bad request. */
function getCodec(): Codec {
  if (codec) return codec;
  const protoDir = fileURLToPath(new URL('../../proto/', import.meta.url));
  const root = new protobuf.Root();
  // Every import in our files is relative to the proto folder.
  root.resolvePath = (_origin, target) => path.join(protoDir, target);
  root.loadSync(PROTO_FILES);
  const type = (signal: OtlpSignal, suffix: string) =>
    root.lookupType(`${SERVICE[signal].pkg}.Export${SERVICE[signal].name}Service${suffix}`);
  codec = {
    requests: { logs: type('logs', 'Request'), metrics: type('metrics', 'Request'), traces: type('traces', 'Request') },
    responses: { logs: type('logs', 'Response'), metrics: type('metrics', 'Response'), traces: type('traces', 'Response') },
    status: root.lookupType('google.rpc.Status'),
    retryInfo: root.lookupType('google.rpc.RetryInfo'),
  };
  return codec;
}

/**
 * Decodes an Export{Logs,Metrics,Trace}ServiceRequest body into a plain object
 * shaped like the OTLP/JSON encoding of the same request: lowerCamelCase keys,
 * 64-bit integers (timestamps, counts, intValue, asInt) as decimal strings,
 * doubles as numbers (NaN/±Infinity as the strings proto3 JSON uses), enums
 * as numbers, trace/span ids (spans, links, log records, exemplars) as
 * lowercase hex, other bytes as base64, unset or default-valued fields
 * omitted, and only the set member of a oneof present.
 * The result is not validated beyond the wire format.
 *
 * @throws OtlpDecodeError when the body is not a valid protobuf message of that type.
 */
export function decodeProtobufRequest(signal: OtlpSignal, body: Uint8Array): unknown {
  const type = getCodec().requests[signal];
  let request: Record<string, unknown>;
  try {
    // A Buffer view (no copy) makes protobufjs use its faster Buffer reader.
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    request = type.toObject(type.decode(buf), TO_OBJECT);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new OtlpDecodeError(`Cannot decode OTLP/protobuf ${signal} request (${type.name}): ${reason}`, { cause: err });
  }
  ID_FIXERS[signal](request);
  return request;
}

/**
 * Encodes the Export*ServiceResponse for `signal`. `partialSuccess.rejected`
 * becomes rejectedLogRecords / rejectedDataPoints / rejectedSpans; without
 * `partialSuccess` the response is empty (full success).
 */
export function encodeProtobufResponse(
  signal: OtlpSignal,
  response: { partialSuccess?: { rejected: number; errorMessage: string } },
): Uint8Array {
  const type = getCodec().responses[signal];
  const partial = response.partialSuccess;
  const message = partial
    ? { partialSuccess: { [SERVICE[signal].rejectedField]: partial.rejected, errorMessage: partial.errorMessage } }
    : {};
  return type.encode(type.fromObject(message)).finish();
}

const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * Encodes a google.rpc.Status: the body OTLP/HTTP requires on error responses
 * to protobuf requests, and the grpc-status-details-bin of OTLP/gRPC errors.
 * With `retryAfterSeconds`, its details hold a google.rpc.RetryInfo saying
 * how long to wait, as OTLP/gRPC asks of retryable errors.
 */
export function encodeProtobufStatus(status: { code: number; message: string; retryAfterSeconds?: number | undefined }): Uint8Array {
  const { status: type, retryInfo } = getCodec();
  const details =
    status.retryAfterSeconds === undefined
      ? []
      : [{ type_url: RETRY_INFO_TYPE_URL, value: retryInfo.encode(retryInfo.fromObject({ retryDelay: { seconds: status.retryAfterSeconds } })).finish() }];
  return type.encode(type.fromObject({ code: status.code, message: status.message, details })).finish();
}

// ---- id post-pass: base64 (protobufjs) -> lowercase hex (OTLP/JSON) ----

type Obj = Record<string, unknown>;

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? (value as Obj[]) : [];
}

function hexIds(o: Obj, a: string, b: string, c?: string): void {
  if (typeof o[a] === 'string') o[a] = Buffer.from(o[a], 'base64').toString('hex');
  if (typeof o[b] === 'string') o[b] = Buffer.from(o[b], 'base64').toString('hex');
  if (c !== undefined && typeof o[c] === 'string') o[c] = Buffer.from(o[c], 'base64').toString('hex');
}

const METRIC_KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram'] as const;

/** Walks only down to the objects that carry ids; attributes are never visited. */
const ID_FIXERS: Record<OtlpSignal, (request: Obj) => void> = {
  logs(request) {
    for (const rl of list(request.resourceLogs))
      for (const sl of list(rl.scopeLogs)) for (const lr of list(sl.logRecords)) hexIds(lr, 'traceId', 'spanId');
  },
  traces(request) {
    for (const rs of list(request.resourceSpans))
      for (const ss of list(rs.scopeSpans))
        for (const span of list(ss.spans)) {
          hexIds(span, 'traceId', 'spanId', 'parentSpanId');
          for (const link of list(span.links)) hexIds(link, 'traceId', 'spanId');
        }
  },
  metrics(request) {
    for (const rm of list(request.resourceMetrics))
      for (const sm of list(rm.scopeMetrics))
        for (const metric of list(sm.metrics))
          for (const kind of METRIC_KINDS) {
            const data = metric[kind] as Obj | undefined;
            if (data === undefined) continue;
            for (const dp of list(data.dataPoints))
              for (const ex of list(dp.exemplars)) hexIds(ex, 'traceId', 'spanId');
          }
  },
};
