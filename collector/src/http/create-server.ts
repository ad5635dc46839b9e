import rateLimit from '@fastify/rate-limit';
import cors, { type FastifyCorsOptions, type FastifyCorsOptionsDelegateCallback } from '@fastify/cors';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { NotFoundError, QueryParamError, StoreError } from '../errors.js';
import { sendOtlpError, wireFormatOf, JSON_TYPE, PROTOBUF_TYPE } from './otlp-response.js';
import { otlpRoutes, type OtlpRouteOptions } from './otlp-routes.js';
import { queryRoutes, type QueryRouteOptions } from './query-routes.js';
import { alertRoutes, type AlertRouteOptions } from './alert-routes.js';
import type { AdminRouteOptions } from './admin-routes.js';
import { decodedBodyStream } from './request-decompression.js';
import { TooManyAttemptsError } from '../auth/access-errors.js';
import type { AccessControl } from '../auth/access-control.js';
import { principalName } from '../auth/principal.js';
import { registerAccessHook, tenantOf } from './access-hook.js';
import { adminRoutes } from './admin-routes.js';
import { authRoutes } from './auth-routes.js';
import { ingestRejectionReason, otlpSignalOf } from './ingest-rejection.js';
import { metricsRoutes, type MetricsRouteOptions } from './metrics-routes.js';
import { rateLimitRefusal } from './rate-limit-refusal.js';

export interface ServerOptions
  extends Omit<OtlpRouteOptions, 'ingest' | 'target'>,
    Omit<QueryRouteOptions, 'databaseOf'>,
    Partial<AlertRouteOptions>,
    Omit<AdminRouteOptions, 'access'>,
    MetricsRouteOptions {
  /** Who may read and write (docs/security.md). */
  access: AccessControl;
  /** Requests a minute per key or session; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Origins allowed to send OTLP from a browser; '*' for any. */
  corsOrigins: readonly string[];
  maxRequestBytes: number;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

/** Status and message for errors raised before or outside a route handler. */
function describeError(err: FastifyError & { code?: string }, otlp: boolean): { status: number; message: string } {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'Request body too large (limit applies after decompression too); send smaller batches' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_TYPE':
      return { status: 415, message: otlp ? `Unsupported Content-Type; send ${PROTOBUF_TYPE} or ${JSON_TYPE}` : `Unsupported Content-Type; send ${JSON_TYPE}` };
    case 'UNSUPPORTED_ENCODING':
      return { status: 415, message: err.message };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, message: 'Body length does not match Content-Length' };
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return { status: 400, message: `Body does not match its Content-Encoding (not valid gzip or deflate): ${err.message}` };
  }
  if (err instanceof QueryParamError) return { status: 400, message: err.message };
  if (err instanceof NotFoundError) return { status: 404, message: err.message };
  if (err instanceof StoreError) return { status: 503, message: `Storage unavailable: ${err.message}` };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return { status: err.statusCode, message: err.message };
  return { status: 500, message: 'Internal error; see the collector log' };
}

/** A stable code for the access layer's refusals, so the dashboard can tell "signed out" from "not allowed". */
function accessCode(err: { code?: string }): { code?: string } {
  switch (err.code) {
    case 'UNAUTHENTICATED':
      return { code: 'unauthenticated' };
    case 'FORBIDDEN':
      return { code: 'forbidden' };
    case 'TOO_MANY_ATTEMPTS':
      return { code: 'too_many_attempts' };
    case 'CONFLICT':
      return { code: 'conflict' };
    default:
      return {};
  }
}

/** The collector's HTTP server: OTLP/HTTP ingest and the query API on one port. */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: options.maxRequestBytes,
    logger: { level: options.logLevel },
    // One log line per request would drown the log at ingest rates.
    logController: new LogController({ disableRequestLogging: true }),
  });

  // Bodies are taken as raw bytes; each route decodes its own format.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([JSON_TYPE, PROTOBUF_TYPE], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  registerAccessHook(app, options.access);
  if (options.rateLimitPerMinute > 0) {
    // Registered after the access hook, so each key or session is counted under its own name.
    await app.register(rateLimit, {
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      allowList: (request) => request.principal === undefined || request.principal.kind === 'open',
      keyGenerator: (request) => (request.principal ? principalName(request.principal) : request.ip),
      errorResponseBuilder: (_request, context) => rateLimitRefusal(context.max, Math.ceil(context.ttl / 1000)),
    });
  }

  app.addHook('preParsing', async (request, _reply, payload) => decodedBodyStream(payload, request.headers['content-encoding']));

  const { metrics } = options;
  const ingest = metrics.ingest('http');
  app.addHook('onResponse', async (request, reply) => metrics.http.answered(request.method, request.routeOptions.url, reply.statusCode));

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const otlp = request.url.startsWith('/v1/');
    const { status, message } = describeError(err, otlp);
    if (status >= 500) request.log.error({ err }, 'request failed');
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="tunnelvision"');
    if (err instanceof TooManyAttemptsError) reply.header('retry-after', String(err.retryAfterSeconds));
    // OTLP requests refused before or outside their handler; the handler counts its own answers.
    const signal = otlpSignalOf(request);
    if (signal) ingest.refused(signal, ingestRejectionReason(status, err, request, options.maxRequestBytes));
    if (otlp) {
      const retryAfter = err instanceof TooManyAttemptsError ? err.retryAfterSeconds : status === 503 ? options.retryAfterSeconds : undefined;
      return sendOtlpError(reply, wireFormatOf(request.headers['content-type']), status, message, retryAfter);
    }
    if (status === 503) reply.header('retry-after', String(options.retryAfterSeconds));
    return reply.code(status).send({ error: { status, message, ...accessCode(err) } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { status: 404, message: `No route ${request.method} ${request.url.split('?')[0]}; see docs/api.md` } }),
  );

  // CORS is granted on the OTLP paths only: browsers may send telemetry from
  // the configured origins, but no web page may call the query API (which
  // can write deploy markers) from a visitor's browser.
  const otlpCors: FastifyCorsOptions = {
    origin: options.corsOrigins.includes('*') ? '*' : [...options.corsOrigins],
    methods: ['POST'],
    allowedHeaders: ['content-type', 'content-encoding', 'authorization', 'x-tunnelvision-key'],
    exposedHeaders: ['retry-after'],
    maxAge: 86_400,
  };
  const corsFor: FastifyCorsOptionsDelegateCallback = (request, callback) =>
    callback(null, request.url.startsWith('/v1/') ? otlpCors : { origin: false });
  await app.register(cors, () => corsFor);

  const { writer, retryAfterSeconds, client, ready, storeMode, extraStatus, alertingOf, objectives, access } = options;
  const databaseOf = (request: FastifyRequest) => access.databaseOf(tenantOf(request));
  const target = (request: FastifyRequest) => ({
    database: databaseOf(request),
    service: request.principal?.kind === 'key' ? request.principal.service : undefined,
  });
  await app.register(otlpRoutes, { writer, retryAfterSeconds, ingest, attributeLimits: options.attributeLimits, labels: options.labels, receipts: options.receipts, target });
  await app.register(queryRoutes, { writer, client, databaseOf, ready, storeMode, extraStatus, objectives });
  if (alertingOf) await app.register(alertRoutes, { alertingOf });
  await app.register(authRoutes, { access });
  await app.register(adminRoutes, { access, prepareTenant: options.prepareTenant });
  await app.register(metricsRoutes, { metrics });
  return app;
}
