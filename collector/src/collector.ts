import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AlertInstance, AlertTransition } from './api-types.js';
import { startAlerting, type Alerting } from './alerts/alerting.js';
import { TenantAlerting } from './alerts/tenant-alerting.js';
import type { AccessControl } from './auth/access-control.js';
import { accessControlFrom } from './auth/access-from-config.js';
import { prepareStartupAccess } from './auth/startup-access.js';
import { DEFAULT_TENANT } from './auth/tenant-id.js';
import { builtinRuleInputs } from './alerts/rules/rule-catalog.js';
import { readRulesFile } from './alerts/rules/rules-file.js';
import type { CollectorConfig } from './config/collector-config.js';
import { startGrpcServer, type RunningGrpcServer } from './grpc/grpc-server.js';
import { sharedRateLimit } from './grpc/shared-rate-limit.js';
import { createServer } from './http/create-server.js';
import { LabelCardinalityGuard } from './ingest/label-cardinality-guard.js';
import { readObjectivesFile } from './reliability/objective-definitions.js';
import { BatchWriter, type InsertRows } from './ingest/batch-writer.js';
import { OutageSpool } from './ingest/outage-spool.js';
import { RequestReceipts } from './ingest/request-receipts.js';
import { CollectorMetrics } from './self-metrics/collector-metrics.js';
import { ClickHouseStore } from './store/clickhouse-store.js';
import { storeOptionsFrom } from './store/store-options.js';

/** A running collector: store, batch writer, HTTP server and OTLP/gRPC receiver. */
export interface RunningCollector {
  /** Base URL the server listens on, e.g. http://127.0.0.1:4318. */
  readonly url: string;
  /** host:port of the OTLP/gRPC receiver, e.g. 127.0.0.1:4317; undefined with COLLECTOR_GRPC_PORT=off. */
  readonly grpcAddress: string | undefined;
  readonly store: ClickHouseStore;
  readonly writer: BatchWriter;
  readonly server: FastifyInstance;
  /** The default tenant's alerting. */
  readonly alerting: Alerting;
  /** Every tenant's alerting. */
  readonly tenantAlerting: TenantAlerting;
  /** Keys, users, sessions and tenants. */
  readonly access: AccessControl;
  /** What the operator should know about access at this start (open mode, the first admin created). */
  readonly accessNotes: readonly string[];
  /** The collector's own metrics, served at GET /metrics. */
  readonly metrics: CollectorMetrics;
  /** Migrations applied at this start. */
  readonly migrationsApplied: readonly string[];
  /** Stops taking requests, writes what is buffered, closes the store. */
  stop(): Promise<void>;
}

/** Extra hooks for whoever runs the collector. */
export interface CollectorHooks {
  /** Every alert transition, e.g. to print it on the console. */
  onAlertTransition?: (alert: AlertInstance, from: AlertTransition['from_state']) => void;
  /** Wraps every insert into the store: fault injection for outage tests and soaks. */
  wrapInsert?: (insert: InsertRows) => InsertRows;
}

/** Opens the store, applies migrations, starts the alert evaluator and starts listening. */
export async function startCollector(config: CollectorConfig, hooks: CollectorHooks = {}): Promise<RunningCollector> {
  // A bad rules file stops the collector before it opens anything.
  const fileRules = config.alertRulesFile ? readRulesFile(config.alertRulesFile, builtinRuleInputs()) : [];
  const objectives = readObjectivesFile(config.objectivesFile);
  const { store, migrations } = await ClickHouseStore.open(storeOptionsFrom(config));
  let server: FastifyInstance | undefined;
  const metrics = new CollectorMetrics({ storeMode: store.mode });
  const spool = config.spoolMaxBytes > 0 ? new OutageSpool({ dir: config.spoolDir ?? join(config.dataDir, 'spool'), maxBytes: config.spoolMaxBytes }) : undefined;
  const receipts =
    config.dedupWindowSeconds > 0
      ? new RequestReceipts({
          file: join(config.dataDir, 'request-receipts.tsv'),
          windowMillis: config.dedupWindowSeconds * 1000,
          onJournalError: (err) => server?.log.warn({ err }, 'request receipt kept in memory only; a retry after a restart may be stored twice'),
        })
      : undefined;
  receipts?.recover(spool?.recoveredRequests ?? []);
  const writer = new BatchWriter({
    maxRows: config.batchMaxRows,
    minIntervalMillis: config.batchMinIntervalMillis,
    maxBufferedRows: config.maxBufferedRows,
    insert: metrics.inserts.instrument(
      (hooks.wrapInsert ?? ((insert) => insert))((target, block, token) => store.insert(target, block, token)),
    ),
    defaultDatabase: config.database,
    onInsertError: ({ database, table }, rows, err) => server?.log.error({ err, database, table, rows }, 'insert failed'),
    ...(spool ? { spool, acknowledge: config.acknowledge } : {}),
  });
  const access = accessControlFrom(store.client, config);
  let accessNotes: string[];
  try {
    accessNotes = await prepareStartupAccess(access, config);
    // Each tenant's schema follows the main one's; new migrations reach them here.
    for (const tenant of await access.tenants.list()) if (tenant.id !== DEFAULT_TENANT) await store.migrateTenantDatabase(tenant.database);
  } catch (err) {
    await store.close();
    throw err;
  }
  const tenantAlerting = new TenantAlerting((tenant) =>
    startAlerting({
      client: store.client,
      database: access.databaseOf(tenant),
      tenant,
      replicaId: config.replicaId ?? `${hostname()}:${process.pid}`,
      fileRules,
      evaluationIntervalMillis: config.alertEvaluationIntervalMillis,
      dashboardUrl: config.alertDashboardUrl,
      webhook: config.alertWebhookUrl
        ? {
            url: config.alertWebhookUrl,
            secret: config.alertWebhookSecret,
            format: config.alertWebhookFormat ?? (new URL(config.alertWebhookUrl).hostname === 'hooks.slack.com' ? 'slack' : 'generic'),
          }
        : undefined,
      log: (level, message, fields) => server?.log[level]({ tenant, ...fields }, message),
      onTransition: hooks.onAlertTransition,
      onCycle: (outcome) => metrics.alerts.cycleEnded(outcome),
    }),
  );
  for (const tenant of await access.tenants.list()) tenantAlerting.of(tenant.id);
  const alerting = tenantAlerting.of(DEFAULT_TENANT);
  metrics.watch({ writer, alerting });
  // One guard for both transports: a service's label budget does not depend on how its telemetry arrives.
  const labels = new LabelCardinalityGuard(config.maxLabelValues);
  const attributeLimits = { maxAttributes: config.maxAttributes, maxValueLength: config.maxAttributeValueLength };
  let grpc: RunningGrpcServer | undefined;
  try {
    server = await createServer({
      writer,
      corsOrigins: config.corsOrigins,
      access,
      rateLimitPerMinute: config.rateLimitPerMinute,
      prepareTenant: async (tenant) => {
        await store.migrateTenantDatabase(access.databaseOf(tenant));
        tenantAlerting.of(tenant);
      },
      retryAfterSeconds: config.retryAfterSeconds,
      client: store.client,
      ready: () => store.ready(),
      storeMode: store.mode,
      maxRequestBytes: config.maxRequestBytes,
      attributeLimits,
      labels,
      receipts,
      logLevel: config.logLevel,
      alertingOf: (request) => tenantAlerting.of(request.principal?.tenant ?? DEFAULT_TENANT),
      metrics,
      objectives,
      extraStatus: (request) => {
        const own = tenantAlerting.of(request.principal?.tenant ?? DEFAULT_TENANT);
        return { alerts: own.evaluator.status().last, webhook: own.notifier?.stats() ?? null };
      },
    });
    await server.listen({ port: config.port, host: config.host });
    if (config.grpcPort !== 'off') {
      grpc = await startGrpcServer({
        host: config.host,
        port: config.grpcPort,
        maxRequestBytes: config.maxRequestBytes,
        pipeline: { writer, ingest: metrics.ingest('grpc'), attributeLimits, labels, receipts },
        access,
        retryAfterSeconds: config.retryAfterSeconds,
        rateLimit: sharedRateLimit(server),
        log: server.log,
      });
    }
  } catch (err) {
    await tenantAlerting.stop();
    await server?.close();
    await store.close();
    throw err;
  }
  tenantAlerting.startEvaluating();
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let stopping: Promise<void> | undefined;
  const app = server;
  const grpcServer = grpc;
  return {
    url: `http://${host}:${port}`,
    grpcAddress: grpcServer?.address,
    store,
    writer,
    server: app,
    alerting,
    tenantAlerting,
    access,
    accessNotes,
    metrics,
    migrationsApplied: migrations.applied,
    stop() {
      stopping ??= (async () => {
        // Close the listeners first (in-flight requests and calls finish and
        // wait for their rows), then write what is left and release the store.
        await tenantAlerting.stop();
        await Promise.all([app.close(), grpcServer?.stop()]);
        await writer.close();
        await store.close();
      })();
      return stopping;
    },
  };
}
