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
