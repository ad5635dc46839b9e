import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import type { DeployImpact, WindowStats } from '../api-types.js';
import { findDeploy } from './deploys.js';
import { EVENT_CONDITIONS } from './event-conditions.js';
import { duration, parseParams } from './query-params.js';

/**
 * A deploy's effect on its service and environment, comparing the window
 * after it with the same-length window before it (client-side events).
 */

/** When at least this share of the post-deploy reconnects land in one second, it was a thundering herd. */
export const HERD_PEAK_SECOND_SHARE = 0.3;

const paramsSchema = z.object({ window: duration.optional() });

/** GET /api/v1/deploys/:id/impact */
export async function queryDeployImpact(client: ClickHouseClient, database: string, id: string, rawParams: unknown): Promise<DeployImpact> {
  const p = parseParams(paramsSchema, rawParams);
  const windowSeconds = p.window ?? 900;
  const deploy = await findDeploy(client, database, id);
  const at = Date.parse(deploy.time);
  const params = { at, w: windowSeconds, service: deploy.service, environment: deploy.environment };
  // Events of the deploy's service and environment, client side.
  const scope = `ServiceName = {service:String} AND Environment = {environment:String} AND Role != 'server'`;
  const side = `if(Minute < toStartOfMinute(fromUnixTimestamp64Milli({at:Int64})), 'before', 'after')`;
  const minutes = `Minute >= toStartOfMinute(fromUnixTimestamp64Milli({at:Int64}) - toIntervalSecond({w:UInt32}))
                   AND Minute < fromUnixTimestamp64Milli({at:Int64}) + toIntervalSecond({w:UInt32})`;
  const rawWindow = `Timestamp >= fromUnixTimestamp64Milli({at:Int64}) AND Timestamp < fromUnixTimestamp64Milli({at:Int64}) + toIntervalSecond({w:UInt32})`;

  const [counts, latency, seconds, recovery] = await Promise.all([
    rows<{ side: string; minute: string; reconnects: string; closes: string; abnormal: string }>(
      client,
      `SELECT ${side} AS side, Minute AS minute,
              sumIf(Events, ${EVENT_CONDITIONS.reconnects}) AS reconnects,
              sumIf(Events, ${EVENT_CONDITIONS.closes}) AS closes,
              sumIf(Events, ${EVENT_CONDITIONS.abnormal_closes}) AS abnormal
       FROM ${database}.events_1m WHERE ${minutes} AND ${scope}
       GROUP BY side, minute`,
      params,
    ),
    rows<{ side: string; q: number[] }>(
      client,
      `SELECT ${side} AS side, quantilesTDigestMerge(0.5, 0.95, 0.99)(Latency) AS q
       FROM ${database}.latency_1m WHERE ${minutes} AND ${scope} GROUP BY side`,
      params,
    ),
    rows<{ second: string; n: string }>(
      client,
      `SELECT toUnixTimestamp(Timestamp) AS second, count() AS n
       FROM ${database}.logs
       WHERE ${rawWindow} AND ${scope} AND EventName = 'conn.open' AND DowntimeMs IS NOT NULL
       GROUP BY second ORDER BY second`,
      params,
    ),
    rows<{ dropped: string; back: string; kth: string }>(
      client,
      `SELECT count() AS dropped, countIf(back_at > dropped_at) AS back,
              arrayElement(arraySort(groupArrayIf(toUnixTimestamp64Milli(back_at) - {at:Int64}, back_at > dropped_at)),
                           toUInt64(ceil(0.95 * count()))) AS kth
       FROM (
         SELECT d.SessionId, d.dropped_at, minIf(o.Timestamp, o.Timestamp > d.dropped_at) AS back_at
         FROM (
           SELECT SessionId, min(Timestamp) AS dropped_at FROM ${database}.logs
           WHERE ${rawWindow} AND ${scope} AND EventName = 'conn.close' AND DurationMs IS NOT NULL AND CloseCode != 1000 AND SessionId != ''
           GROUP BY SessionId
         ) AS d
         LEFT JOIN (
           SELECT SessionId, Timestamp FROM ${database}.logs
           WHERE ${rawWindow} AND ${scope} AND EventName = 'conn.open' AND DowntimeMs IS NOT NULL
         ) AS o ON o.SessionId = d.SessionId
         GROUP BY d.SessionId, d.dropped_at
       )`,
      params,
    ),
  ]);

  const stats = (name: 'before' | 'after'): WindowStats => {
    const mine = counts.filter((r) => r.side === name);
    const reconnects = sum(mine.map((r) => Number(r.reconnects)));
    const closes = sum(mine.map((r) => Number(r.closes)));
    const abnormal = sum(mine.map((r) => Number(r.abnormal)));
    const q = latency.find((r) => r.side === name)?.q;
    const quantile = (i: number) => (q && Number.isFinite(q[i]) && (q[i] ?? 0) > 0 ? round(q[i]!) : null);
    return {
      reconnects,
      reconnects_per_minute: round(reconnects / (windowSeconds / 60)),
      peak_reconnects_per_minute: Math.max(0, ...mine.map((r) => Number(r.reconnects))),
      closes,
      abnormal_closes: abnormal,
      abnormal_close_share: closes === 0 ? null : round(abnormal / closes),
      latency_p50_ms: quantile(0),
      latency_p95_ms: quantile(1),
      latency_p99_ms: quantile(2),
    };
  };

  const r = recovery[0];
  const dropped = Number(r?.dropped ?? 0);
  const back = Number(r?.back ?? 0);
  const needed = Math.ceil(0.95 * dropped);
  return {
    deploy,
    window_seconds: windowSeconds,
    before: stats('before'),
    after: stats('after'),
    recovery: {
      clients_dropped: dropped,
      clients_back: back,
      seconds_to_95_percent_back: dropped > 0 && needed <= back ? round(Number(r!.kth) / 1000) : null,
    },
    herd: herdFromSeconds(seconds.map((s) => ({ second: Number(s.second), n: Number(s.n) }))),
  };
}

/** Concentration of reconnects in time, from per-second counts. */
export function herdFromSeconds(perSecond: readonly { second: number; n: number }[]): DeployImpact['herd'] {
  const total = sum(perSecond.map((s) => s.n));
  if (total === 0) return { peak_second_share: null, spread_seconds: null, thundering_herd: false };
  const peakShare = Math.max(...perSecond.map((s) => s.n)) / total;
  const at = (fraction: number) => {
    let seen = 0;
    for (const s of perSecond) {
      seen += s.n;
      if (seen >= fraction * total) return s.second;
    }
    return perSecond[perSecond.length - 1]!.second;
  };
  return {
    peak_second_share: round(peakShare),
    spread_seconds: at(0.9) - at(0.1),
    thundering_herd: peakShare >= HERD_PEAK_SECOND_SHARE,
  };
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const round = (value: number) => Math.round(value * 1000) / 1000;
