import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { metrics } from '@opentelemetry/api';
import { logs, SeverityNumber, type Logger } from '@opentelemetry/api';
import { setupBrowserTelemetry } from '../../../src/export/browser/setup-browser-telemetry.js';
import type { BrowserTelemetry, BrowserTelemetryOptions } from '../../../src/export/browser/browser-telemetry-types.js';
import { KEEPALIVE_MAX_BYTES } from '../../../src/export/browser/otlp-http-sender.js';
import { createPageTracker } from '../../../src/export/browser/create-page-tracker.js';
import { createFakeFetch, jsonResponse, type FakeReply, type RecordedRequest } from './fake-fetch.js';

const NOW = Date.UTC(2026, 10, 23, 6, 0, 0);
const ENDPOINT = 'https://collector.test/';
const SCHEMA_URL = 'https://tunnelvision.dev/schemas/1.1.0';

let telemetry: BrowserTelemetry | undefined;

function setup(reply?: (request: RecordedRequest, index: number) => FakeReply, options: Partial<BrowserTelemetryOptions> = {}) {
  const fake = createFakeFetch(reply);
  telemetry = setupBrowserTelemetry({
    endpoint: ENDPOINT,
    serviceName: 'chat-web',
    serviceVersion: '2.14.0',
    environment: 'test',
    registerGlobal: false,
    fetch: fake.fetch,
    ...options,
  });
  const logger = telemetry.loggerProvider.getLogger('@tunnelvision/sdk', '0.1.0', { schemaUrl: SCHEMA_URL });
  return { telemetry, logger, requests: fake.requests };
}

const logRequests = (requests: readonly RecordedRequest[]) => requests.filter((r) => r.url.endsWith('/v1/logs'));
/** The `n` attribute of every record of a logs request, in order. */
const numbersIn = (request: RecordedRequest): number[] =>
  request.json.resourceLogs[0].scopeLogs.flatMap((s: any) =>
    s.logRecords.map((r: any) => Number(r.attributes.find((a: any) => a.key === 'n').value.intValue)),
  );
const emitNumbered = (logger: Logger, from: number, to: number, extra: Record<string, string> = {}) => {
  for (let n = from; n <= to; n++) logger.emit({ eventName: 'msg.sent', attributes: { n, ...extra } });
};

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
  vi.spyOn(Math, 'random').mockReturnValue(0.5); // backoff jitter factor exactly 1
});

afterEach(async () => {
  // Shutdown flushes; run the retry and timeout timers that flush may wait on.
  const stopped = telemetry?.shutdown();
  await vi.runAllTimersAsync();
  await stopped;
  telemetry = undefined;
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('log records', () => {
  it('produces exactly this OTLP/JSON', async () => {
    const { telemetry, logger, requests } = setup(undefined, {
      resourceAttributes: { 'session.id': 'sess-7f3a', 'service.name': 'loses-to-the-option' },
      headers: { 'x-tunnelvision-key': 'k1' },
    });
    logger.emit({
      eventName: 'msg.dropped',
      timestamp: NOW - 1_000,
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'message m-1003 dropped: ttl_expired',
      attributes: {
        'tv.message.id': 'm-1003',
        'tv.message.attempt': 3,
        'tv.message.latency_ms': 12.5,
        'tv.close.clean': false,
        skipped: undefined,
      },
    });
    await telemetry.flush();

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request!.url).toBe('https://collector.test/v1/logs');
    expect(request!.method).toBe('POST');
    expect(request!.keepalive).toBe(true);
    expect(request!.headers).toEqual({ 'content-type': 'application/json', 'x-tunnelvision-key': 'k1' });
    expect(request!.json).toEqual({
      resourceLogs: [
        {
          resource: {
            attributes: [
              { key: 'session.id', value: { stringValue: 'sess-7f3a' } },
              { key: 'service.name', value: { stringValue: 'chat-web' } },
              { key: 'service.version', value: { stringValue: '2.14.0' } },
              { key: 'deployment.environment.name', value: { stringValue: 'test' } },
              { key: 'telemetry.sdk.name', value: { stringValue: '@tunnelvision/sdk' } },
              { key: 'telemetry.sdk.language', value: { stringValue: 'webjs' } },
            ],
          },
          scopeLogs: [
            {
              scope: { name: '@tunnelvision/sdk', version: '0.1.0' },
              schemaUrl: SCHEMA_URL,
              logRecords: [
                {
                  timeUnixNano: `${NOW - 1_000}000000`,
                  observedTimeUnixNano: `${NOW}000000`,
                  severityNumber: 13,
                  severityText: 'WARN',
                  eventName: 'msg.dropped',
                  body: { stringValue: 'message m-1003 dropped: ttl_expired' },
                  attributes: [
                    { key: 'tv.message.id', value: { stringValue: 'm-1003' } },
                    { key: 'tv.message.attempt', value: { intValue: '3' } },
                    { key: 'tv.message.latency_ms', value: { doubleValue: 12.5 } },
                    { key: 'tv.close.clean', value: { boolValue: false } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(telemetry.stats()).toMatchObject({ exportedLogRecords: 1, failedLogRecords: 0, droppedLogRecords: 0 });
  });

  it('batches by size at once and by age after the flush interval', async () => {
    const { logger, requests } = setup(undefined, { logBatchSize: 3, logFlushIntervalMillis: 1_000 });
    emitNumbered(logger, 1, 2);
    await vi.advanceTimersByTimeAsync(999);
    expect(requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.map(numbersIn)).toEqual([[1, 2]]);

    // A full batch goes without waiting for the timer; the remainder waits for it.
    emitNumbered(logger, 3, 9);
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.map(numbersIn)).toEqual([[1, 2], [3, 4, 5], [6, 7, 8]]);
    await vi.advanceTimersByTimeAsync(999);
    expect(requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.map(numbersIn)).toEqual([[1, 2], [3, 4, 5], [6, 7, 8], [9]]);

    // Idle: no timer runs, nothing is sent.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toHaveLength(4);
  });

  it('splits a batch into keepalive bodies of at most 64 KiB, keeping every record in order', async () => {
    const { telemetry, logger, requests } = setup(undefined, { logBatchSize: 2_000, maxBufferedRecords: 2_000 });
    // About 400 KB of multi-byte text: byte counting, not character counting, must hold the limit.
    emitNumbered(logger, 1, 1_000, { text: `déjà vu 🚀 ${'x'.repeat(380)}` });
    await telemetry.flush();

    expect(requests.length).toBeGreaterThanOrEqual(6);
    for (const request of requests) {
      expect(new TextEncoder().encode(request.body).length).toBeLessThanOrEqual(KEEPALIVE_MAX_BYTES);
      expect(request.keepalive).toBe(true);
    }
    expect(requests.flatMap(numbersIn)).toEqual(Array.from({ length: 1_000 }, (_, i) => i + 1));
    expect(telemetry.stats().exportedLogRecords).toBe(1_000);
  });

  it('sends a record larger than 64 KiB alone, without keepalive', async () => {
    const { telemetry, logger, requests } = setup();
    emitNumbered(logger, 1, 1);
    logger.emit({ eventName: 'msg.sent', body: 'x'.repeat(70_000), attributes: { n: 2 } });
    emitNumbered(logger, 3, 3);
    await telemetry.flush();
    expect(requests.map(numbersIn)).toEqual([[1], [2], [3]]);
    expect(requests.map((r) => r.keepalive)).toEqual([true, false, true]);
  });

  it('drops the oldest records when the buffer is full, and counts them', async () => {
    const { telemetry, logger, requests } = setup(undefined, { maxBufferedRecords: 5, logBatchSize: 100 });
    emitNumbered(logger, 1, 13);
    await telemetry.flush();
    expect(requests.map(numbersIn)).toEqual([[9, 10, 11, 12, 13]]);
    expect(telemetry.stats()).toMatchObject({ droppedLogRecords: 8, exportedLogRecords: 5 });
  });

  it('stops taking records at shutdown, after sending what it holds', async () => {
    const { telemetry, logger, requests } = setup();
    emitNumbered(logger, 1, 2);
    await telemetry.shutdown();
    expect(requests.map(numbersIn)).toEqual([[1, 2]]);
    expect(logger.enabled()).toBe(false);
    emitNumbered(logger, 3, 3);
    await telemetry.flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(requests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('retries network errors, 429 and 503 with exponential backoff, honouring Retry-After', async () => {
    const replies: FakeReply[] = [
      jsonResponse(503, { code: 14, message: 'unavailable' }, { 'retry-after': '3' }),
      new TypeError('Failed to fetch'),
      jsonResponse(429, { code: 8, message: 'busy' }),
      jsonResponse(200, {}),
    ];
    const { telemetry, logger, requests } = setup((_, i) => replies[i]!, { initialBackoffMillis: 1_000 });
    emitNumbered(logger, 1, 2);
    const flushed = telemetry.flush();

    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(1);
    // 503 with Retry-After: 3 -> exactly 3 s, not the 1 s backoff.
    await vi.advanceTimersByTimeAsync(2_999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    // Network error, second retry: 1 s * 2.
    await vi.advanceTimersByTimeAsync(1_999);
    expect(requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(3);
    // 429 without Retry-After, third retry: 1 s * 4.
    await vi.advanceTimersByTimeAsync(3_999);
    expect(requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    await flushed;
    expect(requests).toHaveLength(4);

    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(telemetry.stats()).toMatchObject({ exportedLogRecords: 2, failedLogRecords: 0 });
  });

  it('gives up after maxRetries, and leaves the rest of that export for the next one', async () => {
    const { telemetry, logger, requests } = setup(() => jsonResponse(503, {}), {
      maxRetries: 2,
      logBatchSize: 2,
      logFlushIntervalMillis: 5_000,
    });
    emitNumbered(logger, 1, 3); // a full batch [1, 2] goes at once; 3 waits
    await vi.advanceTimersByTimeAsync(1_000 + 2_000);
    expect(requests.map(numbersIn)).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(telemetry.stats()).toMatchObject({ failedLogRecords: 2, exportedLogRecords: 0 });
    // Record 3 is not tried during the same outage, but by the next export, a flush interval later.
    await vi.advanceTimersByTimeAsync(4_999);
    expect(requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.map(numbersIn).at(-1)).toEqual([3]);
  });

  it('aborts an attempt that gets no response within requestTimeoutMillis and retries it', async () => {
    const { telemetry, logger, requests } = setup((_, i) => (i === 0 ? new Promise<Response>(() => undefined) : jsonResponse(200)), {
      requestTimeoutMillis: 5_000,
    });
    emitNumbered(logger, 1, 1);
    const flushed = telemetry.flush();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1 + 1_000); // timeout, then the first backoff
    await flushed;
    expect(requests).toHaveLength(2);
    expect(telemetry.stats()).toMatchObject({ exportedLogRecords: 1, failedLogRecords: 0 });
  });

  it('does not retry sooner than a Retry-After longer than maxBackoffMillis: it gives up', async () => {
    const { telemetry, logger, requests } = setup(() => jsonResponse(429, {}, { 'retry-after': '120' }), { maxBackoffMillis: 60_000 });
    emitNumbered(logger, 1, 1);
    await telemetry.flush();
    expect(requests).toHaveLength(1);
    expect(telemetry.stats().failedLogRecords).toBe(1);
  });

  it('does not retry a request the collector refused (400)', async () => {
    const { telemetry, logger, requests } = setup(() => jsonResponse(400, { code: 3, message: 'bad' }));
    emitNumbered(logger, 1, 1);
    await telemetry.flush();
    expect(requests).toHaveLength(1);
    expect(telemetry.stats().failedLogRecords).toBe(1);
  });

  it('counts records rejected in a partial success', async () => {
    const { telemetry, logger } = setup(() =>
      jsonResponse(200, { partialSuccess: { rejectedLogRecords: '1', errorMessage: 'logRecords[0].timeUnixNano: bad' } }),
    );
    emitNumbered(logger, 1, 3);
    await telemetry.flush();
    expect(telemetry.stats()).toMatchObject({ exportedLogRecords: 2, rejectedLogRecords: 1 });
  });

  it('treats a fetch that throws synchronously as a network error', async () => {
    let calls = 0;
    const fetch = (() => {
      calls++;
      throw new TypeError('fetch is broken');
    }) as unknown as typeof globalThis.fetch;
    telemetry = setupBrowserTelemetry({ endpoint: ENDPOINT, serviceName: 's', registerGlobal: false, fetch, maxRetries: 1 });
    telemetry.loggerProvider.getLogger('x').emit({ eventName: 'msg.sent' });
    const flushed = telemetry.flush();
    await vi.advanceTimersByTimeAsync(1_000);
    await flushed;
    expect(calls).toBe(2);
    expect(telemetry.stats().failedLogRecords).toBe(1);
  });
});

describe('page hide', () => {
  /** A window and document double: the page's lifecycle events come from here. */
  function fakePage() {
    const page = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('addEventListener', page.addEventListener.bind(page));
    vi.stubGlobal('removeEventListener', page.removeEventListener.bind(page));
    vi.stubGlobal('document', doc);
    return {
      pagehide: () => page.dispatchEvent(new Event('pagehide')),
      pageshow: () => page.dispatchEvent(new Event('pageshow')),
      onPagehide: (listener: () => void) => page.addEventListener('pagehide', listener),
      hide: () => {
        doc.visibilityState = 'hidden';
        doc.dispatchEvent(new Event('visibilitychange'));
      },
    };
  }

  it('after pagehide, sends what later pagehide listeners emit, in a microtask (a background tab closed)', async () => {
    const page = fakePage();
    const { telemetry, logger, requests } = setup(undefined, { logFlushIntervalMillis: 60_000 });
    const counter = telemetry.meterProvider.getMeter('m').createCounter('c');
    // The app's own listener, added after the SDK's, as apps usually do: it closes its socket.
    page.onPagehide(() => {
      emitNumbered(logger, 2, 3);
      counter.add(1);
    });
    emitNumbered(logger, 1, 1);
    page.hide(); // the tab went to the background: everything so far goes out
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual(['/v1/logs']);
    page.pagehide(); // then it is closed: no visibilitychange follows
    await Promise.resolve();
    expect(logRequests(requests).map(numbersIn)).toEqual([[1], [2, 3]]);
    expect(requests.at(-1)!.url).toBe('https://collector.test/v1/metrics');
  });

  it('sends one metric snapshot, not two, when visibilitychange and pagehide follow each other with nothing new', () => {
    const page = fakePage();
    const { telemetry, requests } = setup(undefined, { logFlushIntervalMillis: 60_000 });
    telemetry.meterProvider.getMeter('m').createCounter('c').add(1);
    page.pagehide();
    page.hide();
    expect(requests.filter((r) => r.url.endsWith('/v1/metrics'))).toHaveLength(1);
  });

  it('batches again once the page is shown (back/forward cache)', async () => {
    const page = fakePage();
    const { logger, requests } = setup(undefined, { logFlushIntervalMillis: 1_000 });
    page.pagehide();
    page.pageshow();
    emitNumbered(logger, 1, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(requests.map(numbersIn)).toEqual([[1]]);
  });

  it('sends everything on pagehide, at once, within the keepalive budget', () => {
    const page = fakePage();
    // Never answers: the requests stay in flight, as they do while a page unloads.
    const { telemetry, logger, requests } = setup(() => new Promise<Response>(() => undefined), { logFlushIntervalMillis: 60_000 });
    emitNumbered(logger, 1, 400, { text: 'x'.repeat(400) });
    telemetry.meterProvider.getMeter('m').createCounter('c').add(1);
    expect(requests).toHaveLength(0);

    page.pagehide();
    // Synchronously: nothing may wait for a later task while the page goes away.
    const logs = logRequests(requests);
    expect(logs.flatMap(numbersIn)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(requests.at(-1)!.url).toBe('https://collector.test/v1/metrics');
    // All keepalive bodies in flight together fit the browser's 64 KiB budget; the rest go without keepalive.
    const keepaliveBytes = requests.filter((r) => r.keepalive).reduce((sum, r) => sum + new TextEncoder().encode(r.body).length, 0);
    expect(keepaliveBytes).toBeLessThanOrEqual(KEEPALIVE_MAX_BYTES);
    expect(requests[0]!.keepalive).toBe(true);
    expect(requests.some((r) => !r.keepalive)).toBe(true);
  });

  it('sends on visibilitychange to hidden, and not on visible', async () => {
    const page = fakePage();
    const { logger, requests } = setup(undefined, { logFlushIntervalMillis: 60_000 });
    emitNumbered(logger, 1, 2);
    page.hide();
    expect(requests.map(numbersIn)).toEqual([[1, 2]]);
    expect(requests[0]!.keepalive).toBe(true);
  });

  it('retries at once on pagehide instead of waiting out the backoff', async () => {
    const page = fakePage();
    const { logger, requests } = setup((_, i) => (i === 0 ? jsonResponse(503, {}, { 'retry-after': '30' }) : jsonResponse(200)), {
      logFlushIntervalMillis: 100,
    });
    emitNumbered(logger, 1, 1);
    await vi.advanceTimersByTimeAsync(100);
    expect(requests).toHaveLength(1);
    page.pagehide();
    await vi.advanceTimersByTimeAsync(0);
    expect(requests).toHaveLength(2);
  });

  it('removes its listeners at shutdown', async () => {
    const page = fakePage();
    const { telemetry, requests } = setup();
    await telemetry.shutdown();
    telemetry.meterProvider.getMeter('m').createCounter('c').add(1);
    page.pagehide();
    expect(requests).toHaveLength(0);
  });
});

describe('set-up', () => {
  it('registers the providers for the page: a browser tracker without providers, even one created first, reports through them until shutdown', async () => {
    const fake = createFakeFetch();
    const connection = createPageTracker({ sessionId: 'sess-page' }).connection({ serverAddress: 'ws-1' });
    telemetry = setupBrowserTelemetry({ endpoint: ENDPOINT, serviceName: 'chat-web', fetch: fake.fetch });
    // OpenTelemetry's globals are the app's business.
    expect(logs.getLoggerProvider()).not.toBe(telemetry.loggerProvider);
    expect(metrics.getMeterProvider()).not.toBe(telemetry.meterProvider);

    const warnings: string[] = [];
    const logger = { error: () => undefined, warn: (message: string) => void warnings.push(message), info: () => undefined };
    const second = setupBrowserTelemetry({ endpoint: ENDPOINT, serviceName: 'other-app', fetch: fake.fetch, consoleWarnings: false, logger });
    expect(warnings).toEqual([expect.stringContaining('browser telemetry was already set up for this page')]);
    await second.shutdown();

    connection.opening();
    connection.opened();
    await telemetry.flush();
    const firstLogs = logRequests(fake.requests);
    const events = firstLogs.flatMap((r) => r.json.resourceLogs[0].scopeLogs[0].logRecords.map((l: any) => l.eventName));
    expect(events).toEqual(['conn.opening', 'conn.open']);
    const services = firstLogs.map((r) => r.json.resourceLogs[0].resource.attributes.find((a: any) => a.key === 'service.name').value.stringValue);
    expect(new Set(services)).toEqual(new Set(['chat-web']));
    const metricRequest = fake.requests.find((r) => r.url.endsWith('/v1/metrics'))!;
    const names = metricRequest.json.resourceMetrics[0].scopeMetrics[0].metrics.map((m: any) => m.name);
    expect(names).toContain('tv.connection.active');

    // Withdrawn at shutdown: the next set-up takes the same tracker over.
    await telemetry.shutdown();
    const later = createFakeFetch();
    telemetry = setupBrowserTelemetry({ endpoint: ENDPOINT, serviceName: 'chat-web', fetch: later.fetch });
    connection.closed({ code: 1001, initiator: 'client' });
    await telemetry.flush();
    const laterEvents = logRequests(later.requests).flatMap((r) => r.json.resourceLogs[0].scopeLogs[0].logRecords.map((l: any) => l.eventName));
    expect(laterEvents).toEqual(['conn.close']);
  });

  it('never throws: a missing endpoint or no options at all gives telemetry that does nothing', async () => {
    for (const options of [undefined, {}, { endpoint: '' }, { endpoint: 42 }]) {
      const disabled = setupBrowserTelemetry(options as unknown as BrowserTelemetryOptions);
      disabled.loggerProvider.getLogger('x').emit({ eventName: 'msg.sent' });
      disabled.meterProvider.getMeter('x').createCounter('c').add(1);
      await disabled.flush();
      await disabled.shutdown();
      expect(disabled.stats().exportedLogRecords).toBe(0);
    }
  });

  it('replaces bad numeric options with their defaults', async () => {
    const { telemetry, logger, requests } = setup(undefined, { logBatchSize: -1, logFlushIntervalMillis: Number.NaN, maxBufferedRecords: 0 });
    emitNumbered(logger, 1, 1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(requests).toHaveLength(1);
    await telemetry.flush();
  });

  it('drops a record whose body cannot be encoded, without throwing', async () => {
    const { telemetry, logger, requests } = setup();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => logger.emit({ eventName: 'msg.sent', body: cyclic as never })).not.toThrow();
    emitNumbered(logger, 1, 1);
    await telemetry.flush();
    expect(requests.map(numbersIn)).toEqual([[1]]);
  });
});
