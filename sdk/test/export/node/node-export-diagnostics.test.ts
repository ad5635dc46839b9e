import { beforeEach, describe, expect, it, vi } from 'vitest';
import { diag, DiagLogLevel, logs, metrics } from '@opentelemetry/api';
import { setupNodeTelemetry } from '../../../src/export/node/setup-node-telemetry.js';
import type { NodeTelemetry, NodeTelemetryOptions } from '../../../src/export/node/node-telemetry-options.js';
import { refusingUrl } from '../otlp-stub-server.js';
import { stubCollectorHarness } from '../diagnostics-capture.js';

/**
 * What setupNodeTelemetry says when telemetry does not arrive, with the real
 * OpenTelemetry exporters against real HTTP servers that refuse, answer an
 * error, or answer 200. (Bounded shutdown against a hung collector is in
 * node-shutdown-timeout.test.ts.)
 */

const harness = stubCollectorHarness<NodeTelemetry>({ diagLevel: DiagLogLevel.INFO, muteInfo: true, node: true });
const { diag: recorder, serve } = harness;
const { ourWarnings, ourInfos } = recorder;

beforeEach(() => {
  vi.stubEnv('NODE_ENV', 'test');
});

function setup(endpoint: string, options: NodeTelemetryOptions = {}): NodeTelemetry {
  return harness.track(setupNodeTelemetry({ endpoint, serviceName: 'diagnostics-test', metricExportIntervalMillis: 60_000, ...options }));
}

/** Emits `count` events and moves a counter, so both a logs and a metrics export follow. */
function emit(count: number): void {
  const logger = logs.getLogger('diagnostics-test');
  for (let i = 0; i < count; i++) logger.emit({ eventName: 'test.event', attributes: { i } });
  metrics.getMeter('diagnostics-test').createCounter('test.count').add(count);
}

/** Exports once per count: emits that many events (see emit), then flushes. */
async function exportEach(flush: () => Promise<void>, ...counts: number[]): Promise<void> {
  for (const count of counts) {
    emit(count);
    await flush();
  }
}

describe('setupNodeTelemetry when exports fail', () => {
  it('says once, naming ECONNREFUSED and the URL, when nothing listens at the endpoint', async () => {
    const endpoint = await refusingUrl();
    // A short export budget, so the exporter's retries of the refused connection end quickly.
    const { flush } = setup(endpoint, { exportTimeoutMillis: 300 });
    await exportEach(flush, 3, 2);

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${endpoint}/v1/(logs|metrics) failed: ECONNREFUSED`));
    expect(warnings[0]).toContain('is the collector running');
    expect(harness.consoleWarn).toHaveBeenCalledTimes(1);
    expect(harness.consoleWarn).toHaveBeenCalledWith(warnings[0]);
  });

  it('says once, naming HTTP 404 and the URL, when the endpoint answers 404 (for logs and metrics alike)', async () => {
    const { url, paths } = await serve({ status: 404 });
    const { flush } = setup(url);
    await exportEach(flush, 3, 1);

    expect(paths).toEqual(expect.arrayContaining(['/v1/logs', '/v1/metrics']));
    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/(logs|metrics) failed: HTTP 404 \\(`));
    expect(warnings[0]).toContain("the base URL of the collector");
    expect(harness.consoleWarn).toHaveBeenCalledTimes(1);
  });

  it('says once, naming HTTP 500, the URL and what the collector said, when the collector fails', async () => {
    const { url } = await serve({ status: 500, body: 'clickhouse: table tv_logs does not exist' });
    const { flush } = setup(url);
    await exportEach(flush, 1, 1);

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/(logs|metrics) failed: HTTP 500 `));
    expect(warnings[0]).toContain('it said: clickhouse: table tv_logs does not exist');
    expect(harness.consoleWarn).toHaveBeenCalledTimes(1);
  });

  it('says once that the collector kept answering 503, when the retries run out', async () => {
    const { url } = await serve({ status: 503 });
    const { flush } = setup(url, { exportTimeoutMillis: 300 });
    await exportEach(flush, 2);

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/(logs|metrics) failed: the collector answered 429, 502, 503 or 504`));
    expect(warnings[0]).toContain('to every attempt for 300 ms');
  });

  it('says once that the collector did not answer, when an export runs out of time', async () => {
    const { url } = await serve('hang');
    const { flush } = setup(url, { exportTimeoutMillis: 500 });
    await exportEach(flush, 2);

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/(logs|metrics) failed: no answer within 500 ms`));
  });

  it('counts the log records each failure dropped, and says so once more when exports work again', async () => {
    const server = await serve({ status: 400 });
    const { url } = server;
    const { flush } = setup(url);
    await exportEach(flush, 4, 2);
    server.behaviour = { status: 200 };
    await exportEach(flush, 1);

    const warnings = ourWarnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 400');
    expect(ourInfos()).toContainEqual(`TunnelVision: telemetry export to ${url}/v1/logs works again, after 2 failed exports (6 log records dropped).`);
    expect(harness.consoleWarn).toHaveBeenCalledTimes(1);
  });

  it('flags an endpoint that is the URL of a signal, naming what to pass instead, and then the 404 it causes', async () => {
    const { url, paths } = await serve({ status: 404 });
    const { flush } = setup(`${url}/v1/logs`);
    await exportEach(flush, 1);

    const warnings = ourWarnings();
    expect(warnings[0]).toBe(
      `TunnelVision: the endpoint option is "${url}/v1/logs", which looks like the URL of one signal, but it must be the collector's base URL: ` +
        `/v1/logs and /v1/metrics are appended, so exports go to ${url}/v1/logs/v1/logs and ${url}/v1/logs/v1/metrics. ` +
        `Pass "${url}" instead. (It is used as given.)`,
    );
    expect(paths).toContain('/v1/logs/v1/logs');
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${url}/v1/logs/v1/(logs|metrics) failed: HTTP 404`));
    expect(harness.consoleWarn).toHaveBeenCalledTimes(2);
  });

  it('flags OTEL_EXPORTER_OTLP_ENDPOINT set to the URL of a signal', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://collector.internal:4318/v1/metrics/');
    setupNodeTelemetry({ serviceName: 'diagnostics-test', shutdownTimeoutMillis: 100 }).shutdown();
    expect(ourWarnings()[0]).toContain(
      'OTEL_EXPORTER_OTLP_ENDPOINT is "http://collector.internal:4318/v1/metrics/", which looks like the URL of one signal',
    );
    expect(ourWarnings()[0]).toContain('Pass "http://collector.internal:4318" instead');
  });

  it('prints nothing to the console in production, and still tells the diag logger', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const { url } = await serve({ status: 404 });
    const { flush } = setup(url);
    await exportEach(flush, 1);
    expect(ourWarnings()).toHaveLength(1);
    expect(harness.consoleWarn).not.toHaveBeenCalled();
  });

  it('leaves the console to the diag logger when OTEL_LOG_LEVEL is set', async () => {
    vi.stubEnv('OTEL_LOG_LEVEL', 'warn');
    const { url } = await serve({ status: 404 });
    const { flush } = setup(url);
    // The NodeSDK installed its console diag logger for OTEL_LOG_LEVEL; record instead, as the test does.
    diag.setLogger(recorder.logger, DiagLogLevel.INFO);
    await exportEach(flush, 1);
    expect(ourWarnings()).toHaveLength(1);
    expect(harness.consoleWarn).not.toHaveBeenCalled();
  });
});

describe('setupNodeTelemetry when exports work', () => {
  it('says nothing', async () => {
    const { url, paths } = await serve({ status: 200 });
    const { flush, shutdown } = setup(url);
    await exportEach(flush, 5);
    const started = performance.now();
    await shutdown();
    expect(performance.now() - started).toBeLessThan(1_000);

    expect(paths).toEqual(expect.arrayContaining(['/v1/logs', '/v1/metrics']));
    expect(ourWarnings()).toEqual([]);
    expect(ourInfos()).toEqual([]);
    expect(harness.consoleWarn).not.toHaveBeenCalled();
  });
});

describe('setupNodeTelemetry options', () => {
  it('throws for a timeout that is not a positive number', () => {
    expect(() => setupNodeTelemetry({ shutdownTimeoutMillis: 0 })).toThrow(/shutdownTimeoutMillis must be a positive number/);
    expect(() => setupNodeTelemetry({ exportTimeoutMillis: Number.NaN })).toThrow(/exportTimeoutMillis must be a positive number/);
  });
});
