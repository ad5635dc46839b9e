import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../auth/password-hash.js';
import { TENANT_ID_PATTERN } from '../auth/tenant-id.js';
import { USERNAME_PATTERN } from '../auth/user-directory.js';
import { ConfigError } from '../errors.js';

/**
 * The collector's configuration, declared once. Every setting has an
 * environment variable (the fixed names in DESIGN.md, OTEL-style where a
 * standard exists) and most have a command-line flag that wins over it.
 */
export interface CollectorConfig {
  /** TCP port for OTLP/HTTP and the query API (COLLECTOR_PORT, default 4318, the OTLP/HTTP port). */
  port: number;
  /** TCP port for OTLP/gRPC, or `off` for no gRPC listener (COLLECTOR_GRPC_PORT, default 4317, the OTLP/gRPC port). */
  grpcPort: number | 'off';
  /** Interface to bind (COLLECTOR_HOST, default 127.0.0.1; 0.0.0.0 exposes it). */
  host: string;
  /** Embedded store directory, and the outage spool's unless COLLECTOR_SPOOL_DIR is set (DATA_DIR, default ./data). */
  dataDir: string;
  /** ClickHouse server URL (CLICKHOUSE_URL); unset means the embedded store. */
  clickhouseUrl: string | undefined;
  /** Cluster name for replicated DDL ON CLUSTER (CLICKHOUSE_CLUSTER); unset for a single server. Needs CLICKHOUSE_URL. */
  clickhouseCluster: string | undefined;
  /** Database holding TunnelVision's tables (CLICKHOUSE_DATABASE, default tunnelvision). */
  database: string;
  /** Days raw events, metrics and traces are kept (COLLECTOR_RETENTION_DAYS, default 30). */
  retentionDays: number;
  /** Rollups are kept this many days (COLLECTOR_ROLLUP_RETENTION_DAYS, default 400). */
  rollupRetentionDays: number;
  /** A table's buffered rows are inserted at once when this many are waiting (COLLECTOR_BATCH_MAX_ROWS, default 10000)... */
  batchMaxRows: number;
  /** ...else as soon as the writer is free and the table's previous insert began this long ago (COLLECTOR_BATCH_MIN_INTERVAL_MILLIS, default 25). */
  batchMinIntervalMillis: number;
  /** Rows held in memory across all tables before requests get 429 (COLLECTOR_MAX_BUFFERED_ROWS, default 20000). */
  maxBufferedRows: number;
  /** Largest request body, checked before and after decompression (COLLECTOR_MAX_REQUEST_BYTES, default 16 MiB). */
  maxRequestBytes: number;
  /** Attributes kept per list (record, point, span, resource, scope) (COLLECTOR_MAX_ATTRIBUTES, default 128). */
  maxAttributes: number;
  /** Characters kept of each attribute value (COLLECTOR_MAX_ATTRIBUTE_VALUE_LENGTH, default 8192). */
  maxAttributeValueLength: number;
  /** Distinct values per service, label and hour kept in the rollups' labels; later ones become "(other)" (COLLECTOR_MAX_LABEL_VALUES, default 1000). */
  maxLabelValues: number;
  /** Where blocks the store refused wait for it (COLLECTOR_SPOOL_DIR, default <DATA_DIR>/spool). */
  spoolDir: string | undefined;
  /** Bytes the outage spool may hold; 0 turns it off, and a store outage answers 503 (COLLECTOR_SPOOL_MAX_BYTES, default 1 GiB). */
  spoolMaxBytes: number;
  /**
   * When an OTLP request is answered: once its rows are stored, so they can be
   * read at once (`stored`), or once they are durably in the spool, before
   * their insert (`spooled`) (COLLECTOR_ACK, default stored; docs/operations.md).
   */
  acknowledge: 'stored' | 'spooled';
  /** Seconds a stored request is remembered, so a client's retry of it is answered without storing it twice; 0 turns this off (COLLECTOR_DEDUP_WINDOW_SECONDS, default 900). */
  dedupWindowSeconds: number;
  /** Seconds a client is told to wait in Retry-After on 429/503 (COLLECTOR_RETRY_AFTER_SECONDS, default 5). */
  retryAfterSeconds: number;
  /** Origins allowed to send OTLP from a browser (COLLECTOR_CORS_ORIGINS, comma-separated, default *). */
  corsOrigins: string[];
  /**
   * Shared secret required to write (OTLP and POST /api/v1/deploys) when set
   * (COLLECTOR_INGEST_KEY, at least 16 characters); unset means no auth.
   */
  ingestKey: string | undefined;
  /** NODE_ENV; `production` makes sign-in required by default and refuses to start without a way in. */
  nodeEnv: string;
  /** `open`: requests without a credential act as an admin of the default tenant; `required`: every request needs one (COLLECTOR_AUTH, default required when NODE_ENV=production, else open). */
  auth: 'open' | 'required';
  /** Name of the first admin, created on the first start when no user exists (TUNNELVISION_ADMIN_USER, default admin). */
  adminUser: string;
  /** Password of that first admin (TUNNELVISION_ADMIN_PASSWORD, 12+ characters); unset creates no one. */
  adminPassword: string | undefined;
  /** Hours a dashboard session lasts (COLLECTOR_SESSION_TTL_HOURS, default 12). */
  sessionTtlHours: number;
  /** Requests a minute per key or session before 429; 0 turns the limit off (COLLECTOR_RATE_LIMIT_PER_MINUTE, default 6000). */
  rateLimitPerMinute: number;
  /** OpenID Connect provider for single sign-on (OIDC_ISSUER_URL); unset: passwords only. */
  oidcIssuerUrl: string | undefined;
  /** This app's client id and secret at the provider (OIDC_CLIENT_ID, OIDC_CLIENT_SECRET). */
  oidcClientId: string | undefined;
  oidcClientSecret: string | undefined;
  /** The dashboard's callback registered at the provider (OIDC_REDIRECT_URL, default <ALERT_DASHBOARD_URL>/api/auth/oidc/callback). */
  oidcRedirectUrl: string | undefined;
  /** Groups (the `groups` claim) whose members sign in as admins (OIDC_ADMIN_GROUPS, comma-separated); everyone else is a viewer. */
  oidcAdminGroups: string[];
  /** Tenant that new single sign-on users join (OIDC_TENANT, default default). */
  oidcTenant: string;
  /** Log level of the collector's own log (COLLECTOR_LOG_LEVEL, default info). */
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** This collector's name among replicas sharing one store (COLLECTOR_REPLICA_ID, default host name and port). */
  replicaId: string | undefined;
  /** Alert rules to add to or change the built-in ones (ALERT_RULES_FILE, JSON or YAML). */
  alertRulesFile: string | undefined;
  /** Service level objectives replacing or adding to the defaults (OBJECTIVES_FILE, JSON; docs/objectives.md). */
  objectivesFile: string | undefined;
  /** Time between alert evaluations (ALERT_EVALUATION_INTERVAL_MILLIS, default 10000). */
  alertEvaluationIntervalMillis: number;
  /** Where alert notifications are POSTed (ALERT_WEBHOOK_URL); unset: alerts show on the dashboard and API only. */
  alertWebhookUrl: string | undefined;
  /** Key of the X-TunnelVision-Signature HMAC (ALERT_WEBHOOK_SECRET). */
  alertWebhookSecret: string | undefined;
  /** Body format: generic JSON or a Slack incoming-webhook message (ALERT_WEBHOOK_FORMAT, default slack for hooks.slack.com, else generic). */
  alertWebhookFormat: 'generic' | 'slack' | undefined;
  /** Dashboard base URL for the links in notifications (ALERT_DASHBOARD_URL, default http://127.0.0.1:3000). */
  alertDashboardUrl: string;
}

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://');

/** The schema maps each config key to its variable name so errors can name it. */
const settings = {
  port: { env: 'COLLECTOR_PORT', flag: 'port', schema: intFrom(0, 65_535), fallback: 4318 },
  grpcPort: {
    env: 'COLLECTOR_GRPC_PORT',
    flag: 'grpc-port',
    schema: z.union([z.literal('off'), intFrom(0, 65_535)], { error: 'must be a port number (0-65535) or off' }),
    fallback: 4317,
  },
  host: { env: 'COLLECTOR_HOST', flag: 'host', schema: z.string().min(1), fallback: '127.0.0.1' },
  dataDir: { env: 'DATA_DIR', flag: 'data-dir', schema: z.string().min(1), fallback: './data' },
  clickhouseUrl: {
    env: 'CLICKHOUSE_URL',
    flag: 'clickhouse-url',
    schema: httpUrl.optional(),
    fallback: undefined,
  },
  clickhouseCluster: {
    env: 'CLICKHOUSE_CLUSTER',
    flag: undefined,
    schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a plain identifier (letters, digits, _)').optional(),
    fallback: undefined,
  },
  database: {
    env: 'CLICKHOUSE_DATABASE',
    flag: 'database',
    // Interpolated into DDL as an identifier, so only a plain name is allowed.
    schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be a plain identifier (letters, digits, _)'),
    fallback: 'tunnelvision',
  },
  retentionDays: { env: 'COLLECTOR_RETENTION_DAYS', flag: 'retention-days', schema: intFrom(1, 36_500), fallback: 30 },
  rollupRetentionDays: { env: 'COLLECTOR_ROLLUP_RETENTION_DAYS', flag: undefined, schema: intFrom(1, 36_500), fallback: 400 },
  batchMaxRows: { env: 'COLLECTOR_BATCH_MAX_ROWS', flag: undefined, schema: intFrom(1, 1_000_000), fallback: 10_000 },
  batchMinIntervalMillis: { env: 'COLLECTOR_BATCH_MIN_INTERVAL_MILLIS', flag: undefined, schema: intFrom(0, 60_000), fallback: 25 },
  maxBufferedRows: { env: 'COLLECTOR_MAX_BUFFERED_ROWS', flag: undefined, schema: intFrom(1, 50_000_000), fallback: 20_000 },
  maxRequestBytes: { env: 'COLLECTOR_MAX_REQUEST_BYTES', flag: undefined, schema: intFrom(1024, 1024 ** 3), fallback: 16 * 1024 * 1024 },
  maxAttributes: { env: 'COLLECTOR_MAX_ATTRIBUTES', flag: undefined, schema: intFrom(1, 10_000), fallback: 128 },
  spoolDir: { env: 'COLLECTOR_SPOOL_DIR', flag: undefined, schema: z.string().min(1).optional(), fallback: undefined },
  spoolMaxBytes: { env: 'COLLECTOR_SPOOL_MAX_BYTES', flag: undefined, schema: intFrom(0, 1024 ** 4), fallback: 1024 ** 3 },
  acknowledge: { env: 'COLLECTOR_ACK', flag: undefined, schema: z.enum(['stored', 'spooled']), fallback: 'stored' },
  maxLabelValues: { env: 'COLLECTOR_MAX_LABEL_VALUES', flag: undefined, schema: intFrom(1, 1_000_000), fallback: 1_000 },
  maxAttributeValueLength: { env: 'COLLECTOR_MAX_ATTRIBUTE_VALUE_LENGTH', flag: undefined, schema: intFrom(16, 1024 ** 2), fallback: 8_192 },
  dedupWindowSeconds: { env: 'COLLECTOR_DEDUP_WINDOW_SECONDS', flag: undefined, schema: intFrom(0, 7 * 86_400), fallback: 900 },
  retryAfterSeconds: { env: 'COLLECTOR_RETRY_AFTER_SECONDS', flag: undefined, schema: intFrom(1, 3600), fallback: 5 },
  corsOrigins: {
    env: 'COLLECTOR_CORS_ORIGINS',
    flag: undefined,
    schema: z
      .string()
      .transform((s) => s.split(',').map((o) => o.trim()).filter((o) => o.length > 0))
      .pipe(z.array(z.string().refine((o) => o === '*' || /^https?:\/\/[^/]+$/.test(o), 'each origin must be * or scheme://host[:port]'))),
    fallback: ['*'],
  },
  ingestKey: {
    env: 'COLLECTOR_INGEST_KEY',
    flag: undefined,
    secret: true,
    schema: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 16)').optional(),
    fallback: undefined,
  },
  nodeEnv: { env: 'NODE_ENV', flag: undefined, schema: z.string().min(1), fallback: 'development' },
  auth: { env: 'COLLECTOR_AUTH', flag: 'auth', schema: z.enum(['open', 'required']).optional(), fallback: undefined },
  adminUser: {
    env: 'TUNNELVISION_ADMIN_USER',
    flag: undefined,
    schema: z.string().regex(USERNAME_PATTERN, 'must be 1-100 letters, digits or . _ @ + -'),
    fallback: 'admin',
  },
  adminPassword: {
    env: 'TUNNELVISION_ADMIN_PASSWORD',
    flag: undefined,
    secret: true,
    schema: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).optional(),
    fallback: undefined,
  },
  sessionTtlHours: { env: 'COLLECTOR_SESSION_TTL_HOURS', flag: undefined, schema: intFrom(1, 24 * 30), fallback: 12 },
  rateLimitPerMinute: { env: 'COLLECTOR_RATE_LIMIT_PER_MINUTE', flag: undefined, schema: intFrom(0, 10_000_000), fallback: 6_000 },
  oidcIssuerUrl: { env: 'OIDC_ISSUER_URL', flag: undefined, schema: httpUrl.optional(), fallback: undefined },
  oidcClientId: { env: 'OIDC_CLIENT_ID', flag: undefined, schema: z.string().min(1).optional(), fallback: undefined },
  oidcClientSecret: { env: 'OIDC_CLIENT_SECRET', flag: undefined, secret: true, schema: z.string().min(1).optional(), fallback: undefined },
  oidcRedirectUrl: { env: 'OIDC_REDIRECT_URL', flag: undefined, schema: httpUrl.optional(), fallback: undefined },
  oidcAdminGroups: {
    env: 'OIDC_ADMIN_GROUPS',
    flag: undefined,
    schema: z.string().transform((s) => s.split(',').map((g) => g.trim()).filter((g) => g.length > 0)),
    fallback: [],
  },
  oidcTenant: { env: 'OIDC_TENANT', flag: undefined, schema: z.string().regex(TENANT_ID_PATTERN, 'must be a tenant id (lowercase letters, digits, _)'), fallback: 'default' },
  logLevel: {
    env: 'COLLECTOR_LOG_LEVEL',
    flag: 'log-level',
    schema: z.enum(['silent', 'error', 'warn', 'info', 'debug']),
    fallback: 'info',
  },
  replicaId: {
    env: 'COLLECTOR_REPLICA_ID',
    flag: undefined,
    schema: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits, "_", ".", ":" or "-"').optional(),
    fallback: undefined,
  },
  alertRulesFile: { env: 'ALERT_RULES_FILE', flag: 'alert-rules-file', schema: z.string().min(1).optional(), fallback: undefined },
  objectivesFile: { env: 'OBJECTIVES_FILE', flag: 'objectives-file', schema: z.string().min(1).optional(), fallback: undefined },
  alertEvaluationIntervalMillis: { env: 'ALERT_EVALUATION_INTERVAL_MILLIS', flag: undefined, schema: intFrom(100, 600_000), fallback: 10_000 },
  alertWebhookUrl: {
    env: 'ALERT_WEBHOOK_URL',
    flag: undefined,
    schema: httpUrl.optional(),
    fallback: undefined,
  },
  alertWebhookSecret: {
    env: 'ALERT_WEBHOOK_SECRET',
    flag: undefined,
    secret: true,
    schema: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 32)').optional(),
    fallback: undefined,
  },
  alertWebhookFormat: { env: 'ALERT_WEBHOOK_FORMAT', flag: undefined, schema: z.enum(['generic', 'slack']).optional(), fallback: undefined },
  alertDashboardUrl: {
    env: 'ALERT_DASHBOARD_URL',
    flag: undefined,
    schema: httpUrl,
    fallback: 'http://127.0.0.1:3000',
  },
} as const;

type SettingKey = keyof typeof settings;

/** Every environment variable the collector reads, in declaration order (for deployment files and their checks). */
export const COLLECTOR_ENV_NAMES: readonly string[] = Object.values(settings).map((s) => s.env);

/** Help text for `--help`, generated from the same declarations. */
export function configHelp(): string {
  const lines = ['Options (flag / environment variable, default):'];
  for (const [key, s] of Object.entries(settings)) {
    const flag = s.flag ? `--${s.flag}` : '';
    const fallback = s.fallback === undefined ? '(unset)' : JSON.stringify(s.fallback);
    lines.push(`  ${flag.padEnd(18)} ${s.env.padEnd(34)} ${fallback.padEnd(14)} ${key}`);
  }
  return lines.join('\n');
}

/** A bad value as an error message may show it: secrets never, a URL without its password. */
function shownValue(setting: object, raw: string): string {
  if ('secret' in setting && setting.secret) return '(hidden)';
  const withPassword = /^(\w+:\/\/[^:/@]*:)[^@/]*@/.exec(raw);
  return JSON.stringify(withPassword ? raw.replace(withPassword[0], `${withPassword[1]}***@`) : raw);
}

/**
 * Reads and validates the configuration. Throws ConfigError listing every
 * bad value with the variable (or flag) that set it.
 */
export function loadCollectorConfig(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = [],
  overrides: Partial<CollectorConfig> = {},
): CollectorConfig {
  const flagOptions: Record<string, { type: 'string' }> = {};
  for (const s of Object.values(settings)) if (s.flag) flagOptions[s.flag] = { type: 'string' };
  let flags: Record<string, string | undefined>;
  try {
    flags = parseArgs({ args: [...argv], options: flagOptions, strict: true, allowPositionals: false }).values as Record<
      string,
      string | undefined
    >;
  } catch (err) {
    throw new ConfigError([`${(err as Error).message} (see --help)`]);
  }

  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(settings) as SettingKey[]) {
    const s = settings[key];
    if (key in overrides) {
      out[key] = overrides[key];
      continue;
    }
    const fromFlag = s.flag ? flags[s.flag] : undefined;
    const raw = fromFlag ?? (env[s.env] === '' ? undefined : env[s.env]);
    if (raw === undefined) {
      out[key] = s.fallback;
      continue;
    }
    const parsed = (s.schema as z.ZodType).safeParse(raw);
    if (parsed.success) out[key] = parsed.data;
    else {
      const source = fromFlag !== undefined ? `--${s.flag}` : s.env;
      problems.push(`${source}=${shownValue(s, raw)}: ${parsed.error.issues.map((i) => i.message).join(', ')}`);
    }
  }
  if (env.COLLECTOR_BATCH_MAX_DELAY_MILLIS !== undefined) {
    problems.push('COLLECTOR_BATCH_MAX_DELAY_MILLIS is gone: rows no longer wait for a timer; COLLECTOR_BATCH_MIN_INTERVAL_MILLIS spaces inserts into one table (default 25)');
  }
  if (out.clickhouseCluster !== undefined && out.clickhouseUrl === undefined) {
    problems.push('CLICKHOUSE_CLUSTER needs CLICKHOUSE_URL: the embedded store is a single node');
  }
  if (out.acknowledge === 'spooled' && out.spoolMaxBytes === 0) {
    problems.push('COLLECTOR_ACK=spooled needs the spool: set COLLECTOR_SPOOL_MAX_BYTES above 0, or COLLECTOR_ACK=stored');
  }
  if (out.alertWebhookSecret !== undefined && out.alertWebhookUrl === undefined) {
    problems.push('ALERT_WEBHOOK_SECRET is set but ALERT_WEBHOOK_URL is not: set the URL notifications go to');
  }
  if (out.oidcIssuerUrl !== undefined && (out.oidcClientId === undefined || out.oidcClientSecret === undefined)) {
    problems.push('OIDC_ISSUER_URL is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too, as registered with the provider');
  }
  // Production is never open unless asked to be.
  out.auth ??= out.nodeEnv === 'production' ? 'required' : 'open';
  if (problems.length > 0) throw new ConfigError(problems);
  return out as unknown as CollectorConfig;
}
