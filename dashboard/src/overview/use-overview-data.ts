'use client';

import type { ApiResult } from '@/collector-api/api-problem';
import { fetchCollector } from '@/collector-api/fetch-collector';
import type { AlertRulesResponse, AlertsResponse, OverviewResponse } from '@/collector-api/types';
import { rangeKey, resolveRange, type RangeSelection } from '@/shared/time-range';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';
import { alertPeriodsByChart } from './overview-alerts';
import { buildOverviewData, type OverviewData } from './overview-data';
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

/**
 * Fetches everything the overview needs at this moment: the charts, stat
 * cards, close-code table, deploy markers and filter values in one request
 * (GET /api/v1/overview), and the alert periods from the alerts API, which
 * answers from the alert evaluator's state rather than the telemetry.
 */
export async function loadOverview(selection: RangeSelection, filters: Filters, signal: AbortSignal): Promise<ApiResult<OverviewData>> {
  const range = resolveRange(selection, Date.now());
  const [overview, alerts, rules] = await Promise.all([
    fetchCollector<OverviewResponse>('overview', { from: range.from, to: range.to, step: `${range.stepSeconds}s`, ...filters }, signal),
    fetchCollector<AlertsResponse>('alerts', { state: 'all', from: range.from, to: range.to, service: filters.service, environment: filters.environment }, signal),
    fetchCollector<AlertRulesResponse>('alerts/rules', {}, signal),
  ]);
  if (!overview.ok) return overview;
  const { series, close_codes, deploys, labels } = overview.data;
  const data = buildOverviewData(series, close_codes, deploys.deploys, range);
  data.labels = labels;
  // Alerts only shade the charts; the overview works without them.
  if (alerts.ok) data.alertPeriods = alertPeriodsByChart(alerts.data.alerts, rules.ok ? rules.data.rules : [], filters);
  return { ok: true, data };
}
