import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { setupBrowserTelemetry } from '../../../src/export/browser/setup-browser-telemetry.js';
import type { BrowserTelemetry, BrowserTelemetryOptions } from '../../../src/export/browser/browser-telemetry-types.js';
import { DiagRecorder, muteConsole } from '../diagnostics-capture.js';
import { createFakeFetch, jsonResponse, type FakeReply, type RecordedRequest } from './fake-fetch.js';

/**
 * What setupBrowserTelemetry says when telemetry does not arrive, and how
 * long shutdown() and page-hide flushes keep trying, with a fake fetch and
 * fake timers (browser-export-real-server.test.ts does the same over real
 * HTTP).
 */

const ENDPOINT = 'https://collector.test';
const NOW = Date.UTC(2026, 10, 23, 6, 0, 0);

const recorder = new DiagRecorder();
const { warnings, infos, ours } = recorder;

let telemetry: BrowserTelemetry | undefined;
let consoleWarn: MockInstance<typeof console.warn>;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  vi.spyOn(Math, 'random').mockReturnValue(0.5); // backoff jitter factor exactly 1
  recorder.install(DiagLogLevel.INFO);
  consoleWarn = muteConsole({ info: true });
});

afterEach(async () => {
  const stopped = telemetry?.shutdown();
  await vi.runAllTimersAsync();
  await stopped;
  telemetry = undefined;
  diag.disable();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function setup(reply: (request: RecordedRequest, index: number) => FakeReply, options: Partial<BrowserTelemetryOptions> = {}) {
  const fake = createFakeFetch(reply);
  // OpenTelemetry's diag as the logger option, as an app routing our warnings there would.
  telemetry = setupBrowserTelemetry({ endpoint: ENDPOINT, serviceName: 'chat-web', registerGlobal: false, fetch: fake.fetch, logger: diag, ...options });
  const logger = telemetry.loggerProvider.getLogger('@tunnelvision/sdk');
  const emit = (count: number) => {
    for (let i = 0; i < count; i++) logger.emit({ eventName: 'msg.sent', attributes: { i } });
  };
  return { telemetry, emit, requests: fake.requests };
}

describe('export failures', () => {
  it('are reported once, with the HTTP status and the URL, not once per batch', async () => {
    const { telemetry, emit } = setup(() => jsonResponse(404, { message: 'no route' }), { logBatchSize: 2 });
    emit(5);
    await telemetry.flush();
    emit(3);
    await telemetry.flush();

    expect(telemetry.stats().failedLogRecords).toBe(8);
    expect(warnings()).toEqual([
      'TunnelVision: telemetry export to https://collector.test/v1/logs failed: HTTP 404 (nothing takes OTLP at this URL: ' +
        'is the endpoint the base URL of the collector?; it said: {"message":"no route"}). 2 log records dropped. ' +
        'Later failures like this one are not reported again; a recovery is.',
    ]);
    expect(consoleWarn).toHaveBeenCalledTimes(1);
    expect(consoleWarn).toHaveBeenCalledWith(warnings()[0]);
  });

  it('are reported once per collector for logs and metrics alike, and a browser network error names CORS as a cause', async () => {
    const { telemetry, emit } = setup(() => new TypeError('Failed to fetch'), { maxRetries: 0 });
    emit(1);
    telemetry.meterProvider.getMeter('m').createCounter('c').add(1);
    await telemetry.flush();
    await telemetry.flush();

    expect(telemetry.stats()).toMatchObject({ failedLogRecords: 1, failedMetricRequests: 2 });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('https://collector.test/v1/logs failed: network error (TypeError: Failed to fetch)');
    expect(warnings()[0]).toContain('or does not allow this origin (COLLECTOR_CORS_ORIGINS)');
  });

  it('reports a different problem when it appears, and the recovery once exports work again', async () => {
    const replies: FakeReply[] = [jsonResponse(401, {}), jsonResponse(500, {}), jsonResponse(500, {}), jsonResponse(200, {})];
    const { telemetry, emit } = setup((_, i) => replies[i]!);
    for (let i = 0; i < replies.length; i++) {
      emit(2);
      await telemetry.flush();
    }

    expect(warnings().map((w) => w.slice(0, 81))).toEqual([
      'TunnelVision: telemetry export to https://collector.test/v1/logs failed: HTTP 401',
      'TunnelVision: telemetry export to https://collector.test/v1/logs failed: HTTP 500',
    ]);
    expect(warnings()[0]).toContain('check the headers (API key)');
    expect(infos()).toEqual(['TunnelVision: telemetry export to https://collector.test/v1/logs works again, after 3 failed exports (6 log records dropped).']);
  });

  it('go to the logger option only when consoleWarnings is false', async () => {
    const { telemetry, emit } = setup(() => jsonResponse(404), { consoleWarnings: false });
    emit(1);
    await telemetry.flush();
    expect(warnings()).toHaveLength(1);
    expect(consoleWarn).not.toHaveBeenCalled();
  });

  it('are not reported when a retry succeeds', async () => {
    const replies: FakeReply[] = [new TypeError('Failed to fetch'), jsonResponse(503), jsonResponse(200)];
    const { telemetry, emit } = setup((_, i) => replies[i]!);
    emit(1);
    const flushed = telemetry.flush();
    await vi.advanceTimersByTimeAsync(1_000 + 2_000);
    await flushed;
    expect(telemetry.stats().exportedLogRecords).toBe(1);
    expect(ours()).toEqual([]);
    expect(consoleWarn).not.toHaveBeenCalled();
  });
});

describe('an endpoint that looks like the URL of a signal', () => {
  it.each([
    ['https://collector.test/v1/logs', 'https://collector.test'],
    ['https://collector.test:4318/v1/metrics/', 'https://collector.test:4318'],
    ['/otlp/v1/traces', '/otlp'],
  ])('%s: is flagged, naming what to pass instead', (endpoint, base) => {
    setup(() => jsonResponse(200), { endpoint });
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain(`the endpoint option is ${JSON.stringify(endpoint)}, which looks like the URL of one signal`);
    expect(warnings()[0]).toContain(`Pass ${JSON.stringify(base)} instead. (It is used as given.)`);
    expect(consoleWarn).toHaveBeenCalledTimes(1);
  });

  it('is not flagged for a base URL with a path', () => {
    setup(() => jsonResponse(200), { endpoint: 'https://example.com/otlp/v1' });
    expect(warnings()).toEqual([]);
  });
});

describe('shutdown()', () => {
  it('resolves after shutdownTimeoutMillis when the collector never answers, saying what it abandoned', async () => {
    const { telemetry, emit, requests } = setup(() => new Promise<Response>(() => undefined), { shutdownTimeoutMillis: 2_000, logBatchSize: 4 });
    emit(6);
    let resolved = false;
    const stopped = telemetry.shutdown().then(() => (resolved = true));

    await vi.advanceTimersByTimeAsync(1_999);
    expect(resolved).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await stopped;
    expect(resolved).toBe(true);
    // One batch of 4 waiting for an answer, 2 records behind it.
    expect(requests).toHaveLength(1);
    expect(warnings()).toEqual([
      'TunnelVision: telemetry shutdown() stopped waiting after 2000 ms (shutdownTimeoutMillis) and abandoned ' +
        '6 log records for https://collector.test/v1/logs; the collector had not answered yet.',
    ]);
    // Abandoned records count as failed.
    expect(telemetry.stats()).toMatchObject({ exportedLogRecords: 0, failedLogRecords: 6 });
    // Nothing is tried after that.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(requests).toHaveLength(1);
  });

  it('says what the attempts ran into while they were being retried', async () => {
    const { telemetry, emit } = setup(() => new TypeError('Failed to fetch'));
    emit(1);
    const stopped = telemetry.shutdown();
    await vi.advanceTimersByTimeAsync(3_000);
    await stopped;
    expect(warnings()).toEqual([
      'TunnelVision: telemetry shutdown() stopped waiting after 3000 ms (shutdownTimeoutMillis) and abandoned 1 log record for ' +
        'https://collector.test/v1/logs; the last attempt failed: network error (TypeError: Failed to fetch): the collector cannot be reached, ' +
        'or does not allow this origin (COLLECTOR_CORS_ORIGINS).',
    ]);
  });

  it('says nothing when the collector answers in time', async () => {
    const { telemetry, emit } = setup(() => jsonResponse(200));
    emit(3);
    await telemetry.shutdown();
    expect(telemetry.stats().exportedLogRecords).toBe(3);
    expect(ours()).toEqual([]);
  });
});

describe('flushes on page hide', () => {
  function fakePage() {
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('addEventListener', () => undefined);
    vi.stubGlobal('removeEventListener', () => undefined);
    vi.stubGlobal('document', doc);
    return {
      hide: () => {
        doc.visibilityState = 'hidden';
        doc.dispatchEvent(new Event('visibilitychange'));
      },
    };
  }

  it('stop trying after shutdownTimeoutMillis when the collector never answers', async () => {
    const page = fakePage();
    const { telemetry, emit, requests } = setup(() => new Promise<Response>(() => undefined), {
      shutdownTimeoutMillis: 2_000,
      logFlushIntervalMillis: 60_000,
    });
    emit(3);
    page.hide();
    expect(requests).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_999);
    expect(telemetry.stats().failedLogRecords).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(telemetry.stats().failedLogRecords).toBe(3);
    expect(warnings()[0]).toContain('https://collector.test/v1/logs failed: no answer within 2000 ms');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(requests).toHaveLength(1);
  });

  it('bound the retries of exports already under way', async () => {
    const page = fakePage();
    const { telemetry, emit, requests } = setup(() => jsonResponse(503), { shutdownTimeoutMillis: 2_000, logBatchSize: 1 });
    emit(1); // a full batch: its export starts now, and backs off after the 503
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(1);
    page.hide(); // one more attempt at once, then none after the deadline
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(2);
    // The next backoff (2 s) would end at the deadline: the body is given up instead of 5 retries over a minute.
    expect(telemetry.stats().failedLogRecords).toBe(1);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(requests).toHaveLength(2);
    expect(warnings()[0]).toContain('https://collector.test/v1/logs failed: HTTP 503');
  });
});
