import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertInstance, AlertTransition } from '../api-types.js';
import { AlertEvaluator, type CycleOutcome } from './alert-evaluator.js';
import { LeaderLease } from './leader/leader-lease.js';
import { WebhookNotifier } from './notify/webhook-notifier.js';
import { RuleCatalog } from './rules/rule-catalog.js';
import type { RuleInput } from './rules/rule-layers.js';
import { SilenceStore } from './silences/silence-store.js';
import { AlertRepository } from './state/alert-repository.js';

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Options of {@link startAlerting}: the collector's alert settings (collector-config.ts). */
export interface AlertingOptions {
  client: ClickHouseClient;
  database: string;
  replicaId: string;
  /** The tenant this alerting serves (its rules, silences and alerts live in `database`). */
  tenant: string;
  fileRules: readonly RuleInput[];
  evaluationIntervalMillis: number;
  dashboardUrl: string;
  webhook: { url: string; secret: string | undefined; format: 'generic' | 'slack' } | undefined;
  log: (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;
  onTransition?: (alert: AlertInstance, from: AlertTransition['from_state']) => void;
  /** Every evaluation cycle's outcome, for the collector's self-metrics. */
  onCycle?: (outcome: CycleOutcome) => void;
}

/** The collector's alerting: rules, silences, history, the evaluator on its timer, and the webhook. */
export interface Alerting {
  readonly catalog: RuleCatalog;
  readonly silences: SilenceStore;
  readonly repository: AlertRepository;
  readonly evaluator: AlertEvaluator;
  readonly lease: LeaderLease;
  readonly notifier: WebhookNotifier | undefined;
  readonly evaluationIntervalMillis: number;
  /** Stops evaluating, then gives the webhook a few seconds to deliver what it holds. */
  stop(): Promise<void>;
}

/** How long a leader's lease lasts without renewal: three missed cycles, at least 15 s. */
export function leaseTtlMillis(intervalMillis: number): number {
  return Math.max(15_000, 3 * intervalMillis);
}

/** Creates the alerting parts; the collector starts the evaluator once it listens. */
export function startAlerting(options: AlertingOptions): Alerting {
  const { client, database, replicaId } = options;
  const catalog = new RuleCatalog(client, database, options.fileRules);
  const silences = new SilenceStore(client, database);
  const repository = new AlertRepository(client, database, replicaId);
  const lease = new LeaderLease(client, database, { replicaId, ttlMillis: leaseTtlMillis(options.evaluationIntervalMillis), settleMillis: 1_000 });
  const notifier = options.webhook ? new WebhookNotifier({ ...options.webhook, log: options.log }) : undefined;
  const evaluator = new AlertEvaluator({
    client,
    database,
    replicaId,
    tenant: options.tenant,
    intervalMillis: options.evaluationIntervalMillis,
    dashboardUrl: options.dashboardUrl,
    catalog,
    silences,
    repository,
    lease,
    notifier,
    log: options.log,
    onTransition: options.onTransition,
    onCycle: options.onCycle,
  });
  return {
    catalog,
    silences,
    repository,
    evaluator,
    lease,
    notifier,
    evaluationIntervalMillis: options.evaluationIntervalMillis,
    async stop() {
      await evaluator.stop();
      await notifier?.close(5_000);
    },
  };
}
