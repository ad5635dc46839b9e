import type { ClickHouseClient } from '@clickhouse/client';
import type { FastifyInstance } from 'fastify';
import { QueryParamError } from '../errors.js';
import { fromStore } from './from-store.js';
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
  database: string;
  writer: BatchWriter;
  ready: () => Promise<{ ok: true } | { ok: false; reason: string }>;
  storeMode: 'embedded' | 'server';
  /** The objectives GET /api/v1/objectives reports (OBJECTIVES_FILE, else the defaults). */
  objectives?: readonly Objective[];
  /** More of the collector's state for GET /api/v1/status (the alert evaluator's last cycle). */
  extraStatus?: () => Record<string, unknown>;
}

/** Health probes and the JSON query API under /api/v1 (docs/api.md). */
export async function queryRoutes(app: FastifyInstance, options: QueryRouteOptions): Promise<void> {
  const { client, database } = options;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const ready = await options.ready();
    if (ready.ok) return { status: 'ready', store: options.storeMode };
    return reply.code(503).send({ status: 'not_ready', reason: ready.reason });
  });

  app.get('/api/v1/status', async () => ({ store: options.storeMode, writer: options.writer.stats(), ...options.extraStatus?.() }));

  app.get('/api/v1/timeline', async (request) => fromStore(() => queryTimeline(client, database, request.query)));

  app.get('/api/v1/series', async (request) => fromStore(() => querySeries(client, database, request.query)));

  app.get('/api/v1/overview', async (request) => fromStore(() => queryOverview(client, database, request.query)));

  app.get('/api/v1/reliability', async (request) => fromStore(() => queryReliability(client, database, request.query)));

  app.get('/api/v1/reliability/compare', async (request) => fromStore(() => compareCohorts(client, database, request.query)));

  app.get('/api/v1/objectives', async () => fromStore(() => queryObjectives(client, database, options.objectives ?? DEFAULT_OBJECTIVES)));

  app.get('/api/v1/labels', async (request) => fromStore(() => queryLabels(client, database, request.query)));

  app.get('/api/v1/close-codes', async (request) => fromStore(() => queryCloseCodes(client, database, request.query)));

  app.get('/api/v1/deploys', async (request) => fromStore(() => listDeploys(client, database, request.query)));

  app.get<{ Params: { id: string } }>('/api/v1/deploys/:id/impact', async (request) =>
    fromStore(() => queryDeployImpact(client, database, request.params.id, request.query)),
  );

  app.post('/api/v1/deploys', async (request, reply) => {
    const raw = (request.body as Buffer | undefined) ?? Buffer.alloc(0);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new QueryParamError([`body: not valid JSON (${(err as Error).message})`]);
    }
    const deploy = await fromStore(() => recordDeploy(client, database, body));
    return reply.code(201).send({ deploy });
  });
}
