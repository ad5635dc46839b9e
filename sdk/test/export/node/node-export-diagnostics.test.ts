import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { diag, DiagLogLevel, logs, metrics, type DiagLogger } from '@opentelemetry/api';
import { setupNodeTelemetry } from '../../../src/export/node/setup-node-telemetry.js';
import type { NodeTelemetry, NodeTelemetryOptions } from '../../../src/export/node/node-telemetry-options.js';
import { refusingUrl, startOtlpStubServer, type OtlpStubServer, type StubBehaviour } from '../otlp-stub-server.js';

/**
 * What setupNodeTelemetry says when telemetry does not arrive, with the real
 * OpenTelemetry exporters against real HTTP servers that refuse, answer an
 * error, or answer 200. (Bounded shutdown against a hung collector is in
 * node-shutdown-timeout.test.ts.)
 */

const recorded: { level: keyof DiagLogger; message: string }[] = [];
const recordingLogger: DiagLogger = {
  error: (message) => recorded.push({ level: 'error', message }),
  warn: (message) => recorded.push({ level: 'warn', message }),
  info: (message) => recorded.push({ level: 'info', message }),
  debug: () => undefined,
  verbose: () => undefined,
};
/** Our warnings through diag (OpenTelemetry's own diag output is left out). */
const ourWarnings = () => recorded.filter((r) => r.level === 'warn' && r.message.startsWith('TunnelVision:')).map((r) => r.message);
const ourInfos = () => recorded.filter((r) => r.level === 'info' && r.message.startsWith('TunnelVision:')).map((r) => r.message);

let consoleWarn: MockInstance<typeof console.warn>;
let telemetry: NodeTelemetry | undefined;
let server: OtlpStubServer | undefined;

beforeEach(() => {
  // The test decides the endpoint; a developer's OTEL_* variables must not redirect it.
  for (const name of [
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
    'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TIMEOUT',
    'OTEL_SDK_DISABLED',
    'OTEL_LOG_LEVEL',
  ]) {
    vi.stubEnv(name, '');
  }
  vi.stubEnv('NODE_ENV', 'test');
  recorded.length = 0;
  diag.setLogger(recordingLogger, DiagLogLevel.INFO);
  consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
});

afterEach(async () => {
  await telemetry?.shutdown();
  await server?.close();
  telemetry = undefined;
  server = undefined;
  // Each test sets up its own global providers.
  logs.disable();
  metrics.disable();
  diag.disable();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function setup(endpoint: string, options: NodeTelemetryOptions = {}): NodeTelemetry {
  telemetry = setupNodeTelemetry({ endpoint, serviceName: 'diagnostics-test', metricExportIntervalMillis: 60_000, ...options });
  return telemetry;
}

/** Emits `count` events and moves a counter, so both a logs and a metrics export follow. */
function emit(count: number): void {
  const logger = logs.getLogger('diagnostics-test');
  for (let i = 0; i < count; i++) logger.emit({ eventName: 'test.event', attributes: { i } });
  metrics.getMeter('diagnostics-test').createCounter('test.count').add(count);
}

async function serve(behaviour: StubBehaviour): Promise<OtlpStubServer> {
  server = await startOtlpStubServer(behaviour);
  return server;
}

describe('setupNodeTelemetry when exports fail', () => {
  it('says once, naming ECONNREFUSED and the URL, when nothing listens at the endpoint', async () => {
    const endpoint = await refusingUrl();
    // A short export budget, so the exporter's retries of the refused connection end quickly.
    const { flush } = setup(endpoint, { exportTimeoutMillis: 300 });
    emit(3);
    await flush();
    emit(2);
    await flush();

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${endpoint}/v1/(logs|metrics) failed: ECONNREFUSED`));
    expect(warnings[0]).toContain('is the collector running');
    expect(consoleWarn).toHaveBeenCalledTimes(1);
    expect(consoleWarn).toHaveBeenCalledWith(warnings[0]);
  });

  it('says once, naming HTTP 404 and the URL, when the endpoint answers 404 (for logs and metrics alike)', async () => {
    const { url } = await serve({ status: 404 });
    const { flush } = setup(url);
    emit(3);
    await flush();
    emit(1);
    await flush();

    expect(server!.paths).toEqual(expect.arrayContaining(['/v1/logs', '/v1/metrics']));
    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/(logs|metrics) failed: HTTP 404 \\(`));
    expect(warnings[0]).toContain("the base URL of the collector");
    expect(consoleWarn).toHaveBeenCalledTimes(1);
  });

  it('says once, naming HTTP 500, the URL and what the collector said, when the collector fails', async () => {
    const { url } = await serve({ status: 500, body: 'clickhouse: table tv_logs does not exist' });
    const { flush } = setup(url);
    emit(1);
    await flush();
    emit(1);
    await flush();

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/(logs|metrics) failed: HTTP 500 `));
    expect(warnings[0]).toContain('it said: clickhouse: table tv_logs does not exist');
    expect(consoleWarn).toHaveBeenCalledTimes(1);
  });

  it('says once that the collector kept answering 503, when the retries run out', async () => {
    const { url } = await serve({ status: 503 });
    const { flush } = setup(url, { exportTimeoutMillis: 300 });
    emit(2);
    await flush();

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/(logs|metrics) failed: the collector answered 429, 502, 503 or 504`));
    expect(warnings[0]).toContain('to every attempt for 300 ms');
  });

  it('says once that the collector did not answer, when an export runs out of time', async () => {
    const { url } = await serve('hang');
    const { flush } = setup(url, { exportTimeoutMillis: 500 });
    emit(2);
    await flush();

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/(logs|metrics) failed: no answer within 500 ms`));
  });

  it('counts the log records each failure dropped, and says so once more when exports work again', async () => {
    const { url } = await serve({ status: 400 });
    const { flush } = setup(url);
    emit(4);
    await flush();
    emit(2);
    await flush();
    server!.behaviour = { status: 200 };
    emit(1);
    await flush();

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 400');
    expect(ourInfos()).toContainEqual(`TunnelVision: telemetry export to ${url}/v1/logs works again, after 2 failed exports (6 log records dropped).`);
    expect(consoleWarn).toHaveBeenCalledTimes(1);
  });

  it('flags an endpoint that is the URL of a signal, naming what to pass instead, and then the 404 it causes', async () => {
    const { url } = await serve({ status: 404 });
    const { flush } = setup(`${url}/v1/logs`);
    emit(1);
    await flush();

    const warnings = ourWarnings();
    expect(warnings[0]).toBe(
      `TunnelVision: the endpoint option is "${url}/v1/logs", which looks like the URL of one signal, but it must be the collector's base URL: ` +
        `/v1/logs and /v1/metrics are appended, so exports go to ${url}/v1/logs/v1/logs and ${url}/v1/logs/v1/metrics. ` +
        `Pass "${url}" instead. (It is used as given.)`,
    );
    expect(server!.paths).toContain('/v1/logs/v1/logs');
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/logs/v1/(logs|metrics) failed: HTTP 404`));
    expect(consoleWarn).toHaveBeenCalledTimes(2);
  });

  it('flags OTEL_EXPORTER_OTLP_ENDPOINT set to the URL of a signal', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://collector.internal:4318/v1/metrics/');
    setupNodeTelemetry({ serviceName: 'diagnostics-test', shutdownTimeoutMillis: 100 }).shutdown();
    telemetry = undefined;
    expect(ourWarnings()[0]).toContain(
      'OTEL_EXPORTER_OTLP_ENDPOINT is "http://collector.internal:4318/v1/metrics/", which looks like the URL of one signal',
    );
    expect(ourWarnings()[0]).toContain('Pass "http://collector.internal:4318" instead');
  });

  it('prints nothing to the console in production, and still tells the diag logger', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const { url } = await serve({ status: 404 });
    const { flush } = setup(url);
    emit(1);
    await flush();
    expect(ourWarnings()).toHaveLength(1);
    expect(consoleWarn).not.toHaveBeenCalled();
  });

  it('leaves the console to the diag logger when OTEL_LOG_LEVEL is set', async () => {
    vi.stubEnv('OTEL_LOG_LEVEL', 'warn');
    const { url } = await serve({ status: 404 });
    const { flush } = setup(url);
    // The NodeSDK installed its console diag logger for OTEL_LOG_LEVEL; record instead, as the test does.
    diag.setLogger(recordingLogger, DiagLogLevel.INFO);
    emit(1);
    await flush();
    expect(ourWarnings()).toHaveLength(1);
    expect(consoleWarn).not.toHaveBeenCalled();
  });
});

describe('setupNodeTelemetry when exports work', () => {
  it('says nothing', async () => {
    const { url } = await serve({ status: 200 });
    const { flush, shutdown } = setup(url);
    emit(5);
    await flush();
    const started = performance.now();
    await shutdown();
    expect(performance.now() - started).toBeLessThan(1_000);

    expect(server!.paths).toEqual(expect.arrayContaining(['/v1/logs', '/v1/metrics']));
    expect(ourWarnings()).toEqual([]);
    expect(ourInfos()).toEqual([]);
    expect(consoleWarn).not.toHaveBeenCalled();
  });
});

describe('setupNodeTelemetry options', () => {
  it('throws for a timeout that is not a positive number', () => {
    expect(() => setupNodeTelemetry({ shutdownTimeoutMillis: 0 })).toThrow(/shutdownTimeoutMillis must be a positive number/);
    expect(() => setupNodeTelemetry({ exportTimeoutMillis: Number.NaN })).toThrow(/exportTimeoutMillis must be a positive number/);
  });
});
