import { describe, expect, it } from 'vitest';
import { DiagLogLevel, logs, metrics } from '@opentelemetry/api';
import { setupNodeTelemetry } from '../../../src/export/node/setup-node-telemetry.js';
import type { NodeTelemetry } from '../../../src/export/node/node-telemetry-options.js';
import { refusingUrl } from '../otlp-stub-server.js';
import { stubCollectorHarness } from '../diagnostics-capture.js';

/**
 * shutdown() is bounded by shutdownTimeoutMillis when the collector cannot
 * be reached or never answers, with the real OpenTelemetry exporters and
 * their default export timeout (10 s, retries included), which used to
 * hold shutdown for most of Kubernetes' 30 s grace period.
 */

const SHUTDOWN_TIMEOUT_MILLIS = 2_000;
/** What the bound allows beyond the timeout: scheduling, not exporting. */
const MARGIN_MILLIS = 1_000;

const harness = stubCollectorHarness<NodeTelemetry>({ diagLevel: DiagLogLevel.WARN, node: true });
const { serve, track } = harness;

/** Sets up telemetry for `endpoint`, emits `records` events and a metric, and measures shutdown(). */
async function shutdownMillis(endpoint: string, records: number): Promise<number> {
  const telemetry = track(
    setupNodeTelemetry({
      endpoint,
      serviceName: 'shutdown-test',
      metricExportIntervalMillis: 60_000,
      shutdownTimeoutMillis: SHUTDOWN_TIMEOUT_MILLIS,
    }),
  );
  const logger = logs.getLogger('shutdown-test');
  for (let i = 0; i < records; i++) logger.emit({ eventName: 'test.event', attributes: { i } });
  metrics.getMeter('shutdown-test').createCounter('test.count').add(records);
  const started = performance.now();
  await telemetry.shutdown();
  return performance.now() - started;
}

/** Our warnings about `url`. */
const warningsAbout = (url: string) => harness.diag.ourWarnings().filter((w) => w.includes(url));

describe('setupNodeTelemetry shutdown()', () => {
  it('resolves after shutdownTimeoutMillis against a collector that accepts requests and never answers, saying what it abandoned', async () => {
    const server = await serve('hang');
    const elapsed = await shutdownMillis(server.url, 7);

    expect(elapsed).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MILLIS - 100);
    expect(elapsed).toBeLessThan(SHUTDOWN_TIMEOUT_MILLIS + MARGIN_MILLIS);
    // Both exports reached the server: shutdown did try to send.
    expect(server.paths).toEqual(expect.arrayContaining(['/v1/logs', '/v1/metrics']));
    expect(warningsAbout(server.url)).toEqual([
      `TunnelVision: telemetry shutdown() stopped waiting after ${SHUTDOWN_TIMEOUT_MILLIS} ms (shutdownTimeoutMillis) and abandoned ` +
        `7 log records (not yet accepted by ${server.url}/v1/logs; the exporter was still trying) and ` +
        `1 metric export of 1 data point (to ${server.url}/v1/metrics; the exporter was still trying). ` +
        'Requests in flight end at their export timeout; nothing more is sent.',
    ]);
  });

  it('resolves after shutdownTimeoutMillis when nothing listens at the endpoint and the exporters keep retrying', async () => {
    const endpoint = await refusingUrl();
    const elapsed = await shutdownMillis(endpoint, 3);

    expect(elapsed).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MILLIS - 100);
    expect(elapsed).toBeLessThan(SHUTDOWN_TIMEOUT_MILLIS + MARGIN_MILLIS);
    const [abandoned, ...rest] = warningsAbout(endpoint);
    expect(rest).toEqual([]);
    expect(abandoned).toContain(`abandoned 3 log records (not yet accepted by ${endpoint}/v1/logs; the exporter was still trying)`);
  });

  it('sends nothing more once it stopped waiting: records queued behind a hung export are not sent later', async () => {
    const server = await serve('hang');
    const telemetry = track(setupNodeTelemetry({ endpoint: server.url, exportTimeoutMillis: 1_000, shutdownTimeoutMillis: 300 }));
    const logger = logs.getLogger('shutdown-test');
    logger.emit({ eventName: 'test.event' });
    // The batch processor's scheduled export (after 1 s) takes that record and hangs.
    while (!server.paths.includes('/v1/logs')) await new Promise((resolve) => setTimeout(resolve, 50));
    logger.emit({ eventName: 'test.event' });
    logger.emit({ eventName: 'test.event' });
    await telemetry.shutdown();
    expect(warningsAbout(server.url)[0]).toContain('abandoned 3 log records');

    // The hung export runs out of time (1 s); without the abandonment, the other two would go out then.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(server.paths.filter((path) => path === '/v1/logs')).toHaveLength(1);
  });

  it('gives a second call the same promise, which resolves once, with one message', async () => {
    const server = await serve('hang');
    const telemetry = track(setupNodeTelemetry({ endpoint: server.url, shutdownTimeoutMillis: 500 }));
    logs.getLogger('shutdown-test').emit({ eventName: 'test.event' });
    const first = telemetry.shutdown();
    expect(telemetry.shutdown()).toBe(first);
    await expect(first).resolves.toBeUndefined();
    expect(warningsAbout(server.url)).toHaveLength(1);
  });
});
