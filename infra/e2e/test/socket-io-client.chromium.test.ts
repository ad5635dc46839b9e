import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium } from '@tunnelvision/test-support';
import { createTracker } from '@tunnelvision/sdk';
import { instrumentSocketIoServer } from '@tunnelvision/sdk/socket.io';
import { bundlePageScript, openPageCollectingErrors } from './support/chromium-page.js';
import { collectorPerFile } from './support/collector-per-file.js';

/**
 * The Socket.IO client integration in real headless Chromium: a page
 * bundles socket.io-client with `@tunnelvision/sdk/browser` and
 * `@tunnelvision/sdk/socket.io-client` (built here with esbuild), connects
 * to an instrumented socket.io server on its own origin and exports to a
 * collector on another. The page connects, makes an acked emit, and the
 * server disconnects it; the query API must show both sides of it.
 */

const here = dirname(fileURLToPath(import.meta.url));
const collector = collectorPerFile();
let http: HttpServer;
let io: Server;
let pageUrl: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const serverSockets: ServerSocket[] = [];

/** The page's script: configuration comes from the query string; progress goes to window.__tv. */
const ENTRY = `
import { io } from 'socket.io-client';
import { setupBrowserTelemetry, createTracker } from '@tunnelvision/sdk/browser';
import { instrumentSocketIoClient } from '@tunnelvision/sdk/socket.io-client';

const params = new URLSearchParams(location.search);
const telemetry = setupBrowserTelemetry({
  endpoint: params.get('collector'),
  serviceName: params.get('service'),
  serviceVersion: '1.0.0',
  environment: 'chromium-test',
  // Long intervals: whatever arrives was sent by flush().
  logFlushIntervalMillis: 600000,
  metricExportIntervalMillis: 600000,
});
const state = (window.__tv = {});
const tracker = createTracker({ sessionId: params.get('session') });
// Socket.IO on the page's own origin.
const socket = io();
const instrumentation = instrumentSocketIoClient(socket, { tracker });
socket.on('disconnect', async (reason) => {
  state.disconnect = reason;
  await telemetry.flush();
  state.stats = telemetry.stats();
});
// Once the server's hello has come, emits carry their message id to it.
while (!instrumentation.carriesMessageIds) await new Promise((resolve) => setTimeout(resolve, 10));
state.reply = await socket.timeout(10000).emitWithAck('chat', 'from chromium');
`;

const PAGE_HTML = '<!doctype html><html><head><meta charset="utf-8"><title>tv</title></head><body><script type="module" src="/bundle.js"></script></body></html>';

async function getJson(path: string): Promise<any> {
  const response = await fetch(`${collector.url}${path}`);
  expect(response.status).toBe(200);
  return response.json();
}

function openPage(sessionId: string, service: string): Promise<{ page: Page; errors: string[] }> {
  return openPageCollectingErrors(browser, contexts, `${pageUrl}/?${new URLSearchParams({ collector: collector.url, session: sessionId, service })}`);
}

/** The page's window.__tv[key], once it is set. */
async function pageState(page: Page, key: string): Promise<unknown> {
  const read = (k: string) => (window as unknown as { __tv?: Record<string, unknown> }).__tv?.[k];
  // Every value the page sets is truthy.
  await page.waitForFunction(read, key, { timeout: 20_000 });
  return page.evaluate(read, key);
}

beforeAll(async () => {
  const bundle = await bundlePageScript(ENTRY, here);
  // The page and Socket.IO share one server (Socket.IO answers under /socket.io/), so the page needs no CORS to reach it.
  http = createServer((request, response) => {
    if (request.url?.startsWith('/bundle.js')) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
    } else if (request.url === '/favicon.ico') {
      response.writeHead(204).end();
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE_HTML);
    }
  });
  io = new Server(http);
  instrumentSocketIoServer(io, { tracker: createTracker({ loggerProvider: collector.loggerProvider('sio-chromium-server'), role: 'server' }) });
  io.on('connection', (socket) => {
    serverSockets.push(socket);
    socket.on('chat', (text: unknown, ack: (reply: unknown) => void) => ack({ echo: text }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
});

describe('the Socket.IO client integration in Chromium', () => {
  it('reports the connect, an acked emit with its latency and a server-side disconnect, read back through the query API', async () => {
    const sessionId = `sess-sio-chromium-${Date.now()}`;
    const service = 'chat-web-sio-chromium';
    expect(new URL(pageUrl).origin).not.toBe(new URL(collector.url).origin);
    const { page, errors } = await openPage(sessionId, service);

    expect(await pageState(page, 'reply')).toEqual({ echo: 'from chromium' });
    expect(serverSockets).toHaveLength(1);
    serverSockets[0]!.disconnect();
    expect(await pageState(page, 'disconnect')).toBe('io server disconnect');
    expect(await pageState(page, 'stats')).toMatchObject({ failedLogRecords: 0, rejectedLogRecords: 0 });
    expect(errors).toEqual([]);

    type Event = Record<string, any> & { event: string };
    const side = (events: Event[], role: string) => events.filter((e) => (e.role ?? 'client') === role).map((e) => e.event);
    let events: Event[] = [];
    // The page's flush resolved once the collector stored its events; the server's come with its own batches.
    await vi.waitFor(
      async () => {
        events = (await getJson(`/api/v1/timeline?session_id=${sessionId}`)).events;
        expect(side(events, 'client')).toEqual(['conn.opening', 'conn.open', 'msg.sent', 'msg.acked', 'conn.close']);
        expect(side(events, 'server')).toEqual(expect.arrayContaining(['conn.open', 'msg.received', 'conn.close']));
      },
      { timeout: 15_000, interval: 200 },
    );
    const client = events.filter((e) => (e.role ?? 'client') === 'client');
    const [opening, open, sent, acked, close] = client;
    expect(opening).toMatchObject({ service, service_version: '1.0.0', environment: 'chromium-test', server_address: '127.0.0.1' });
    // One physical connection, reported under the same id by both sides.
    expect(new Set(events.map((e) => e.connection_id))).toEqual(new Set([open!.connection_id]));

    // The acked emit: its latency, and the same message id on the server.
    expect(acked).toMatchObject({ message_id: sent!.message_id, channel: 'chat', latency_ms: expect.any(Number) });
    expect(acked!.latency_ms).toBeGreaterThanOrEqual(0);
    expect(acked!.attributes?.['socket.io.transport']).toMatch(/^(polling|websocket)$/);
    expect(events.find((e) => e.role === 'server' && e.event === 'msg.received')?.message_id).toBe(sent!.message_id);
    const journey = await getJson(`/api/v1/timeline?message_id=${sent!.message_id}`);
    expect(journey.messages.find((m: { message_id: string }) => m.message_id === sent!.message_id)).toMatchObject({ verdict: 'delivered', session_id: sessionId });

    // The server's disconnect, on purpose: a clean 1000 initiated by the server, on both sides.
    expect(close).toMatchObject({ close_code: 1000, close_reason: 'io server disconnect', close_clean: true, duration_ms: expect.any(Number) });
    expect(close!.attributes?.['tv.close.initiator']).toBe('server');
    expect(events.find((e) => e.role === 'server' && e.event === 'conn.close')).toMatchObject({ close_code: 1000, close_reason: 'server namespace disconnect' });
    await page.close();
  });
});
