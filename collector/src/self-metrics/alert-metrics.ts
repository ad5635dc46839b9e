import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CycleOutcome } from '../alerts/alert-evaluator.js';
import type { Alerting } from '../alerts/alerting.js';

const CYCLE_BUCKETS_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The alert evaluator and its webhook. Cycles are counted as they end;
 * leadership, active alerts and the webhook's counters are read at scrape
 * time from the evaluator and the notifier, which already keep them.
 */
export class AlertMetrics {
  private readonly cycles: Counter<'role'>;
  private readonly cycleDuration: Histogram<'role'>;
  private readonly failures: Counter<'scope'>;
  private alerting: Alerting | undefined;

  constructor(registry: Registry) {
    this.cycles = new Counter({
      name: 'tunnelvision_alert_evaluation_cycles_total',
      help: 'Alert evaluation cycles that completed, by role: leader (evaluated the rules) or follower (found another replica leading).',
      labelNames: ['role'],
      registers: [registry],
    });
    this.cycleDuration = new Histogram({
      name: 'tunnelvision_alert_evaluation_duration_seconds',
      help: 'Time of each completed alert evaluation cycle, by role.',
      labelNames: ['role'],
      buckets: CYCLE_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.failures = new Counter({
      name: 'tunnelvision_alert_evaluation_failures_total',
      help: 'Alert evaluation failures: scope="cycle" a whole cycle (usually the store), scope="rule" one rule in a cycle.',
      labelNames: ['scope'],
      registers: [registry],
    });
    for (const role of ['leader', 'follower']) this.cycles.inc({ role }, 0);
    for (const scope of ['cycle', 'rule']) this.failures.inc({ scope }, 0);

    const source = () => this.alerting;
    new Gauge({
      name: 'tunnelvision_alert_evaluator_leader',
      help: '1 while this replica leads alert evaluation (holds the lease at its last cycle), else 0.',
      registers: [registry],
      collect() {
        const alerting = source();
        if (alerting) this.set(alerting.evaluator.status().last?.leader ? 1 : 0);
      },
    });
    new Gauge({
      name: 'tunnelvision_alerts',
      help: 'Active alerts by state (pending, firing); only the leading replica holds any, so sum() across replicas.',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const alerting = source();
        if (!alerting) return;
        const { pending, firing } = alerting.evaluator.activeAlerts();
        this.set({ state: 'pending' }, pending);
        this.set({ state: 'firing' }, firing);
      },
    });
    // The notifier keeps monotonic counters; these counters copy them at
    // each scrape. Without ALERT_WEBHOOK_URL there is no notifier: all stay 0.
    const notifications = new Counter({
      name: 'tunnelvision_alert_notifications_total',
      help: 'Alert notifications by outcome: delivered (2xx), failed (given up: permanent error, attempts or age exhausted), dropped (queue full or shut down).',
      labelNames: ['outcome'],
      registers: [registry],
      collect() {
        const stats = source()?.notifier?.stats();
        if (!stats) return;
        this.reset();
        this.inc({ outcome: 'delivered' }, stats.delivered);
        this.inc({ outcome: 'failed' }, stats.gaveUp);
        this.inc({ outcome: 'dropped' }, stats.dropped);
      },
    });
    for (const outcome of ['delivered', 'failed', 'dropped']) notifications.inc({ outcome }, 0);
    new Counter({
      name: 'tunnelvision_alert_notification_attempt_failures_total',
      help: 'Webhook attempts that failed in a way worth retrying (network, timeout, 408, 425, 429, 5xx).',
      registers: [registry],
      collect() {
        const stats = source()?.notifier?.stats();
        if (!stats) return;
        this.reset();
        this.inc(stats.failedAttempts);
      },
    });
    new Gauge({
      name: 'tunnelvision_alert_notifications_queued',
      help: 'Notifications waiting for the webhook, the one in flight included.',
      registers: [registry],
      collect() {
        const stats = source()?.notifier?.stats();
        if (stats) this.set(stats.queued + stats.inFlight);
      },
    });
  }

  /** Reads leadership, active alerts and the webhook's counters from `alerting` at each scrape. */
  watch(alerting: Alerting): void {
    this.alerting = alerting;
  }

  /** Counts one ended cycle; the evaluator's onCycle hook. */
  cycleEnded(outcome: CycleOutcome): void {
    if (outcome.status === 'failed') {
      this.failures.inc({ scope: 'cycle' });
      return;
    }
    const role = outcome.report.leader ? 'leader' : 'follower';
    this.cycles.inc({ role });
    this.cycleDuration.observe({ role }, outcome.report.millis / 1_000);
    this.failures.inc({ scope: 'rule' }, outcome.report.failedRules);
  }
}
