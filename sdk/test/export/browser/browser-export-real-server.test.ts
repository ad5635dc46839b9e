import { describe, expect, it } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { setupBrowserTelemetry } from '../../../src/export/browser/setup-browser-telemetry.js';
import type { BrowserTelemetry, BrowserTelemetryOptions } from '../../../src/export/browser/browser-telemetry-types.js';
import { refusingUrl } from '../otlp-stub-server.js';
import { stubCollectorHarness } from '../diagnostics-capture.js';

/**
 * The browser exporter over real HTTP (Node's fetch) against real servers
 * that refuse, answer an error, answer 200 or never answer, with real time.
 */

const harness = stubCollectorHarness<BrowserTelemetry>({ diagLevel: DiagLogLevel.WARN });
const { serve } = harness;
const { warnings } = harness.diag;

function setup(endpoint: string, options: Partial<BrowserTelemetryOptions> = {}) {
  const telemetry = harness.track(
    setupBrowserTelemetry({ endpoint, serviceName: 'chat-web', registerGlobal: false, logFlushIntervalMillis: 60_000, logger: diag, ...options }),
  );
  const logger = telemetry.loggerProvider.getLogger('@tunnelvision/sdk');
  const emit = (count: number) => {
    for (let i = 0; i < count; i++) logger.emit({ eventName: 'msg.sent', attributes: { i } });
  };
  return { telemetry, emit };
}

describe('browser export over real HTTP', () => {
  it('reports a refused connection once, with ECONNREFUSED and the URL', async () => {
    const endpoint = await refusingUrl();
    const { telemetry, emit } = setup(endpoint, { maxRetries: 0 });
    emit(2);
    await telemetry.flush();
    emit(1);
    await telemetry.flush();

    expect(telemetry.stats().failedLogRecords).toBe(3);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(new RegExp(`^TunnelVision: telemetry export to ${endpoint}/v1/logs failed: ECONNREFUSED`));
    expect(harness.consoleWarn).toHaveBeenCalledTimes(1);
  });

  it('reports HTTP 500 once, with the URL', async () => {
    const { url } = await serve({ status: 500, body: '{"code":13,"message":"storage unavailable"}' });
    const { telemetry, emit } = setup(url);
    emit(2);
    await telemetry.flush();
    emit(2);
    await telemetry.flush();

    expect(warnings()).toEqual([
      `TunnelVision: telemetry export to ${url}/v1/logs failed: HTTP 500 (the collector failed; ` +
        'it said: {"code":13,"message":"storage unavailable"}). 2 log records dropped. Later failures like this one are not reported again; a recovery is.',
    ]);
  });

  it('says nothing when the collector answers 200', async () => {
    const { url, paths } = await serve({ status: 200 });
    const { telemetry, emit } = setup(url);
    emit(3);
    telemetry.meterProvider.getMeter('m').createCounter('c').add(1);
    await telemetry.flush();
    await telemetry.shutdown();

    expect(paths).toEqual(expect.arrayContaining(['/v1/logs', '/v1/metrics']));
    expect(telemetry.stats()).toMatchObject({ exportedLogRecords: 3, failedLogRecords: 0, failedMetricRequests: 0 });
    expect(warnings()).toEqual([]);
    expect(harness.consoleWarn).not.toHaveBeenCalled();
  });

  it('bounds shutdown() by shutdownTimeoutMillis against a collector that never answers', async () => {
    const { url, paths } = await serve('hang');
    const { telemetry, emit } = setup(url, { shutdownTimeoutMillis: 2_000 });
    emit(5);
    const started = performance.now();
    await telemetry.shutdown();
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(3_000);
    expect(paths).toEqual(['/v1/logs']);
    expect(warnings()).toEqual([
      `TunnelVision: telemetry shutdown() stopped waiting after 2000 ms (shutdownTimeoutMillis) and abandoned 5 log records for ${url}/v1/logs; ` +
        'the collector had not answered yet.',
    ]);
  });
});
