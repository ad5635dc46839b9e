import { z } from 'zod';
import { isLatencyThreshold, LATENCY_THRESHOLD_CHOICES } from '../../reliability/measures.js';
import type { AlertRule } from '../../api-types.js';
import { label } from '../../query/query-params.js';
import { parseRuleDuration, ruleDuration } from './rule-duration.js';

/**
 * The one definition of an alert rule as users write it (ALERT_RULES_FILE,
 * POST /api/v1/alerts/rules) and as the API returns it. Parsing fills every
 * default, so what the API shows is what the evaluator does
 * (docs/alerts.md lists each field).
 */

export const COUNTED_ALERT_SIGNALS = [
  'reconnects',
  'reconnect_attempts',
  'abnormal_closes',
  'closes',
  'failed_attempts',
  'messages_sent',
  'messages_lost',
  'heartbeat_timeouts',
] as const;
export const LATENCY_ALERT_SIGNALS = ['latency_p50', 'latency_p95', 'latency_p99'] as const;
const ALL_SIGNALS = [...COUNTED_ALERT_SIGNALS, ...LATENCY_ALERT_SIGNALS] as const;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const severity = z.enum(['page', 'ticket', 'info']);

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be 1-64 lowercase letters, digits, "-", "_" or "." (e.g. reconnect-storm)'),
  name: z.string().trim().min(1).max(120),
  enabled: z.boolean().default(true),
  severity: severity.default('page'),
  description: z.string().trim().max(1_000).default(''),
  runbook: z.string().trim().max(2_000).default(''),
  group_by: z
    .array(z.enum(['service', 'environment', 'server']))
    .max(3)
    .refine((labels) => new Set(labels).size === labels.length, 'must not repeat a label')
    .default(['service', 'environment', 'server']),
  filters: z
    .object({
      service: label.optional(),
      environment: label.optional(),
      server: label.optional(),
      role: z.enum(['client', 'server']).default('client'),
    })
    .strict()
    .default({ role: 'client' }),
  for: ruleDuration(0, DAY).default('0s'),
  keep_firing_for: ruleDuration(0, DAY).default('2m'),
  renotify_every: ruleDuration(0, 30 * DAY).default('4h'),
};

const thresholdRule = z
  .object({
    ...common,
    kind: z.literal('threshold'),
    signal: z.enum(ALL_SIGNALS, { message: `must be one of: ${ALL_SIGNALS.join(', ')}` }),
    window: ruleDuration(10 * SECOND, DAY, 10 * SECOND).default('1m'),
    op: z.enum(['>', '>=', '<', '<=']).default('>'),
    value: z.number().finite(),
  })
  .strict();

const anomalyRule = z
  .object({
    ...common,
    kind: z.literal('anomaly'),
    signal: z.enum(COUNTED_ALERT_SIGNALS, { message: `must be a counted signal: ${COUNTED_ALERT_SIGNALS.join(', ')}` }),
    window: ruleDuration(MINUTE, HOUR, MINUTE).default('1m'),
    min_score: z.number().positive().max(1_000).default(5),
    min_volume: z.number().nonnegative().default(30),
    min_ratio: z.number().min(1).max(1_000).default(2),
    baseline_days: z.number().int().min(0).max(60).default(14),
    baseline_weeks: z.number().int().min(0).max(12).default(4),
    baseline_neighbourhood: ruleDuration(0, 2 * HOUR, MINUTE).default('15m'),
  })
  .strict();

const burnRateWindow = z
  .object({
    long: ruleDuration(MINUTE, 7 * DAY, 10 * SECOND),
    short: ruleDuration(10 * SECOND, 7 * DAY, 10 * SECOND),
    factor: z.number().positive().max(10_000),
    severity: severity.default('page'),
  })
  .strict();

const burnRateRule = z
  .object({
    ...common,
    kind: z.literal('burn_rate'),
    objective: z.enum(['delivery_latency', 'message_loss', 'connect_success', 'connection_reliability', 'delivery_success']),
    target: z.number().gt(0).lt(1),
    latency_threshold_ms: z.number().positive().max(3_600_000).optional(),
    windows: z
      .array(burnRateWindow)
      .min(1)
      .max(6)
      .default([
        { long: '1h', short: '5m', factor: 14.4, severity: 'page' },
        { long: '6h', short: '30m', factor: 6, severity: 'ticket' },
      ]),
    min_events: z.number().int().nonnegative().default(100),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.objective === 'delivery_latency' && rule.latency_threshold_ms === undefined) {
      ctx.addIssue({ code: 'custom', path: ['latency_threshold_ms'], message: 'is required for objective delivery_latency (e.g. 1000)' });
    }
    if (rule.objective === 'delivery_success' && rule.latency_threshold_ms !== undefined && !isLatencyThreshold(rule.latency_threshold_ms)) {
      ctx.addIssue({ code: 'custom', path: ['latency_threshold_ms'], message: `for delivery_success ${LATENCY_THRESHOLD_CHOICES} (docs/objectives.md)` });
    }
    rule.windows.forEach((w, i) => {
      if (parseRuleDuration(w.short)! > parseRuleDuration(w.long)!) {
        ctx.addIssue({ code: 'custom', path: ['windows', i, 'short'], message: `must not be longer than long (${w.long})` });
      }
    });
  });

/** A rule as written: kind decides which fields apply; unknown fields are refused so typos do not pass silently. */
export const alertRuleInput = z.discriminatedUnion('kind', [thresholdRule, anomalyRule, burnRateRule], {
  error: (issue) => (issue.code === 'invalid_union' ? 'kind: must be one of: threshold, anomaly, burn_rate' : undefined),
});

/** A parsed rule (every default filled), before its source is known. */
export type ParsedAlertRule = z.infer<typeof alertRuleInput>;

/** The API shape of a parsed rule from `source`. */
export function toAlertRule(parsed: ParsedAlertRule, source: AlertRule['source']): AlertRule {
  return { ...parsed, source } as AlertRule;
}
