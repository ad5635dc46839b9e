import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeConnectionsRequest, eventRecord, kv, logsRequest } from '@tunnelvision/test-support';
import type { CollectorHooks, RunningCollector } from '../../src/collector.js';
import { OTLP_SIGNALS } from '../../src/otlp/otlp-signal.js';
import { TABLE_NAMES } from '../../src/store/table-names.js';
import { encodeExportRequest, exportRaw } from '../support/otlp-grpc-client.js';
import { scrape, type Exposition } from '../support/prometheus-text.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * GET /metrics on real collectors: real OTLP in, good and bad, and the
 * counters must move by exactly what was sent. Two collectors share one
 * process (and, as chDB requires, one data directory, each with its own
 * database) and must not see each other's counts.
 */

const KEY = 'self-metrics-test-key-0123456789';
const MAX_BYTES = 64 * 1024;
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const data = freshDataDir();
let a: RunningCollector;
let b: RunningCollector;

beforeAll(async () => {
  a = await startTestCollector(data.dir, {
    ingestKey: KEY,
    maxRequestBytes: MAX_BYTES,
    alertEvaluationIntervalMillis: 600_000,
  });
  // A slow store (1.5 s per insert), so rows are seen held in the buffer.
  const slowStore: CollectorHooks = { wrapInsert: (insert) => async (table, block, token) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await insert(table, block, token);
  } };
  b = await startTestCollector(data.dir, { database: 'tv_self_metrics_b', alertEvaluationIntervalMillis: 600_000 }, slowStore);
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await data.remove();
});

const post = (collector: RunningCollector, signal: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) =>
  fetch(`${collector.url}/v1/${signal}`, { method: 'POST', body, headers });
const json = { 'content-type': 'application/json' };
const authed = { ...json, authorization: `Bearer ${KEY}` };

const events = (n: number, service = 'metrics-test') =>
  JSON.stringify(logsRequest({ 'service.name': service }, Array.from({ length: n }, (_, i) => eventRecord('conn.open', { 'session.id': `s-${i}` }))));

function tracesRequest(spans: number): string {
  const now = Date.now();
  const span = (i: number) => ({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: `eee19b7ec3c1b17${i}`,
    name: 'handshake',
    kind: 2,
    startTimeUnixNano: `${now}000000`,
    endTimeUnixNano: `${now + 5}000000`,
  });
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: kv({ 'service.name': 'metrics-test' }) }, scopeSpans: [{ scope: { name: 'test' }, spans: Array.from({ length: spans }, (_, i) => span(i)) }] }],
  });
}

/** `after - before` for one series; a series absent before counts as 0. */
const delta = (before: Exposition, after: Exposition, name: string, labels: Record<string, string> = {}) =>
  (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);

/** Sum of `after - before` over every series of `name`. */
function totalDelta(before: Exposition, after: Exposition, name: string): number {
  const sum = (e: Exposition) => e.samples.filter((s) => s.name === name).reduce((n, s) => n + s.value, 0);
  return sum(after) - sum(before);
}

describe('GET /metrics', { timeout: 60_000 }, () => {
  it('serves the Prometheus text format without the ingest key, with build info and process metrics', async () => {
    const response = await fetch(`${a.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const metrics = await scrape(a.url);
    expect(metrics.value('tunnelvision_build_info', { version: VERSION, store_mode: 'embedded' })).toBe(1);
    expect(metrics.types.get('tunnelvision_ingest_requests_total')).toBe('counter');
    expect(metrics.types.get('tunnelvision_insert_duration_seconds')).toBe('histogram');
    expect(metrics.types.get('tunnelvision_batch_buffered_rows')).toBe('gauge');
    expect(metrics.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(metrics.value('process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(metrics.value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('counts requests and records, accepted and rejected, by exactly what was sent', async () => {
    const before = await scrape(a.url);

    expect((await post(a, 'logs', events(3), authed)).status).toBe(200);
    const partial = logsRequest({ 'service.name': 'metrics-test' }, [
      eventRecord('conn.open', { 'session.id': 'p-1' }),
      { timeUnixNano: 'yesterday' },
      eventRecord('conn.close', { 'session.id': 'p-1' }),
    ]);
    const partialResponse = await post(a, 'logs', JSON.stringify(partial), authed);
    expect(partialResponse.status).toBe(200);
    expect(((await partialResponse.json()) as { partialSuccess: { rejectedLogRecords: string } }).partialSuccess.rejectedLogRecords).toBe('1');
    const points = [0, 1].map((i) => ({ timeMs: Date.now() - i * 1_000, value: 10 + i, attributes: { 'server.address': 'edge-1' } }));
    expect((await post(a, 'metrics', JSON.stringify(activeConnectionsRequest({ 'service.name': 'metrics-test' }, points, Date.now() - 60_000)), authed)).status).toBe(200);
    expect((await post(a, 'traces', tracesRequest(1), authed)).status).toBe(200);

    expect((await post(a, 'logs', '{"resourceLogs": [', authed)).status).toBe(400);
    expect((await post(a, 'metrics', '{}', json)).status).toBe(401);
    expect((await post(a, 'logs', 'hello', { ...authed, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(a, 'traces', '{}', { ...authed, 'content-encoding': 'br' })).status).toBe(415);
    expect((await post(a, 'logs', 'x'.repeat(MAX_BYTES + 1), authed)).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(16 * MAX_BYTES));
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    expect((await post(a, 'logs', bomb, { ...authed, 'content-encoding': 'gzip' })).status).toBe(413);

    const after = await scrape(a.url);
    const requests = (signal: string, outcome: string) => delta(before, after, 'tunnelvision_ingest_requests_total', { transport: 'http', signal, outcome });
    expect(requests('logs', 'accepted')).toBe(1);
    expect(requests('logs', 'partially_accepted')).toBe(1);
    expect(requests('metrics', 'accepted')).toBe(1);
    expect(requests('traces', 'accepted')).toBe(1);
    expect(requests('logs', 'malformed')).toBe(1);
    expect(requests('metrics', 'unauthorized')).toBe(1);
    expect(requests('logs', 'unsupported_content_type')).toBe(1);
    expect(requests('traces', 'unsupported_encoding')).toBe(1);
    expect(requests('logs', 'too_large')).toBe(1);
    expect(requests('logs', 'too_large_decompressed')).toBe(1);
    expect(totalDelta(before, after, 'tunnelvision_ingest_requests_total')).toBe(10);

    const accepted = (signal: string) => delta(before, after, 'tunnelvision_ingest_records_accepted_total', { transport: 'http', signal });
    expect(accepted('logs')).toBe(5);
    expect(accepted('metrics')).toBe(2);
    expect(accepted('traces')).toBe(1);
    expect(delta(before, after, 'tunnelvision_ingest_records_rejected_total', { transport: 'http', signal: 'logs', reason: 'invalid' })).toBe(1);
    expect(totalDelta(before, after, 'tunnelvision_ingest_records_rejected_total')).toBe(1);

    const http = (route: string, status_class: string) => delta(before, after, 'tunnelvision_http_requests_total', { method: 'POST', route, status_class });
    expect(http('/v1/logs', '2xx')).toBe(2);
    expect(http('/v1/logs', '4xx')).toBe(4);
    expect(http('/v1/metrics', '2xx')).toBe(1);
    expect(http('/v1/metrics', '4xx')).toBe(1);
    expect(http('/v1/traces', '2xx')).toBe(1);
    expect(http('/v1/traces', '4xx')).toBe(1);

    // Every acknowledged row went through an instrumented insert.
    expect(delta(before, after, 'tunnelvision_insert_batch_rows_sum', { table: 'logs' })).toBe(5);
    expect(delta(before, after, 'tunnelvision_insert_batch_rows_sum', { table: 'metrics_sum' })).toBe(2);
    expect(delta(before, after, 'tunnelvision_insert_batch_rows_sum', { table: 'traces' })).toBe(1);
    expect(delta(before, after, 'tunnelvision_insert_duration_seconds_count', { table: 'logs' })).toBeGreaterThan(0);
    expect(after.value('tunnelvision_insert_duration_seconds_sum', { table: 'logs' })).toBeGreaterThan(0);
    expect(totalDelta(before, after, 'tunnelvision_insert_failures_total')).toBe(0);
    expect(after.value('tunnelvision_batch_buffered_rows')).toBe(0);
  });

  it('tells the transports apart: OTLP/HTTP requests and records as transport="http", OTLP/gRPC calls as "grpc"', async () => {
    const before = await scrape(a.url);
    expect((await post(a, 'logs', events(3), authed)).status).toBe(200);
    const grpcBody = encodeExportRequest('logs', JSON.parse(events(2)) as object);
    expect((await exportRaw(a.grpcAddress!, 'logs', grpcBody, { authorization: `Bearer ${KEY}` })).error).toBeUndefined();
    expect((await exportRaw(a.grpcAddress!, 'logs', grpcBody)).error).toBeDefined();
    const after = await scrape(a.url);

    const requests = (transport: string, outcome: string) => delta(before, after, 'tunnelvision_ingest_requests_total', { transport, signal: 'logs', outcome });
    expect(requests('http', 'accepted')).toBe(1);
    expect(requests('grpc', 'accepted')).toBe(1);
    expect(requests('grpc', 'unauthorized')).toBe(1);
    expect(totalDelta(before, after, 'tunnelvision_ingest_requests_total')).toBe(3);
    const records = (transport: string) => delta(before, after, 'tunnelvision_ingest_records_accepted_total', { transport, signal: 'logs' });
    expect(records('http')).toBe(3);
    expect(records('grpc')).toBe(2);
    // The HTTP request counter is per route, whatever the transport of ingest: gRPC calls are not in it.
    expect(delta(before, after, 'tunnelvision_http_requests_total', { method: 'POST', route: '/v1/logs', status_class: '2xx' })).toBe(1);
  });

  it('reports alert evaluation cycles and leadership', async () => {
    // Let the cycle started with the collector finish, so the next one is ours alone.
    await a.alerting.evaluator.runCycle();
    const before = await scrape(a.url);
    const report = await a.alerting.evaluator.runCycle();
    const after = await scrape(a.url);
    expect(report.leader).toBe(true);
    expect(delta(before, after, 'tunnelvision_alert_evaluation_cycles_total', { role: 'leader' })).toBe(1);
    expect(delta(before, after, 'tunnelvision_alert_evaluation_cycles_total', { role: 'follower' })).toBe(0);
    expect(delta(before, after, 'tunnelvision_alert_evaluation_duration_seconds_count', { role: 'leader' })).toBe(1);
    expect(delta(before, after, 'tunnelvision_alert_evaluation_failures_total', { scope: 'cycle' })).toBe(0);
    expect(delta(before, after, 'tunnelvision_alert_evaluation_failures_total', { scope: 'rule' })).toBe(report.failedRules);
    expect(after.value('tunnelvision_alert_evaluator_leader')).toBe(1);
    const active = a.alerting.evaluator.activeAlerts();
    expect(after.value('tunnelvision_alerts', { state: 'firing' })).toBe(active.firing);
    expect(after.value('tunnelvision_alerts', { state: 'pending' })).toBe(active.pending);
    // No ALERT_WEBHOOK_URL: nothing is ever delivered.
    expect(after.types.get('tunnelvision_alert_notifications_total')).toBe('counter');
    expect(after.value('tunnelvision_alert_notifications_total', { outcome: 'delivered' })).toBe(0);
  });

  it('a second collector in the same process keeps its own counts', async () => {
    const aBefore = await scrape(a.url);
    const fresh = await scrape(b.url);
    for (const signal of OTLP_SIGNALS) {
      for (const transport of ['http', 'grpc']) expect(fresh.value('tunnelvision_ingest_records_accepted_total', { transport, signal })).toBe(0);
    }
    expect(fresh.samples.filter((s) => s.name === 'tunnelvision_ingest_requests_total').every((s) => s.value === 0)).toBe(true);

    expect((await post(b, 'logs', events(2, 'second'), json)).status).toBe(200);

    const bAfter = await scrape(b.url);
    const aAfter = await scrape(a.url);
    expect(bAfter.value('tunnelvision_ingest_requests_total', { transport: 'http', signal: 'logs', outcome: 'accepted' })).toBe(1);
    expect(bAfter.value('tunnelvision_ingest_records_accepted_total', { transport: 'http', signal: 'logs' })).toBe(2);
    expect(totalDelta(aBefore, aAfter, 'tunnelvision_ingest_requests_total')).toBe(0);
    expect(totalDelta(aBefore, aAfter, 'tunnelvision_ingest_records_accepted_total')).toBe(0);
  });

  it('buffered rows show the rows waiting for a flush and return to 0 after it', async () => {
    const response = post(b, 'logs', events(3, 'buffered'), json);
    // b's insert takes 1.5 s; look for the rows in between.
    const deadline = Date.now() + 1_200;
    let seen: number | undefined;
    while (Date.now() < deadline) {
      seen = (await scrape(b.url)).value('tunnelvision_batch_buffered_rows');
      if (seen === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toBe(3);
    expect((await response).status).toBe(200);
    const after = await scrape(b.url);
    expect(after.value('tunnelvision_batch_buffered_rows')).toBe(0);
    expect(after.value('tunnelvision_insert_batch_rows_count', { table: 'logs' })).toBe(2);
    expect(after.value('tunnelvision_insert_batch_rows_sum', { table: 'logs' })).toBe(5);
  });

  it('counts a store outage: an insert failure, the rows spooled and accepted, the spool held', async () => {
    const before = await scrape(a.url);
    // The store disappears under the running collector (last test: a stays broken).
    await a.store.close();
    expect((await post(a, 'logs', events(2), authed)).status).toBe(200);
    const after = await scrape(a.url);
    expect(delta(before, after, 'tunnelvision_ingest_requests_total', { transport: 'http', signal: 'logs', outcome: 'accepted' })).toBe(1);
    expect(delta(before, after, 'tunnelvision_ingest_records_accepted_total', { transport: 'http', signal: 'logs' })).toBe(2);
    expect(delta(before, after, 'tunnelvision_insert_failures_total', { table: 'logs' })).toBe(1);
    for (const table of TABLE_NAMES.filter((t) => t !== 'logs')) {
      expect(delta(before, after, 'tunnelvision_insert_failures_total', { table })).toBe(0);
    }
    expect(delta(before, after, 'tunnelvision_spool_rows_spooled')).toBe(2);
    expect(after.value('tunnelvision_spool_blocks')).toBe(1);
    expect(after.value('tunnelvision_spool_bytes')).toBeGreaterThan(100);
    expect(after.value('tunnelvision_batch_buffered_rows')).toBe(0);
  });
});
