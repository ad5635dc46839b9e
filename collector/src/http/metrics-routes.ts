import type { FastifyInstance } from 'fastify';
import type { CollectorMetrics } from '../self-metrics/collector-metrics.js';

export interface MetricsRouteOptions {
  metrics: CollectorMetrics;
}

/**
 * GET /metrics: the collector's own metrics for Prometheus. Open like
 * /healthz, without the ingest key: it reveals counts, durations and
 * process figures, never telemetry or labels a client chose, and a
 * scraper should need no write secret.
 */
export async function metricsRoutes(app: FastifyInstance, options: MetricsRouteOptions): Promise<void> {
  app.get('/metrics', async (_request, reply) => {
    const body = await options.metrics.exposition();
    return reply.type(options.metrics.contentType).send(body);
  });
}
