import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { ABNORMAL_CLOSE_CODES, describeCloseCode } from '@tunnelvision/semconv';
import type { CloseCodesResponse } from '../api-types.js';
import { filterParams, filterSql, type Filters } from './filters.js';
import { instant, parseParams, resolveRange } from './query-params.js';
import { rollupRowsOverSql } from './rollup-rows.js';

const paramsSchema = z.object({ from: instant.optional(), to: instant.optional(), ...filterParams });

/** GET /api/v1/close-codes: how open connections ended in a time range, most frequent first (from the rollups); failed attempts are not closes of a connection. */
export async function queryCloseCodes(
  client: ClickHouseClient,
  database: string,
  rawParams: unknown,
  now = Date.now(),
): Promise<CloseCodesResponse> {
  const p = parseParams(paramsSchema, rawParams);
  return countCloseCodes(client, database, resolveRange(p, now, 3_600_000, 400), p);
}

/** The close-code breakdown over a resolved range (epoch ms) and filters. */
export async function countCloseCodes(
  client: ClickHouseClient,
  database: string,
  { from, to }: { from: number; to: number },
  filters: Filters,
): Promise<CloseCodesResponse> {
  const { where, params } = filterSql(filters);
  const result = await client.query({
    query: `SELECT CloseCode AS code, sum(Events) AS count
            FROM (${rollupRowsOverSql(database, 'events', { from, to })})
            WHERE EventName = 'conn.close' AND FailedAttempt = 0
              AND ${where}
            GROUP BY code ORDER BY count DESC, code`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = (await result.json<{ code: number; count: string | number }>()).map((r) => ({ code: Number(r.code), count: Number(r.count) }));
  const total = rows.reduce((n, r) => n + r.count, 0);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    total,
    codes: rows.map((r) => ({
      code: r.code,
      meaning: describeCloseCode(r.code),
      abnormal: ABNORMAL_CLOSE_CODES.includes(r.code),
      count: r.count,
      share: total === 0 ? 0 : r.count / total,
    })),
  };
}
