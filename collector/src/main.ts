import { configHelp, loadCollectorConfig } from './config/collector-config.js';
import { ConfigError } from './errors.js';
import { startCollector } from './collector.js';

/** `npm run collector`: runs the collector in the foreground until SIGINT or SIGTERM. */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`TunnelVision collector: OTLP/HTTP (query API on the same port) and OTLP/gRPC in, ClickHouse out.\n\n${configHelp()}\n`);
    return 0;
  }
  let config;
  let collector;
  try {
    config = loadCollectorConfig(process.env, argv);
    collector = await startCollector(config, {
      // On-call reads these in the console even with no webhook configured.
      onAlertTransition: (alert, from) => {
        const state = alert.state === 'resolved' && from === 'pending' ? 'cleared' : alert.state;
        const deploy = alert.deploy ? ` (began ${alert.deploy.minutes_before_onset} min after deploy ${alert.deploy.version})` : '';
        const link = alert.state === 'resolved' ? '' : `\n  ${alert.dashboard_url}`;
      process.stdout.write(`ALERT ${state.toUpperCase()} [${alert.severity}] ${alert.summary}${deploy}${link}\n`);
      },
    });
  } catch (err) {
    // Bad settings, or sign-in required with nobody able to sign in: say what to set, not a stack.
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const where = collector.store.mode === 'embedded' ? `embedded ClickHouse in ${collector.store.location}` : `ClickHouse at ${collector.store.location}`;
  process.stdout.write(
    [
      `TunnelVision collector listening on ${collector.url}`,
      `  store:     ${where} (database ${config.database})`,
      `  OTLP/HTTP: ${collector.url}/v1/logs, /v1/metrics, /v1/traces`,
      collector.grpcAddress === undefined
        ? '  OTLP/gRPC: off (COLLECTOR_GRPC_PORT=off)'
        : `  OTLP/gRPC: ${collector.grpcAddress} (logs, metrics, traces; plaintext, gzip)`,
      `  query API: ${collector.url}/api/v1/  (health: /healthz, /readyz)`,
      `  alerts:    ${config.alertRulesFile ? `built-in rules + ${config.alertRulesFile}` : 'built-in rules'}, every ${config.alertEvaluationIntervalMillis / 1000} s; ` +
        (config.alertWebhookUrl ? `webhook ${new URL(config.alertWebhookUrl).origin}` : 'no webhook (set ALERT_WEBHOOK_URL to be paged)'),
      collector.migrationsApplied.length > 0 ? `  schema:    applied ${collector.migrationsApplied.join(', ')}` : '  schema:    up to date',
      ...(config.auth === 'required' ? ['  access:    sign-in required (docs/security.md)'] : []),
      ...collector.accessNotes.map((note) => `  access:    ${note}`),
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`\n${signal}: draining buffered rows and closing the store...\n`);
      collector.stop().then(resolve, (err: unknown) => {
        process.stderr.write(`Shutdown failed: ${(err as Error).message}\n`);
        resolve();
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // Started by `npm start` with an IPC channel: stop when that parent goes away.
    if (process.send) process.once('disconnect', () => stop('parent exited'));
  });
  process.stdout.write('Collector stopped.\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`Collector failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
