import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { Deploy, DeploysResponse } from '../api-types.js';
import { NotFoundError, QueryParamError } from '../errors.js';
import { instant, label, parseParams, resolveRange } from './query-params.js';

/** A deploys row as selected by DEPLOY_COLUMNS: the time as epoch ms. */
type DeployRow = Omit<Deploy, 'time'> & { ms: string | number };

const DEPLOY_COLUMNS = `toString(Id) AS id, toUnixTimestamp64Milli(Timestamp) AS ms, Service AS service, Version AS version,
       Environment AS environment, Commit AS commit, Description AS description`;

const toDeploy = ({ ms, ...rest }: DeployRow): Deploy => ({ ...rest, time: new Date(Number(ms)).toISOString() });

const timeValue = z.union([z.number().int().nonnegative().transform(String), z.string()]).pipe(instant);

const newDeploySchema = z.object({
  service: label,
  version: label,
  environment: label.default('production'),
  commit: z.string().trim().max(256).default(''),
  description: z.string().trim().max(2_000).default(''),
  time: timeValue.optional(),
});

const listDeploysSchema = z.object({
  from: instant.optional(),
  to: instant.optional(),
  service: label.optional(),
  environment: label.optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
});

/** POST /api/v1/deploys: records a deploy marker. */
export async function recordDeploy(client: ClickHouseClient, database: string, body: unknown, now = Date.now()): Promise<Deploy> {
  const d = parseParams(newDeploySchema, body);
  const deploy: Deploy = {
    id: randomUUID(),
    time: new Date(d.time ?? now).toISOString(),
    service: d.service,
    version: d.version,
    environment: d.environment,
    commit: d.commit,
    description: d.description,
  };
  await client.insert({
    table: `${database}.deploys`,
    format: 'JSONEachRow',
    values: [
      {
        Id: deploy.id,
        Timestamp: String(Date.parse(deploy.time)),
        Service: deploy.service,
        Version: deploy.version,
        Environment: deploy.environment,
        Commit: deploy.commit,
        Description: deploy.description,
      },
    ],
  });
  return deploy;
}

/** GET /api/v1/deploys: the newest `limit` deploy markers in a time range, oldest first; `truncated` when more matched. */
export async function listDeploys(
  client: ClickHouseClient,
  database: string,
  rawParams: unknown,
  now = Date.now(),
): Promise<DeploysResponse> {
  const p = parseParams(listDeploysSchema, rawParams);
  return deploysInRange(client, database, { ...resolveRange(p, now, 30 * 86_400_000, 400), service: p.service, environment: p.environment, limit: p.limit });
}

/** What deploysInRange selects: a resolved range (epoch ms), optional service and environment, and how many to keep. */
export interface DeploySelection {
  from: number;
  to: number;
  service?: string | undefined;
  environment?: string | undefined;
  limit: number;
}

/** The newest `limit` deploys of a selection, oldest first. */
export async function deploysInRange(client: ClickHouseClient, database: string, p: DeploySelection): Promise<DeploysResponse> {
  const { from, to } = p;
  const result = await client.query({
    query: `SELECT ${DEPLOY_COLUMNS}
            FROM ${database}.deploys
            WHERE Timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND Timestamp < fromUnixTimestamp64Milli({to:Int64})
              AND ({service:String} = '' OR Service = {service:String})
              AND ({environment:String} = '' OR Environment = {environment:String})
            ORDER BY Timestamp DESC, id DESC
            LIMIT {limit:UInt32}`,
    query_params: { from, to, service: p.service ?? '', environment: p.environment ?? '', limit: p.limit + 1 },
    format: 'JSONEachRow',
  });
  const rows = await result.json<DeployRow>();
  // The newest `limit` deploys are kept, returned oldest first for charts.
  const newest = rows.slice(0, p.limit).reverse();
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    deploys: newest.map(toDeploy),
    truncated: rows.length > p.limit,
  };
}

const DEPLOY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One deploy by id; NotFoundError when there is none, QueryParamError when the id is not a UUID. */
export async function findDeploy(client: ClickHouseClient, database: string, id: string): Promise<Deploy> {
  if (!DEPLOY_ID.test(id)) throw new QueryParamError([`id: "${id}" is not a deploy id (a UUID from POST /api/v1/deploys)`]);
  const result = await client.query({
    query: `SELECT ${DEPLOY_COLUMNS}
            FROM ${database}.deploys WHERE Id = {id:UUID} LIMIT 1`,
    query_params: { id },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<DeployRow>();
  if (!row) throw new NotFoundError(`No deploy with id ${id}`);
  return toDeploy(row);
}
