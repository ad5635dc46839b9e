import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { LabelsResponse } from '../api-types.js';
import { instant, parseParams, resolveRange, WHOLE_MINUTES } from './query-params.js';
import { rollupRowsOverSql } from './rollup-rows.js';

const paramsSchema = z.object({ from: instant.optional(), to: instant.optional() });

const LIMIT = 500;

/** GET /api/v1/labels: the values the series filters can take in a time range, from the rollups (for filter pickers). */
export async function queryLabels(client: ClickHouseClient, database: string, rawParams: unknown, now = Date.now()): Promise<LabelsResponse> {
  const p = parseParams(paramsSchema, rawParams);
  return readLabels(client, database, resolveRange(p, now, 86_400_000, 400));
}

/** The filter values seen over a resolved range (epoch ms). */
export async function readLabels(client: ClickHouseClient, database: string, { from, to }: { from: number; to: number }): Promise<LabelsResponse> {
  const columns = { services: 'ServiceName', environments: 'Environment', versions: 'ServiceVersion', servers: 'ServerAddress' };
  const names = Object.values(columns).join(', ');
  // One pass over each rollup for all four columns, not one per column.
  // Events per hour where whole hours fit; active connections have no hourly rollup.
  const events = rollupRowsOverSql(database, 'events', { from, to });
  const result = await client.query({
    query: `SELECT ${Object.entries(columns).map(([key, column]) => `groupUniqArrayIf(${LIMIT})(${column}, ${column} != '') AS ${key}`).join(', ')}
            FROM (SELECT ${names} FROM (${events}) UNION ALL SELECT ${names} FROM ${database}.active_connections_1m WHERE ${WHOLE_MINUTES})`,
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
