import type { AlertInstance, AlertObjective, AlertRuleStatus, AlertSeverity, AlertSignal } from '@/collector-api/types';
import { formatMillis, NO_VALUE } from '../shared/format';

/** Signals in words, as a rule's condition reads them. */
export const SIGNAL_WORDS: Record<AlertSignal, string> = {
  reconnects: 'Reconnects',
  reconnect_attempts: 'Reconnect attempts',
  abnormal_closes: 'Abnormal closes',
  closes: 'Closes',
  failed_attempts: 'Failed connection attempts',
  messages_sent: 'Messages sent',
  messages_lost: 'Lost messages',
  heartbeat_timeouts: 'Heartbeat timeouts',
  latency_p50: 'p50 delivery latency',
  latency_p95: 'p95 delivery latency',
  latency_p99: 'p99 delivery latency',
};

/** Objectives in words. */
export const OBJECTIVE_WORDS: Record<AlertObjective, string> = {
  delivery_latency: 'Delivery latency',
  message_loss: 'Message loss',
  connect_success: 'Connect success',
  connection_reliability: 'Connection reliability',
  delivery_success: 'Delivery success',
};

/** Severity, worst first. */
export const SEVERITY_ORDER: readonly AlertSeverity[] = ['page', 'ticket', 'info'];

/** What each severity means, for badges and tooltips. */
export const SEVERITY_WORDS: Record<AlertSeverity, string> = {
  page: 'Page',
  ticket: 'Ticket',
  info: 'Info',
};

/** The worst severity among `alerts`, or null when there are none. */
export function worstSeverity(alerts: readonly Pick<AlertInstance, 'severity'>[]): AlertSeverity | null {
  for (const severity of SEVERITY_ORDER) if (alerts.some((a) => a.severity === severity)) return severity;
  return null;
}

const OP_WORDS: Record<NonNullable<AlertRuleStatus['op']>, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };

const isLatency = (signal: AlertSignal | undefined) => signal !== undefined && signal.startsWith('latency_');

/** A threshold rule's comparison, worded for its signal: "> 5 in the last 1m", "≥ 1,500 ms over the last 5m". */
function comparisonWords(signal: AlertSignal | undefined, op: string, value: number | undefined, window: string): string {
  if (value === undefined) return `${op} ${NO_VALUE}`;
  return isLatency(signal) ? `${op} ${formatMillis(value)} over the last ${window}` : `${op} ${formatNumber(value)} in the last ${window}`;
}

/** Up to two decimals, thousands separated: 14.4 -> "14.4", 1240 -> "1,240", 0.125 -> "0.13". */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 }).format(value);
}

/** ["a"] -> "a", ["a", "b"] -> "a and b", ["a", "b", "c"] -> "a, b and c". */
function listWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Filters and grouping of a rule, in words: " for service chat-web, per service and environment". */
function scopeWords(rule: AlertRuleStatus): string {
  const filters = Object.entries(rule.filters)
    .filter(([key, value]) => key !== 'role' && typeof value === 'string' && value !== '')
    .map(([key, value]) => `${key} ${value}`);
  const parts: string[] = [];
  if (filters.length > 0) parts.push(`only ${filters.join(', ')}`);
  if (rule.group_by.length > 0) parts.push(`per ${listWords(rule.group_by)}`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/** "held 30s" when the rule waits before firing, nothing when it fires at once. */
function holdWords(rule: AlertRuleStatus): string {
  return rule.for && !/^0+[a-z]*$/.test(rule.for) ? `, held for ${rule.for}` : '';
}

/**
 * A rule's condition in one line: "Reconnects > 5 in the last 1m",
 * "Reconnects far above the usual for this time (score ≥ 4, at least 30 in 1m)",
 * "Delivery latency: 99% within 1,000 ms; page when the error budget burns 14.4× over 1h and 5m".
 */
export function describeRuleCondition(rule: AlertRuleStatus): string {
  const scope = scopeWords(rule);
  const hold = holdWords(rule);
  if (rule.kind === 'threshold') {
    const signal = rule.signal ? SIGNAL_WORDS[rule.signal] : 'Signal';
    const op = rule.op ? OP_WORDS[rule.op] : '>';
    return `${signal} ${comparisonWords(rule.signal, op, rule.value, rule.window ?? '1m')}${hold}${scope}`;
  }
  if (rule.kind === 'anomaly') {
    const signal = rule.signal ? SIGNAL_WORDS[rule.signal] : 'Signal';
    const guards: string[] = [];
    if (rule.min_score !== undefined) guards.push(`score ≥ ${formatNumber(rule.min_score)}`);
    if (rule.min_volume !== undefined) guards.push(`at least ${formatNumber(rule.min_volume)} in ${rule.window ?? '1m'}`);
    if (rule.min_ratio !== undefined) guards.push(`≥ ${formatNumber(rule.min_ratio)}× the baseline`);
    return `${signal} far above the usual for this time of day and week${guards.length ? ` (${guards.join(', ')})` : ''}${hold}${scope}`;
  }
  const objective = rule.objective ? OBJECTIVE_WORDS[rule.objective] : 'Objective';
  // Not formatPercent: a 99.9% target must not round to 100%.
  const target = rule.target === undefined ? '' : `${Number((rule.target * 100).toFixed(3))}%`;
  const goal =
    rule.objective === 'delivery_latency' && rule.latency_threshold_ms !== undefined
      ? `${target} within ${formatMillis(rule.latency_threshold_ms)}`
      : rule.objective === 'message_loss'
        ? `${target} delivered`
        : `${target} good`;
  const windows = (rule.windows ?? []).map((w) => `${formatNumber(w.factor)}× over ${w.long} and ${w.short} (${w.severity})`);
  const burn = windows.length > 0 ? `; error budget burning ${windows.join(', or ')}` : '';
  return `${objective}: ${goal}${burn}${scope}`;
}

/**
 * An alert's value with its unit as the collector states it: "ms",
 * "{reconnects}" (a count in the rule's window), "{reconnects}/min" (a
 * rate), "burn rate": "1,340 ms", "30 reconnects", "12 reconnects/min", "14.4×".
 */
export function formatAlertValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  const u = unit.trim();
  if (u === 'ms') return formatMillis(value);
  if (u === 'x' || u === '×' || u === 'burn rate') return `${formatNumber(value)}×`;
  if (u === '') return formatNumber(value);
  // UCUM annotations: {reconnects} is "reconnects", {abnormal_closes}/min is "abnormal closes/min".
  const words = u.replace(/\{([^}]*)\}/g, (_, name: string) => name.replace(/_/g, ' '));
  if (words.startsWith('/')) return `${formatNumber(value)}${words}`;
  return `${formatNumber(value)} ${words}`;
}

/** The comparison an alert's value failed, from its rule: "> 5/min". Anomaly and burn-rate thresholds are lower bounds. */
export function formatThreshold(alert: Pick<AlertInstance, 'threshold' | 'unit' | 'kind'>, rule: AlertRuleStatus | undefined): string {
  if (alert.threshold === null) return NO_VALUE;
  const op = alert.kind === 'threshold' && rule?.op ? OP_WORDS[rule.op] : '≥';
  return `${op} ${formatAlertValue(alert.threshold, alert.unit)}`;
}

/** When an alert started: fired_at when it fired, else when it became pending. */
export function alertOnset(alert: Pick<AlertInstance, 'active_at' | 'fired_at'>): number {
  return Date.parse(alert.fired_at ?? alert.active_at);
}

/** Labels as "service=chat-web, environment=production". */
export function labelWords(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? 'all traffic' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}
