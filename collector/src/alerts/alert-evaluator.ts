import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertInstance, AlertNotificationBody, AlertRule, AlertTransition, Silence } from '../api-types.js';
import { alertEpisodeId, alertFingerprint, notificationKey } from './evaluate/alert-identity.js';
import { dashboardLink, describeLabels, nearestDeploy, notificationText } from './evaluate/alert-context.js';
import { observeRule, type Observation } from './evaluate/observe-rule.js';
import { pendingMaturesAt, stepLifecycle, type LifecycleState } from './lifecycle/alert-lifecycle.js';
import type { LeaderLease } from './leader/leader-lease.js';
import type { RuleCatalog } from './rules/rule-catalog.js';
import { FirstSeenCache } from './signals/first-seen-cache.js';
import { parseRuleDuration } from './rules/rule-duration.js';
import { silencedBy } from './silences/silence-matcher.js';
import type { SilenceStore } from './silences/silence-store.js';
import type { AlertRepository, NotificationRecord, TransitionRecord } from './state/alert-repository.js';

/** Where notifications go; `send` only queues and never throws (WebhookNotifier). */
export interface NotificationSink {
  send(body: AlertNotificationBody): void;
}

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Options of {@link AlertEvaluator}. */
export interface AlertEvaluatorOptions {
  client: ClickHouseClient;
  database: string;
  /** This replica's name, stored with every transition and notification. */
  replicaId: string;
  /** The tenant whose rules these are; named in every notification. */
  tenant: string;
  /** Time between cycles (ALERT_EVALUATION_INTERVAL_MILLIS). */
  intervalMillis: number;
  /** Base of the links in notifications (ALERT_DASHBOARD_URL). */
  dashboardUrl: string;
  catalog: RuleCatalog;
  silences: SilenceStore;
  repository: AlertRepository;
  lease: LeaderLease;
  /** Absent when no webhook is configured: alerts are still evaluated, stored and shown. */
  notifier: NotificationSink | undefined;
  log: (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;
  /** Called for every transition (the collector prints them on its console). */
  onTransition?: (alert: AlertInstance, from: AlertTransition['from_state']) => void;
  /** Called when a cycle ends, for the collector's self-metrics; must not throw. */
  onCycle?: (outcome: CycleOutcome) => void;
}

/** An active alert as the leader holds it between cycles. */
interface Tracked {
  alert: AlertInstance;
  lifecycle: LifecycleState;
  lastFiringRepeat: number | null;
  lastNotifiedAt: number | null;
}

/** An alert that ended this cycle, and whether it had paged (then a resolve message is owed). */
interface Ended {
  alert: AlertInstance;
  paged: boolean;
}

/** What one cycle did, for tests, the bench and /api/v1/status. */
export interface CycleReport {
  leader: boolean;
  at: number;
  millis: number;
  rules: number;
  /** Label groups observed across all rules. */
  groups: number;
  active: number;
  transitions: number;
  notifications: number;
  /** Rules that could not be evaluated this cycle. */
  failedRules: number;
  ruleErrors: Record<string, string>;
}

/** How a cycle ended: with its report, or with the error that stopped it (the store, most often). */
export type CycleOutcome = { status: 'completed'; report: CycleReport } | { status: 'failed'; millis: number; error: unknown };

const MIN_GAP_MILLIS = 500;

/**
 * The alert evaluator: on a timer, always on, inside the collector. Each
 * cycle the replica that holds the lease reads every rule, observes each
 * label group from the store, steps each alert's lifecycle, stores the
 * transitions, and hands notifications to the webhook. A pending alert is
 * looked at again the moment its `for` has passed, not a whole interval
 * later. Errors stay inside: a rule that fails is reported and skipped.
 */
export class AlertEvaluator {
  private readonly tracked = new Map<string, Tracked>();
  private readonly firstSeen = new FirstSeenCache();
  private leading = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CycleReport> | undefined;
  private stopped = false;
  private last: CycleReport | undefined;
  private readonly ruleErrors = new Map<string, string>();
  /** Each enabled rule's timings in ms, refreshed every cycle. */
  private readonly ruleTimings = new Map<string, { forMillis: number; keepFiringForMillis: number; renotifyMillis: number }>();

  constructor(private readonly options: AlertEvaluatorOptions) {}

  /** Starts the timer; the first cycle runs at once. */
  start(): void {
    this.schedule(0);
  }

  /** Stops the timer, waits for a cycle in progress and gives up the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    if (this.leading) await this.options.lease.release().catch(() => undefined);
  }

  /** The last cycle's report, and errors of rules that could not be evaluated. */
  status(): { last: CycleReport | null; ruleErrors: ReadonlyMap<string, string> } {
    return { last: this.last ?? null, ruleErrors: this.ruleErrors };
  }

  /** Alerts this replica holds, by state; both 0 on a replica that does not lead. */
  activeAlerts(): { pending: number; firing: number } {
    let firing = 0;
    for (const t of this.tracked.values()) if (t.lifecycle.state === 'firing') firing += 1;
    return { pending: this.tracked.size - firing, firing };
  }

  /** Runs one cycle now (also what the timer calls). Concurrent calls share the cycle in progress. */
  runCycle(now = Date.now()): Promise<CycleReport> {
    this.running ??= this.observedCycle(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async observedCycle(now: number): Promise<CycleReport> {
    const started = performance.now();
    let report: CycleReport;
    try {
      report = await this.cycle(now, started);
    } catch (error) {
      this.options.onCycle?.({ status: 'failed', millis: performance.now() - started, error });
      throw error;
    }
    this.options.onCycle?.({ status: 'completed', report });
    return report;
  }

  private schedule(delayMillis: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.runCycle()
        .catch((err: unknown) => {
          this.options.log('error', `alert evaluation failed: ${(err as Error).message}`, { err });
          return undefined;
        })
        .then(() => this.schedule(this.nextDelay(Date.now())));
    }, delayMillis);
    this.timer.unref();
  }

  /** The regular interval, or sooner when a pending alert's `for` runs out first. */
  private nextDelay(now: number): number {
    let next = now + this.options.intervalMillis;
    for (const t of this.tracked.values()) {
      const matures = pendingMaturesAt(t.lifecycle, this.timings(t.alert.rule_id));
      if (matures !== null) next = Math.min(next, matures);
    }
    return Math.max(MIN_GAP_MILLIS, next - now);
  }

  private timings(ruleId: string) {
    return this.ruleTimings.get(ruleId) ?? { forMillis: 0, keepFiringForMillis: 0, renotifyMillis: 0 };
  }

  private async cycle(now: number, started: number): Promise<CycleReport> {
    const lease = await this.options.lease.acquire(now);
    if (!lease.leader) {
      // Another replica evaluates; forget what we held so a later takeover starts from the store.
      this.leading = false;
      this.tracked.clear();
      return this.finish({ leader: false, at: now, started, rules: 0, groups: 0, transitions: 0, notifications: 0, failedRules: 0 });
    }
    if (!this.leading) {
      this.leading = true;
      await this.loadFromStore();
    }
    const [rules, { silences }] = await Promise.all([this.options.catalog.rules(), this.options.silences.list({ state: 'active' }, now)]);
    const enabled = rules.filter((r) => r.enabled);
    this.ruleTimings.clear();
    for (const rule of enabled) {
      this.ruleTimings.set(rule.id, {
        forMillis: parseRuleDuration(rule.for)!,
        keepFiringForMillis: parseRuleDuration(rule.keep_firing_for)!,
        renotifyMillis: parseRuleDuration(rule.renotify_every)!,
      });
    }

    const transitions: TransitionRecord[] = [];
    const ended: Ended[] = [];
    let groups = 0;
    let failedRules = 0;
    for (const rule of enabled) {
      const mine = [...this.tracked.values()].filter((t) => t.alert.rule_id === rule.id);
      let observations: Observation[];
      try {
        observations = await observeRule({ ...this.options, firstSeen: this.firstSeen }, rule, now, mine.map((t) => t.alert.labels));
        groups += observations.length;
        this.ruleErrors.delete(rule.id);
      } catch (err) {
        this.ruleErrors.set(rule.id, (err as Error).message);
        failedRules += 1;
        this.options.log('warn', `alert rule ${rule.id} could not be evaluated: ${(err as Error).message}`);
        continue;
      }
      for (const observation of observations) {
        const change = await this.apply(rule, observation, now);
        if (change?.transition) transitions.push(change.transition);
        if (change?.ended) ended.push(change.ended);
      }
    }
    // Alerts of rules that were removed or switched off end now.
    const live = new Set(enabled.map((r) => r.id));
    for (const [fingerprint, t] of this.tracked) {
      if (live.has(t.alert.rule_id)) continue;
      this.tracked.delete(fingerprint);
      const alert = { ...t.alert, state: 'resolved' as const, resolved_at: new Date(now).toISOString(), updated_at: new Date(now).toISOString() };
      transitions.push({ alert, from: t.lifecycle.state, time: now });
      ended.push({ alert, paged: t.lastFiringRepeat !== null });
    }

    for (const t of this.tracked.values()) {
      t.alert.silenced_by = silencedBy(silences, { ...t.alert.labels, rule: t.alert.rule_id, severity: t.alert.severity }, now);
    }
    await this.options.repository.save(transitions, [...[...this.tracked.values()].map((t) => t.alert), ...ended.map((e) => e.alert)], now);
    for (const { alert, from } of transitions) this.options.onTransition?.(alert, from);
    const notifications = await this.notify(ended, silences, now);
    return this.finish({ leader: true, at: now, started, rules: enabled.length, groups, transitions: transitions.length, notifications, failedRules });
  }

  private finish(r: {
    leader: boolean;
    at: number;
    started: number;
    rules: number;
    groups: number;
    transitions: number;
    notifications: number;
    failedRules: number;
  }): CycleReport {
    this.last = {
      leader: r.leader,
      at: r.at,
      millis: Math.round((performance.now() - r.started) * 10) / 10,
      rules: r.rules,
      groups: r.groups,
      active: this.tracked.size,
      transitions: r.transitions,
      notifications: r.notifications,
      failedRules: r.failedRules,
      ruleErrors: Object.fromEntries(this.ruleErrors),
    };
    return this.last;
  }

  /** Steps one group's alert; returns its transition (if any) and the alert when it ended. */
  private async apply(rule: AlertRule, o: Observation, now: number): Promise<{ transition?: TransitionRecord; ended?: Ended } | null> {
    const fingerprint = alertFingerprint(rule.id, o.labels);
    const current = this.tracked.get(fingerprint);
    const step = stepLifecycle(current?.lifecycle ?? null, o.holds, now, this.timings(rule.id));
    if (!step.next && !step.transition) return null;
    const iso = new Date(now).toISOString();
    const lifecycle = step.next ?? current!.lifecycle;
    const base = current?.alert ?? (await this.newAlert(rule, o, fingerprint, lifecycle.activeAt));
    const alert: AlertInstance = {
      ...base,
      state: step.next ? step.next.state : 'resolved',
      severity: o.severity,
      summary: `${rule.name} on ${describeLabels(o.labels)}: ${o.because}`,
      value: o.value,
      threshold: o.threshold,
      baseline: o.baseline,
      unit: o.unit,
      fired_at: lifecycle.firedAt === null ? null : new Date(lifecycle.firedAt).toISOString(),
      resolved_at: step.next ? null : iso,
      updated_at: iso,
      runbook: rule.runbook,
    };
    // A resolved alert keeps the summary of what it was while it fired.
    if (!step.next && current) alert.summary = current.alert.summary;
    alert.dashboard_url = dashboardLink(this.options.dashboardUrl, alert.labels, lifecycle.activeAt, step.next ? null : now);
    if (step.next) {
      this.tracked.set(fingerprint, { alert, lifecycle: step.next, lastFiringRepeat: current?.lastFiringRepeat ?? null, lastNotifiedAt: current?.lastNotifiedAt ?? null });
    } else {
      this.tracked.delete(fingerprint);
    }
    const transition = step.transition ? { alert, from: step.transition.from, time: now } : undefined;
    return { transition, ended: step.next ? undefined : { alert, paged: (current?.lastFiringRepeat ?? null) !== null } };
  }

  private async newAlert(rule: AlertRule, o: Observation, fingerprint: string, activeAt: number): Promise<AlertInstance> {
    const deploy = await nearestDeploy(this.options.client, this.options.database, o.labels, rule.filters.service, activeAt).catch((err: unknown) => {
      this.options.log('warn', `could not look up the deploy before alert ${rule.id}: ${(err as Error).message}`);
      return null;
    });
    return {
      id: alertEpisodeId(fingerprint, activeAt),
      fingerprint,
      rule_id: rule.id,
      rule_name: rule.name,
      kind: rule.kind,
      severity: o.severity,
      state: 'pending',
      labels: o.labels,
      summary: '',
      value: o.value,
      threshold: o.threshold,
      baseline: o.baseline,
      unit: o.unit,
      active_at: new Date(activeAt).toISOString(),
      fired_at: null,
      resolved_at: null,
      updated_at: new Date(activeAt).toISOString(),
      silenced_by: [],
      deploy,
      dashboard_url: '',
      runbook: rule.runbook,
    };
  }

  /** Sends first pages, reminders and resolve messages; returns how many were handed to the webhook. */
  private async notify(ended: readonly Ended[], silences: readonly Silence[], now: number): Promise<number> {
    const notifier = this.options.notifier;
    if (!notifier) return 0;
    const out: NotificationRecord[] = [];
    for (const t of this.tracked.values()) {
      if (t.lifecycle.state !== 'firing' || t.alert.silenced_by.length > 0) continue;
      const { renotifyMillis } = this.timings(t.alert.rule_id);
      if (t.lastFiringRepeat === null) {
        out.push({ key: notificationKey(t.alert.id, 'firing', 0), alert: t.alert, status: 'firing', repeat: 0, time: now });
        t.lastFiringRepeat = 0;
        t.lastNotifiedAt = now;
      } else if (renotifyMillis > 0 && t.lastNotifiedAt !== null && now - t.lastNotifiedAt >= renotifyMillis) {
        t.lastFiringRepeat += 1;
        t.lastNotifiedAt = now;
        out.push({ key: notificationKey(t.alert.id, 'firing', t.lastFiringRepeat), alert: t.alert, status: 'firing', repeat: t.lastFiringRepeat, time: now });
      }
    }
    for (const { alert, paged } of ended) {
      if (!paged) continue;
      // A resolve owed while silenced is held back, as the page would have been.
      if (silencedBy(silences, { ...alert.labels, rule: alert.rule_id, severity: alert.severity }, now).length > 0) continue;
      out.push({ key: notificationKey(alert.id, 'resolved', 0), alert, status: 'resolved', repeat: 0, time: now });
    }
    for (const n of out) {
      notifier.send({
        version: 1,
        status: n.status,
        repeat: n.repeat,
        idempotency_key: n.key,
        text: notificationText(n.alert, n.status),
        alert: n.alert,
        tenant: this.options.tenant,
        sent_by: this.options.replicaId,
      });
      await this.options.repository.recordNotification(n).catch((err: unknown) =>
        this.options.log('warn', `could not record notification ${n.key}: ${(err as Error).message}`),
      );
    }
    return out.length;
  }

  /** A new leader carries on the alerts the previous one left active, without paging for them again. */
  private async loadFromStore(): Promise<void> {
    this.tracked.clear();
    for (const stored of await this.options.repository.loadActive()) {
      const a = stored.alert;
      const lifecycle: LifecycleState = {
        state: a.state === 'firing' ? 'firing' : 'pending',
        activeAt: Date.parse(a.active_at),
        firedAt: a.fired_at === null ? null : Date.parse(a.fired_at),
        lastHeldAt: Date.parse(a.updated_at),
      };
      this.tracked.set(a.fingerprint, { alert: a, lifecycle, lastFiringRepeat: stored.lastFiringRepeat, lastNotifiedAt: stored.lastNotifiedAt });
    }
  }
}
