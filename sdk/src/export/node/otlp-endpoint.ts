import { signalPathEndpointWarning } from '../signal-path-endpoint.js';

/** The default collector address: the OTLP/HTTP port on loopback. */
export const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318';

/**
 * The export URL to give an OTLP/HTTP exporter for one signal, or
 * undefined to let the exporter read it from the environment: when
 * OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT is
 * set, a URL passed in code would override it, and operators expect the
 * variable to win.
 */
export function otlpSignalUrl(
  signal: 'LOGS' | 'METRICS',
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const fromEnv = env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (fromEnv) return undefined;
  const base = (endpoint ?? DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '');
  return `${base}/v1/${signal.toLowerCase()}`;
}

/** The environment's endpoint variables for a signal, blank ones counting as unset. */
function endpointFromEnv(signal: 'LOGS' | 'METRICS', env: NodeJS.ProcessEnv): { specific?: string; base?: string } {
  return {
    specific: env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]?.trim() || undefined,
    base: env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined,
  };
}

/**
 * The URL the OTLP/HTTP exporter of a signal posts to, for messages: the
 * signal's variable as given, else OTEL_EXPORTER_OTLP_ENDPOINT with the
 * signal path appended (as the exporter does), else otlpSignalUrl's.
 */
export function otlpExportUrl(signal: 'LOGS' | 'METRICS', endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = endpointFromEnv(signal, env);
  if (fromEnv.specific) return URL.canParse(fromEnv.specific) ? new URL(fromEnv.specific).href : fromEnv.specific;
  if (fromEnv.base) return `${fromEnv.base.endsWith('/') ? fromEnv.base : `${fromEnv.base}/`}v1/${signal.toLowerCase()}`;
  return otlpSignalUrl(signal, endpoint, env) ?? `${DEFAULT_OTLP_ENDPOINT}/v1/${signal.toLowerCase()}`;
}

/** The OTLP exporters' own default time budget per export (@opentelemetry/otlp-exporter-base). */
export const OTLP_EXPORTER_DEFAULT_TIMEOUT_MILLIS = 10_000;

/**
 * The time budget of one export of a signal, retries included, as the
 * exporter will have it: the option, else OTEL_EXPORTER_OTLP_<SIGNAL>_TIMEOUT,
 * else OTEL_EXPORTER_OTLP_TIMEOUT, else 10 s.
 */
export function otlpExportTimeoutMillis(signal: 'LOGS' | 'METRICS', option: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (option !== undefined) return option;
  for (const name of [`OTEL_EXPORTER_OTLP_${signal}_TIMEOUT`, 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const value = Number(env[name]?.trim() || Number.NaN);
    if (Number.isFinite(value) && value > 0) return value;
  }
  return OTLP_EXPORTER_DEFAULT_TIMEOUT_MILLIS;
}

/**
 * Warnings about endpoints that cannot be what was meant, for the
 * endpoints actually in use: a base URL (the `endpoint` option or
 * OTEL_EXPORTER_OTLP_ENDPOINT) that ends with a signal path, to which the
 * signal path would be appended a second time; and a signal's own variable
 * (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT), which is used exactly as given, set
 * to a bare base URL with no path.
 */
export function otlpEndpointWarnings(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const warnings: string[] = [];
  const signals = ['LOGS', 'METRICS'] as const;
  const usesBase = signals.filter((signal) => !endpointFromEnv(signal, env).specific);
  const baseFromEnv = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const appended = usesBase.map((signal) => `/v1/${signal.toLowerCase()}`);
  if (usesBase.length > 0) {
    const [name, value] = baseFromEnv ? ['OTEL_EXPORTER_OTLP_ENDPOINT', baseFromEnv] : ['the endpoint option', endpoint];
    const warning = value === undefined ? undefined : signalPathEndpointWarning(name, value, appended);
    if (warning) warnings.push(warning);
  }
  for (const signal of signals) {
    const specific = endpointFromEnv(signal, env).specific;
    if (specific && URL.canParse(specific) && new URL(specific).pathname === '/') {
      warnings.push(
        `TunnelVision: OTEL_EXPORTER_OTLP_${signal}_ENDPOINT is ${JSON.stringify(specific)}; a signal's own endpoint is used as given, ` +
          `with no path appended, so exports go to ${specific}. Set it to ${JSON.stringify(`${specific.replace(/\/+$/, '')}/v1/${signal.toLowerCase()}`)}, ` +
          'or set OTEL_EXPORTER_OTLP_ENDPOINT to the base URL instead.',
      );
    }
  }
  return warnings;
}
