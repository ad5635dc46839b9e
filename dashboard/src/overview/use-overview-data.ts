'use client';

import type { ApiResult } from '@/collector-api/api-problem';
import { fetchCollector } from '@/collector-api/fetch-collector';
import type { AlertRulesResponse, AlertsResponse, CloseCodesResponse, DeploysResponse, LabelsResponse, SeriesResponse } from '@/collector-api/types';
import { rangeKey, resolveRange, type RangeSelection } from '@/shared/time-range';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';
import { alertPeriodsByChart } from './overview-alerts';
import { buildOverviewData, OVERVIEW_METRICS, type OverviewData, type OverviewMetric } from './overview-data';
import type { Filters } from './overview-filters';

/** How often a live overview refreshes. */
export const OVERVIEW_REFRESH_MILLIS = 5_000;

/**
 * The overview's data for a range and filters: every series, the close-code
 * breakdown, the deploy markers and the alert periods, fetched together so the charts always
 * agree. A preset range refreshes every few seconds unless `paused`.
 */
export function useOverviewData(selection: RangeSelection, filters: Filters, paused: boolean): PollingQuery<OverviewData> {
  const key = JSON.stringify({ range: rangeKey(selection), filters });
  const live = selection.kind === 'preset' && !paused;
  return usePollingQuery<OverviewData>(key, (signal) => loadOverview(selection, filters, signal), live ? OVERVIEW_REFRESH_MILLIS : null);
}

/** Fetches everything the overview needs at this moment. */
export async function loadOverview(selection: RangeSelection, filters: Filters, signal: AbortSignal): Promise<ApiResult<OverviewData>> {
  const range = resolveRange(selection, Date.now());
  const window = { from: range.from, to: range.to, ...filters };
  const [series, closeCodes, deploys, labels, alerts, rules] = await Promise.all([
    Promise.all(
      OVERVIEW_METRICS.map((metric) => fetchCollector<SeriesResponse>('series', { ...window, metric, step: `${range.stepSeconds}s` }, signal)),
    ),
    fetchCollector<CloseCodesResponse>('close-codes', window, signal),
    fetchCollector<DeploysResponse>(
      'deploys',
      { from: range.from, to: range.to, service: filters.service, environment: filters.environment, limit: 200 },
      signal,
    ),
    fetchCollector<LabelsResponse>('labels', { from: range.from, to: range.to }, signal),
    fetchCollector<AlertsResponse>('alerts', { state: 'all', from: range.from, to: range.to, service: filters.service, environment: filters.environment }, signal),
    fetchCollector<AlertRulesResponse>('alerts/rules', {}, signal),
  ]);
  const failed = [...series, closeCodes, deploys].find((r) => !r.ok);
  if (failed && !failed.ok) return failed;
  const byMetric = {} as Record<OverviewMetric, SeriesResponse>;
  OVERVIEW_METRICS.forEach((metric, i) => {
    const result = series[i]!;
    if (result.ok) byMetric[metric] = result.data;
  });
  if (!closeCodes.ok || !deploys.ok) throw new Error('unreachable');
  // Labels only feed the filter pickers, and alerts only shade the charts; the overview works without them.
  const data = buildOverviewData(byMetric, closeCodes.data, deploys.data.deploys, range);
  if (labels.ok) data.labels = labels.data;
  if (alerts.ok) data.alertPeriods = alertPeriodsByChart(alerts.data.alerts, rules.ok ? rules.data.rules : [], filters);
  return { ok: true, data };
}
