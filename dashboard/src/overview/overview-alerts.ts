import type { AlertPeriod } from '@/charts/alert-period';
import type { AlertInstance, AlertObjective, AlertRuleStatus, AlertSignal } from '@/collector-api/types';
import { labelWords } from '../alerts/alert-words';
import type { Filters } from './overview-filters';

/** The overview's time charts, by their `data-chart` id. */
export const OVERVIEW_CHART_IDS = ['reconnects', 'active-connections', 'latency', 'closes', 'lost-messages'] as const;

/** One of the overview's time charts. */
export type OverviewChartId = (typeof OVERVIEW_CHART_IDS)[number];

/** Which chart shows what a rule watches. */
const CHART_OF_SIGNAL: Record<AlertSignal, OverviewChartId> = {
  reconnects: 'reconnects',
  reconnect_attempts: 'reconnects',
  abnormal_closes: 'closes',
  closes: 'closes',
  failed_attempts: 'closes',
  messages_sent: 'lost-messages',
  messages_lost: 'lost-messages',
  heartbeat_timeouts: 'active-connections',
  latency_p50: 'latency',
  latency_p95: 'latency',
  latency_p99: 'latency',
};

const CHART_OF_OBJECTIVE: Record<AlertObjective, OverviewChartId> = {
  delivery_latency: 'latency',
  message_loss: 'lost-messages',
  connect_success: 'closes',
  connection_reliability: 'reconnects',
  delivery_success: 'latency',
};

/** The charts an alert concerns: the one showing its rule's signal or objective; every chart when the rule is unknown. */
function chartsFor(rule: AlertRuleStatus | undefined): readonly OverviewChartId[] {
  if (rule?.signal) return [CHART_OF_SIGNAL[rule.signal]];
  if (rule?.objective) return [CHART_OF_OBJECTIVE[rule.objective]];
  return OVERVIEW_CHART_IDS;
}

/**
 * True when an alert can concern the filtered view: none of its labels (nor
 * its rule's own filters) contradicts a filter. An alert not grouped by a
 * filtered dimension covers all of it, so it stays.
 */
function matchesFilters(alert: AlertInstance, rule: AlertRuleStatus | undefined, filters: Filters): boolean {
  for (const key of ['service', 'environment', 'server'] as const) {
    const wanted = filters[key];
    if (wanted === undefined) continue;
    const label = alert.labels[key] ?? rule?.filters[key];
    if (label !== undefined && label !== wanted) return false;
  }
  return true;
}

/**
 * The alert periods each overview chart shades: episodes that fired (or are
 * pending now) and match the filters, on the chart that shows what their
 * rule watches. Pending episodes that cleared without firing are left out.
 */
export function alertPeriodsByChart(
  alerts: readonly AlertInstance[],
  rules: readonly AlertRuleStatus[],
  filters: Filters,
): Record<OverviewChartId, AlertPeriod[]> {
  const byChart = Object.fromEntries(OVERVIEW_CHART_IDS.map((id) => [id, [] as AlertPeriod[]])) as Record<OverviewChartId, AlertPeriod[]>;
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  for (const alert of alerts) {
    if (alert.fired_at === null && alert.state !== 'pending') continue;
    const rule = ruleById.get(alert.rule_id);
    if (!matchesFilters(alert, rule, filters)) continue;
    const period: AlertPeriod = {
      id: alert.id,
      title: alert.rule_name,
      severity: alert.severity,
      state: alert.state,
      summary: alert.summary,
      labels: labelWords(alert.labels),
      start: Date.parse(alert.active_at),
      firedAt: alert.fired_at ? Date.parse(alert.fired_at) : null,
      end: alert.resolved_at ? Date.parse(alert.resolved_at) : null,
      silenced: alert.silenced_by.length > 0,
    };
    for (const chart of chartsFor(rule)) byChart[chart].push(period);
  }
  return byChart;
}
