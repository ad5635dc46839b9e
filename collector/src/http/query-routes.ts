import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fromStore } from './from-store.js';
import { jsonBody } from './json-body.js';
import { queryCloseCodes } from '../query/close-codes-query.js';
import { queryLabels } from '../query/labels-query.js';
import { queryDeployImpact } from '../query/deploy-impact.js';
import { listDeploys, recordDeploy } from '../query/deploys.js';
import { queryOverview } from '../query/overview-query.js';
import { compareCohorts } from '../reliability/cohort-comparison.js';
import { DEFAULT_OBJECTIVES, type Objective } from '../reliability/objective-definitions.js';
import { queryObjectives } from '../reliability/objectives-query.js';
import { queryReliability } from '../reliability/reliability-query.js';
import { querySeries } from '../query/series-query.js';
import { queryTimeline } from '../query/timeline-query.js';
import type { BatchWriter } from '../ingest/batch-writer.js';

export interface QueryRouteOptions {
  client: ClickHouseClient;
  /** The caller's tenant database: every query reads that one only (docs/security.md). */
  databaseOf: (request: FastifyRequest) => string;
  writer: BatchWriter;
  ready: () => Promise<{ ok: true } | { ok: false; reason: string }>;
  storeMode: 'embedded' | 'server';
  /** The objectives GET /api/v1/objectives reports (OBJECTIVES_FILE, else the defaults). */
  objectives?: readonly Objective[];
  /** More of the collector's state for GET /api/v1/status (the caller's tenant's last alert cycle). */
  extraStatus?: (request: FastifyRequest) => Record<string, unknown>;
}

/** Health probes and the JSON query API under /api/v1 (docs/api.md). */
export async function queryRoutes(app: FastifyInstance, options: QueryRouteOptions): Promise<void> {
  const { client, databaseOf } = options;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const ready = await options.ready();
    if (ready.ok) return { status: 'ready', store: options.storeMode };
    return reply.code(503).send({ status: 'not_ready', reason: ready.reason });
  });

  app.get('/api/v1/status', async (request) => ({ store: options.storeMode, writer: options.writer.stats(), ...options.extraStatus?.(request) }));

  app.get('/api/v1/timeline', async (request) => fromStore(() => queryTimeline(client, databaseOf(request), request.query)));

  app.get('/api/v1/series', async (request) => fromStore(() => querySeries(client, databaseOf(request), request.query)));

  app.get('/api/v1/overview', async (request) => fromStore(() => queryOverview(client, databaseOf(request), request.query)));

  app.get('/api/v1/reliability', async (request) => fromStore(() => queryReliability(client, databaseOf(request), request.query)));

  app.get('/api/v1/reliability/compare', async (request) => fromStore(() => compareCohorts(client, databaseOf(request), request.query)));

  app.get('/api/v1/objectives', async (request) => fromStore(() => queryObjectives(client, databaseOf(request), options.objectives ?? DEFAULT_OBJECTIVES)));

  app.get('/api/v1/labels', async (request) => fromStore(() => queryLabels(client, databaseOf(request), request.query)));

  app.get('/api/v1/close-codes', async (request) => fromStore(() => queryCloseCodes(client, databaseOf(request), request.query)));

  app.get('/api/v1/deploys', async (request) => fromStore(() => listDeploys(client, databaseOf(request), request.query)));

  app.get<{ Params: { id: string } }>('/api/v1/deploys/:id/impact', async (request) =>
    fromStore(() => queryDeployImpact(client, databaseOf(request), request.params.id, request.query)),
  );

  app.post('/api/v1/deploys', async (request, reply) => {
    const deploy = await fromStore(() => recordDeploy(client, databaseOf(request), jsonBody(request.body)));
    return reply.code(201).send({ deploy });
  });
}
