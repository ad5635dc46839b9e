/**
 * Catching the most common set-up mistake: the URL of one signal
 * (`http://host:4318/v1/logs`) given where the collector's base URL is
 * expected, so exports go to `.../v1/logs/v1/logs` and get 404.
 *
 * The endpoint is not rewritten: a base URL that really ends in /v1/logs
 * (a proxy route, say) is legal, the URL the SDK uses stays the one
 * configured, and the export warnings name it. The warning says what to
 * pass instead.
 */

const SIGNAL_PATH = /^(.*?)\/v1\/(logs|metrics|traces)\/*$/;

/** If `endpoint` ends with an OTLP signal path, the base URL it should have been; else undefined. */
export function baseOfSignalUrl(endpoint: string): string | undefined {
  const match = SIGNAL_PATH.exec(endpoint.trim());
  return match ? match[1] : undefined;
}

/**
 * The warning for an endpoint that looks like a signal's URL, or undefined.
 * `name` is what the user set (`endpoint`, `OTEL_EXPORTER_OTLP_ENDPOINT`),
 * `appended` the paths the SDK adds to it.
 */
export function signalPathEndpointWarning(name: string, endpoint: string, appended: readonly string[]): string | undefined {
  const base = baseOfSignalUrl(endpoint);
  if (base === undefined) return undefined;
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  const becomes = appended.map((path) => `${trimmed}${path}`).join(' and ');
  return (
    `TunnelVision: ${name} is ${JSON.stringify(endpoint)}, which looks like the URL of one signal, but it must be ` +
    `the collector's base URL: ${appended.join(' and ')} ${appended.length === 1 ? 'is' : 'are'} appended, so exports go to ${becomes}. ` +
    `Pass ${JSON.stringify(base || '/')} instead. (It is used as given.)`
  );
}
