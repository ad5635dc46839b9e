import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '@tunnelvision/test-support';
import { bundlePageScript, openPageCollectingErrors } from './support/chromium-page.js';
import { collectorPerFile } from './support/collector-per-file.js';

/**
 * The browser SDK in real headless Chromium: a page served from one origin
 * bundles `@tunnelvision/sdk/browser` (built here with esbuild), sets up the
 * export to a collector on another origin (so CORS and its preflight are
 * exercised), and tells a connection's story through the tracker. The
 * collector's query API must then show the events and the active
 * connection, both after an explicit flush and when the page just closes.
 *
 * Each page gets its own browser context, which stays open when the page
 * closes, as the browser does when a user closes a tab. (Closing a
 * context tears down its network stack, and with it the keepalive requests
 * a closing page leaves behind; Playwright's browser.newPage() would close
 * its context with the page.)
 */

const here = dirname(fileURLToPath(import.meta.url));
const collector = collectorPerFile();
let pageServer: Server;
let pageUrl: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const started = Date.now() - 60_000;

/** The page's script: configuration comes from the query string. */
const ENTRY = `
import { setupBrowserTelemetry, createTracker } from '@tunnelvision/sdk/browser';

const params = new URLSearchParams(location.search);
const sessionId = params.get('session');
const telemetry = setupBrowserTelemetry({
  endpoint: params.get('collector'),
  serviceName: params.get('service'),
  serviceVersion: '1.0.0',
  environment: 'chromium-test',
  // Long intervals: whatever arrives was sent by flush() or by the page hiding.
  logFlushIntervalMillis: 600000,
  metricExportIntervalMillis: 600000,
});
// No providers passed: the tracker finds the globally registered ones.
const tracker = createTracker({ sessionId });
const connection = tracker.connection({ serverAddress: 'ws-chromium' });
connection.opening(1);
connection.opened();
const message = connection.message(sessionId + '-m1', { seq: 1, channel: 'chat' });
message.sent();
await new Promise((resolve) => setTimeout(resolve, 20));
message.acked();
if (params.get('mode') === 'hide') {
  // Registered after the SDK's own listener, as an app's usually is: what it emits must still go out.
  // (Chromium fires visibilitychange after pagehide when a visible tab closes; the unit tests
  // cover a background tab, where pagehide comes alone.)
  addEventListener('pagehide', () => connection.closed({ code: 1001, reason: 'page closed', clean: true, initiator: 'client' }));
}
if (params.get('mode') === 'flush') await telemetry.flush();
window.__tvDone = telemetry.stats();
`;

async function startPageServer(bundle: string): Promise<Server> {
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>tv</title></head><body><script type="module" src="/bundle.js"></script></body></html>';
  const server = createServer((request, response) => {
    if (request.url?.startsWith('/bundle.js')) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end(bundle);
    } else if (request.url === '/favicon.ico') {
      response.writeHead(204).end();
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(html);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function getJson(path: string): Promise<any> {
  const response = await fetch(`${collector.url}${path}`);
  expect(response.status).toBe(200);
  return response.json();
}

const eventsOf = async (sessionId: string): Promise<string[]> =>
  (await getJson(`/api/v1/timeline?session_id=${sessionId}`)).events.map((e: { event: string }) => e.event).sort();

const activeConnections = async (service: string): Promise<(number | null)[]> =>
  (await getJson(`/api/v1/series?metric=active_connections&service=${service}&from=${started}`)).points
    .map((p: { v: number | null }) => p.v)
    .filter((v: number | null) => v !== null);

/** Polls `probe` until `done` holds (or the time runs out), returning the last value. */
async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMillis = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await probe();
  }
  return value;
}

async function openStoryPage(mode: 'flush' | 'hide', sessionId: string, service: string): Promise<{ page: Page; errors: string[] }> {
  const query = new URLSearchParams({ collector: collector.url, session: sessionId, service, mode });
  const { page, errors } = await openPageCollectingErrors(browser, contexts, `${pageUrl}/?${query}`);
  await page.waitForFunction(() => (window as unknown as { __tvDone?: unknown }).__tvDone !== undefined, undefined, { timeout: 20_000 });
  return { page, errors };
}

const STORY = ['conn.open', 'conn.opening', 'msg.acked', 'msg.sent'];

beforeAll(async () => {
  pageServer = await startPageServer(await bundlePageScript(ENTRY, here));
  pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await new Promise<void>((resolve) => (pageServer ? pageServer.close(() => resolve()) : resolve()));
});

describe('browser telemetry in Chromium', () => {
  it('exports the events and the active-connections metric across origins on flush()', async () => {
    const sessionId = `sess-chromium-flush-${Date.now()}`;
    const service = 'chat-web-chromium-flush';
    expect(new URL(pageUrl).origin).not.toBe(new URL(collector.url).origin);

    const { page, errors } = await openStoryPage('flush', sessionId, service);
    const stats = await page.evaluate(() => (window as unknown as { __tvDone: unknown }).__tvDone);
    expect(errors).toEqual([]);
    expect(stats).toMatchObject({ exportedLogRecords: 4, failedLogRecords: 0, rejectedLogRecords: 0, failedMetricRequests: 0 });

    // flush() resolved after the collector's 200s, which come only once rows are stored.
    expect(await eventsOf(sessionId)).toEqual(STORY);
    const acked = (await getJson(`/api/v1/timeline?message_id=${sessionId}-m1`)).events.find((e: { event: string }) => e.event === 'msg.acked');
    expect(acked).toMatchObject({ service, service_version: '1.0.0', environment: 'chromium-test', server_address: 'ws-chromium' });
    expect(acked.latency_ms).toBeGreaterThanOrEqual(15);
    expect(await activeConnections(service)).toContain(1);
    await page.close();
  });

  it('sends what was emitted, with no flush, when the page closes (pagehide), including events of later pagehide listeners', async () => {
    const sessionId = `sess-chromium-hide-${Date.now()}`;
    const service = 'chat-web-chromium-hide';
    const { page, errors } = await openStoryPage('hide', sessionId, service);
    expect(errors).toEqual([]);
    // Nothing has been sent yet: the export intervals are ten minutes.
    expect(await eventsOf(sessionId)).toEqual([]);

    await page.close({ runBeforeUnload: true });
    const closedStory = [...STORY, 'conn.close'].sort();
    const events = await eventually(() => eventsOf(sessionId), (e) => e.length >= closedStory.length);
    expect(events).toEqual(closedStory);
    const close = (await getJson(`/api/v1/timeline?session_id=${sessionId}`)).events.find((e: { event: string }) => e.event === 'conn.close');
    expect(close).toMatchObject({ close_code: 1001, close_reason: 'page closed', close_clean: true });
    // The metric went out too, and its last value counts the connection the page closed.
    expect(await eventually(() => activeConnections(service), (v) => v.includes(0))).toEqual([0]);
  });
});
