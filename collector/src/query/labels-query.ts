import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { LabelsResponse } from '../api-types.js';
import { instant, parseParams, resolveRange, WHOLE_MINUTES } from './query-params.js';

const paramsSchema = z.object({ from: instant.optional(), to: instant.optional() });

const LIMIT = 500;

/** GET /api/v1/labels: the values the series filters can take in a time range, from the rollups (for filter pickers). */
export async function queryLabels(client: ClickHouseClient, database: string, rawParams: unknown, now = Date.now()): Promise<LabelsResponse> {
  const p = parseParams(paramsSchema, rawParams);
  const { from, to } = resolveRange(p, now, 86_400_000, 400);
  const range = WHOLE_MINUTES;
  const both = (column: string) => `
    SELECT groupUniqArray(${LIMIT})(v) FROM (
      SELECT DISTINCT ${column} AS v FROM ${database}.events_1m WHERE ${range} AND ${column} != ''
      UNION ALL
      SELECT DISTINCT ${column} AS v FROM ${database}.active_connections_1m WHERE ${range} AND ${column} != ''
    )`;
  const result = await client.query({
    query: `SELECT (${both('ServiceName')}) AS services, (${both('Environment')}) AS environments,
                   (${both('ServiceVersion')}) AS versions, (${both('ServerAddress')}) AS servers`,
    query_params: { from, to },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<'services' | 'environments' | 'versions' | 'servers', string[]>>();
  const sorted = (values: string[] | undefined) => [...(values ?? [])].sort();
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    services: sorted(row?.services),
    environments: sorted(row?.environments),
    versions: sorted(row?.versions),
    servers: sorted(row?.servers),
  };
}
