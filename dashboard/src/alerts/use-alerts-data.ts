'use client';

import type { ApiResult } from '@/collector-api/api-problem';
import { fetchCollector } from '@/collector-api/fetch-collector';
import type { AlertInstance, AlertRuleStatus, AlertRulesResponse, AlertsResponse, Silence, SilencesResponse } from '@/collector-api/types';
import { rangeKey, resolveRange, type RangeSelection } from '@/shared/time-range';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';

/** How often a live alerts page refreshes (as the overview). */
export const ALERTS_REFRESH_MILLIS = 5_000;

/** Everything the alerts page shows, fetched together so rules, alerts and silences agree. */
export interface AlertsData {
  from: number;
  to: number;
  /** Episodes overlapping the range, active ones first. */
  alerts: AlertInstance[];
  rules: AlertRuleStatus[];
  /** Every silence the collector keeps (active, pending and expired), newest first. */
  silences: Silence[];
  /** Last completed evaluation, epoch ms; null before the first. */
  evaluatedAt: number | null;
  evaluationIntervalSeconds: number;
}

/** The alerts page's data for a range; a preset range refreshes itself unless `paused`. */
export function useAlertsData(selection: RangeSelection, paused: boolean): PollingQuery<AlertsData> {
  const live = selection.kind === 'preset' && !paused;
  return usePollingQuery<AlertsData>(rangeKey(selection), (signal) => loadAlerts(selection, signal), live ? ALERTS_REFRESH_MILLIS : null);
}

/** Fetches alerts in the range, the rules with their state and the silences. */
export async function loadAlerts(selection: RangeSelection, signal: AbortSignal): Promise<ApiResult<AlertsData>> {
  const range = resolveRange(selection, Date.now());
  const [alerts, rules, silences] = await Promise.all([
    fetchCollector<AlertsResponse>('alerts', { state: 'all', from: range.from, to: range.to }, signal),
    fetchCollector<AlertRulesResponse>('alerts/rules', {}, signal),
    fetchCollector<SilencesResponse>('silences', { state: 'all' }, signal),
  ]);
  if (!alerts.ok) return alerts;
  if (!rules.ok) return rules;
  if (!silences.ok) return silences;
  return {
    ok: true,
    data: {
      from: range.from,
      to: range.to,
      alerts: alerts.data.alerts,
      rules: rules.data.rules,
      silences: silences.data.silences,
      evaluatedAt: alerts.data.evaluated_at ? Date.parse(alerts.data.evaluated_at) : null,
      evaluationIntervalSeconds: rules.data.evaluation_interval_seconds,
    },
  };
}
