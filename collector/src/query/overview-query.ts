import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { OverviewResponse, OverviewSeriesMetric } from '../api-types.js';
import { countCloseCodes } from './close-codes-query.js';
import { deploysInRange } from './deploys.js';
import { filterParams } from './filters.js';
import { readLabels } from './labels-query.js';
import { parseParams } from './query-params.js';
import { rollupSeries, seriesWindow, windowParams } from './series-query.js';

/** The series of GET /api/v1/overview, in the order the docs list them. */
export const OVERVIEW_SERIES = [
  'active_connections',
  'reconnects',
  'latency_p50',
  'latency_p95',
  'latency_p99',
  'abnormal_closes',
  'closes',
  'failed_attempts',
  'messages_lost',
] as const satisfies readonly OverviewSeriesMetric[];

/** Deploy markers returned, as GET /api/v1/deploys?limit=200. */
const DEPLOY_LIMIT = 200;

const paramsSchema = z.object({ ...windowParams, ...filterParams });

/**
 * GET /api/v1/overview: the overview page's series, close codes, deploy
 * markers and filter values for one window, in one response. The store
 * queries run concurrently: one per rollup table for the series (not one
 * per metric), plus close codes, deploys and labels.
 */
export async function queryOverview(client: ClickHouseClient, database: string, rawParams: unknown, now = Date.now()): Promise<OverviewResponse> {
  const p = parseParams(paramsSchema, rawParams);
  const window = seriesWindow(p, now);
  const range = { from: window.from, to: window.to };
  const [series, closeCodes, deploys, labels] = await Promise.all([
    rollupSeries(client, database, OVERVIEW_SERIES, p, window),
    countCloseCodes(client, database, range, p),
    deploysInRange(client, database, { ...range, service: p.service, environment: p.environment, limit: DEPLOY_LIMIT }),
    readLabels(client, database, range),
  ]);
  return {
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    step_seconds: window.step,
    series,
    close_codes: closeCodes,
    deploys,
    labels,
  };
}
