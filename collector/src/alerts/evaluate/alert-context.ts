import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertDeploy, AlertInstance } from '../../api-types.js';
import type { GroupLabels } from '../signals/signal-reader.js';

/** How far before an alert's onset a deploy still counts as its likely cause. */
export const DEPLOY_LOOKBACK_MILLIS = 60 * 60_000;
/** A deploy marker posted a little after the storm began (CI records it when the rollout ends) still counts. */
const DEPLOY_LOOKAHEAD_MILLIS = 2 * 60_000;
/** The dashboard link shows this much before the onset. */
const LINK_BEFORE_MILLIS = 15 * 60_000;

/**
 * The deploy of the alert's service (and environment, when known) closest
 * before its onset within the last hour, or null. Without a service label
 * there is no way to tell which deploy is meant.
 */
export async function nearestDeploy(client: ClickHouseClient, database: string, labels: GroupLabels, service: string | undefined, onset: number): Promise<AlertDeploy | null> {
  const svc = labels.service ?? service;
  if (!svc) return null;
  const result = await client.query({
    query: `SELECT toString(Id) AS id, toUnixTimestamp64Milli(Timestamp) AS ms, Version AS version, Commit AS commit, Environment AS environment
            FROM ${database}.deploys
            WHERE Service = {service:String} AND ({environment:String} = '' OR Environment = {environment:String})
              AND Timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND Timestamp <= fromUnixTimestamp64Milli({to:Int64})
            ORDER BY abs(toUnixTimestamp64Milli(Timestamp) - {onset:Int64}) + if(toUnixTimestamp64Milli(Timestamp) > {onset:Int64}, 3600000, 0)
            LIMIT 1`,
    query_params: {
      service: svc,
      environment: labels.environment ?? '',
      from: onset - DEPLOY_LOOKBACK_MILLIS,
      to: onset + DEPLOY_LOOKAHEAD_MILLIS,
      onset,
    },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ id: string; ms: string; version: string; commit: string; environment: string }>();
  if (!row) return null;
  const at = Number(row.ms);
  return {
    id: row.id,
    version: row.version,
    commit: row.commit,
    environment: row.environment,
    time: new Date(at).toISOString(),
    minutes_before_onset: Math.max(0, Math.floor((onset - at) / 60_000)),
  };
}

/** The overview around the alert's onset, filtered to its labels: where the link in a page takes on-call. */
export function dashboardLink(dashboardUrl: string, labels: GroupLabels, activeAt: number, resolvedAt: number | null): string {
  const params = new URLSearchParams({
    range: 'custom',
    from: new Date(activeAt - LINK_BEFORE_MILLIS).toISOString(),
    to: new Date(Math.max(resolvedAt ?? activeAt, activeAt) + LINK_BEFORE_MILLIS).toISOString(),
  });
  for (const key of ['service', 'environment', 'server'] as const) if (labels[key]) params.set(key, labels[key]);
  return `${dashboardUrl.replace(/\/+$/, '')}/?${params.toString()}`;
}

/** "chat (production, gw-1:443)": the labels in words. */
export function describeLabels(labels: GroupLabels): string {
  const rest = [labels.environment, labels.server].filter(Boolean);
  const head = labels.service || 'all services';
  return rest.length > 0 ? `${head} (${rest.join(', ')})` : head;
}

/** The notification's one-line text: what, where, why, since when and the likely deploy. */
export function notificationText(alert: AlertInstance, status: 'firing' | 'resolved'): string {
  const since = `${alert.active_at.slice(11, 19)} UTC`;
  if (status === 'resolved') {
    const minutes = Math.max(1, Math.round((Date.parse(alert.resolved_at ?? alert.updated_at) - Date.parse(alert.active_at)) / 60_000));
    return `Resolved: ${alert.summary} (started ${since}, lasted about ${minutes} min).`;
  }
  const deploy = alert.deploy
    ? ` It began ${alert.deploy.minutes_before_onset} min after the deploy of ${alert.labels.service ?? 'the service'} ${alert.deploy.version}${alert.deploy.commit ? ` (commit ${alert.deploy.commit.slice(0, 7)})` : ''}.`
    : '';
  return `${alert.summary}, since ${since}.${deploy}`;
}
