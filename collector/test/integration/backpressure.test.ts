import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { parseExposition, scrape } from '../support/prometheus-text.js';
import { collectorsPerTest, getJson } from '../support/test-collector.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

/**
 * Backpressure as producers meet it. The official OpenTelemetry Node
 * exporters wait as long as the collector's Retry-After says before they
 * send a refused batch again (their own backoff would come back after about
 * a second), and the batch is then stored: 429 when the collector holds its
 * maximum, 503 when the store is gone and the spool is off. A full collector
 * refuses before decoding, and a refused request leaves no trace in the
 * label guard's budget.
 */

const RETRY_AFTER_SECONDS = 3;
const collectorWith = collectorsPerTest({ retryAfterSeconds: RETRY_AFTER_SECONDS });

/** Emits `count` msg.sent events through `exporter`; resolves how long until the exporter had them accepted. */
async function exportThrough(exporter: LogRecordExporter, session: string, count: number): Promise<number> {
  const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': 'backpressure' }), processors: [new BatchLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('backpressure-test');
  const started = performance.now();
  for (let i = 0; i < count; i++) logger.emit({ eventName: 'msg.sent', attributes: { 'session.id': session, 'tv.message.id': `${session}-${i}` } });
  await provider.forceFlush();
  const elapsed = performance.now() - started;
  await provider.shutdown();
  return elapsed;
}

async function storedFor(collector: RunningCollector, session: string): Promise<number> {
  await collector.writer.flush();
  const result = await collector.store.client.query({
    query: `SELECT count() AS n FROM ${collector.store.database}.logs WHERE SessionId = {session:String}`,
    query_params: { session },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string }>();
  return Number(row!.n);
}

async function requests(collector: RunningCollector, outcome: string): Promise<number> {
  const text = await (await fetch(`${collector.url}/metrics`)).text();
  return parseExposition(text).value('tunnelvision_ingest_requests_total', { transport: 'http', signal: 'logs', outcome }) ?? 0;
}

describe('the official Node exporters under backpressure', () => {
  it('wait out Retry-After on 429 and then have their batch stored', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const collector = await collectorWith({ maxBufferedRows: 10 }, (insert) => async (target, rows, token) => {
      await gate;
      return insert(target, rows, token);
    });
    // Ten rows held behind a stalled insert fill the collector.
    const filler = fetch(`${collector.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(logsRequest({ 'service.name': 'backpressure' }, Array.from({ length: 10 }, () => eventRecord('conn.open', { 'session.id': 'filler' })))),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exported = exportThrough(new ProtoLogExporter({ url: `${collector.url}/v1/logs` }), 'after-429', 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    expect((await filler).status).toBe(200);
    const elapsed = await exported;
    expect(await requests(collector, 'overloaded')).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(RETRY_AFTER_SECONDS * 1000 - 100);
    expect(await storedFor(collector, 'after-429')).toBe(1);
  }, 30_000);

  it('wait out Retry-After on 503 and then have their batch stored', async () => {
    let failures = 0;
    const collector = await collectorWith({ spoolMaxBytes: 0 }, (insert) => async (target, rows, token) => {
      if (failures++ === 0) throw new Error('store unavailable (fault injected)');
      return insert(target, rows, token);
    });
    const elapsed = await exportThrough(new JsonLogExporter({ url: `${collector.url}/v1/logs` }), 'after-503', 3);
    expect(await requests(collector, 'store_unavailable')).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(RETRY_AFTER_SECONDS * 1000 - 100);
    expect(await storedFor(collector, 'after-503')).toBe(3);
  }, 30_000);
});

describe('a collector holding its maximum', () => {
  it('refuses before decoding once full, and the label guard admits no values from a refused request', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const guarded = await collectorWith({ maxLabelValues: 3, maxBufferedRows: 6 }, (insert) => async (target, rows, token) => {
      await gate;
      return insert(target, rows, token);
    });
    const at = Date.now() - 60_000;
    const send = (servers: string[]) =>
      fetch(`${guarded.url}/v1/logs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(logsRequest({ 'service.name': 'busy' }, servers.map((server) => eventRecord('conn.open', { 'session.id': 'busy', 'server.address': server }, at)))),
      });
    // Four rows wait behind a stalled insert; three more do not fit, and are refused after decoding.
    const held = send(['gw-a', 'gw-a', 'gw-a', 'gw-a']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await send(['refused-1', 'refused-2', 'refused-2'])).status).toBe(429);
    // Two more fill the buffer; a request arriving then is refused before it is even decoded.
    const filled = send(['gw-a', 'gw-a']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await send(['refused-3'])).status).toBe(429);
    release();
    expect((await held).status).toBe(200);
    expect((await filled).status).toBe(200);
    expect((await send(['late-1', 'late-2'])).status).toBe(200);
    await guarded.writer.flush();
    const { body } = await getJson(guarded.url, `/api/v1/labels?from=${at - 60_000}&to=${at + 120_000}`);
    expect([...body.servers].sort()).toEqual(['gw-a', 'late-1', 'late-2']);
    const metrics = await scrape(guarded.url);
    expect(metrics.value('tunnelvision_ingest_requests_total', { transport: 'http', signal: 'logs', outcome: 'overloaded' })).toBe(2);
    // Only the request decoded before it was refused has records to count.
    expect(metrics.value('tunnelvision_ingest_records_rejected_total', { transport: 'http', signal: 'logs', reason: 'overloaded' })).toBe(3);
  });
});
