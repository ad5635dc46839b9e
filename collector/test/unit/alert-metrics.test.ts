import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/alerts/alert-evaluator.js';
import type { Alerting } from '../../src/alerts/alerting.js';
import type { WebhookNotifierStats } from '../../src/alerts/notify/webhook-notifier.js';
import { AlertMetrics } from '../../src/self-metrics/alert-metrics.js';
import { parseExposition } from '../support/prometheus-text.js';

/** The parts of Alerting that AlertMetrics reads at scrape time. */
function fakeAlerting(last: Partial<CycleReport> | null, stats: WebhookNotifierStats | undefined) {
  return {
    evaluator: { status: () => ({ last, ruleErrors: new Map() }), activeAlerts: () => ({ pending: 1, firing: 2 }) },
    notifier: stats && { stats: () => stats },
  } as unknown as Alerting;
}

const report = (leader: boolean, millis: number, failedRules = 0) => ({ leader, millis, failedRules }) as CycleReport;

describe('AlertMetrics', () => {
  it('counts cycles by role, their duration, and failed cycles and rules', async () => {
    const registry = new Registry();
    const metrics = new AlertMetrics(registry);
    metrics.cycleEnded({ status: 'completed', report: report(true, 250, 2) });
    metrics.cycleEnded({ status: 'completed', report: report(false, 1_000) });
    metrics.cycleEnded({ status: 'failed', millis: 5, error: new Error('store down') });
    const text = parseExposition(await registry.metrics());
    expect(text.value('tunnelvision_alert_evaluation_cycles_total', { role: 'leader' })).toBe(1);
    expect(text.value('tunnelvision_alert_evaluation_cycles_total', { role: 'follower' })).toBe(1);
    expect(text.value('tunnelvision_alert_evaluation_duration_seconds_sum', { role: 'leader' })).toBe(0.25);
    expect(text.value('tunnelvision_alert_evaluation_duration_seconds_bucket', { role: 'leader', le: '0.25' })).toBe(1);
    expect(text.value('tunnelvision_alert_evaluation_failures_total', { scope: 'cycle' })).toBe(1);
    expect(text.value('tunnelvision_alert_evaluation_failures_total', { scope: 'rule' })).toBe(2);
  });

  it('reads leadership, active alerts and the webhook counters at each scrape', async () => {
    const registry = new Registry();
    const metrics = new AlertMetrics(registry);
    const stats: WebhookNotifierStats = { queued: 2, inFlight: 1, delivered: 5, failedAttempts: 3, gaveUp: 1, dropped: 0, lastError: null };
    metrics.watch(fakeAlerting(report(true, 10), stats));

    let text = parseExposition(await registry.metrics());
    expect(text.value('tunnelvision_alert_evaluator_leader')).toBe(1);
    expect(text.value('tunnelvision_alerts', { state: 'pending' })).toBe(1);
    expect(text.value('tunnelvision_alerts', { state: 'firing' })).toBe(2);
    expect(text.value('tunnelvision_alert_notifications_total', { outcome: 'delivered' })).toBe(5);
    expect(text.value('tunnelvision_alert_notifications_total', { outcome: 'failed' })).toBe(1);
    expect(text.value('tunnelvision_alert_notifications_total', { outcome: 'dropped' })).toBe(0);
    expect(text.value('tunnelvision_alert_notification_attempt_failures_total')).toBe(3);
    expect(text.value('tunnelvision_alert_notifications_queued')).toBe(3);

    // A later scrape shows the notifier's counters as they are then, not added twice.
    stats.delivered = 7;
    text = parseExposition(await registry.metrics());
    expect(text.value('tunnelvision_alert_notifications_total', { outcome: 'delivered' })).toBe(7);
    expect(text.value('tunnelvision_alert_notification_attempt_failures_total')).toBe(3);
  });

  it('shows a replica that does not lead as 0, and the webhook counters as 0 without a webhook', async () => {
    const registry = new Registry();
    const metrics = new AlertMetrics(registry);
    metrics.watch(fakeAlerting(report(false, 10), undefined));
    const text = parseExposition(await registry.metrics());
    expect(text.value('tunnelvision_alert_evaluator_leader')).toBe(0);
    const webhook = text.samples.filter((s) => s.name.startsWith('tunnelvision_alert_notification'));
    expect(webhook.map((s) => s.labels.outcome ?? s.name).sort()).toEqual(['delivered', 'dropped', 'failed', 'tunnelvision_alert_notification_attempt_failures_total', 'tunnelvision_alert_notifications_queued']);
    expect(webhook.every((s) => s.value === 0)).toBe(true);
  });
});
