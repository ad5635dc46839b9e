import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRecord, kv, logsRequest } from '@tunnelvision/test-support';
import type { RunningCollector } from '../../src/collector.js';
import { otlpRoutes } from '../../src/http/otlp-routes.js';
import { DEFAULT_ATTRIBUTE_LIMITS } from '../../src/ingest/attribute-limits.js';
import { BatchWriter } from '../../src/ingest/batch-writer.js';
import { encodeRows } from '../../src/ingest/encoded-block.js';
import { LabelCardinalityGuard } from '../../src/ingest/label-cardinality-guard.js';
import { mapLogsRequest } from '../../src/ingest/log-rows.js';
import { OutageSpool } from '../../src/ingest/outage-spool.js';
import { RequestReceipts } from '../../src/ingest/request-receipts.js';
import { IngestCounters } from '../../src/self-metrics/ingest-counters.js';
import { IngestMetrics } from '../../src/self-metrics/ingest-metrics.js';
import { applyMigrations } from '../../src/store/schema/index.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * One collector serves many tenants, each with a database of its own
 * (docs/security.md): the writer, the outage spool, the request receipts
 * and the label guard keep them apart, and an ingest key bound to a service
 * stores its telemetry under that service.
 */

const data = freshDataDir();
const scratch = mkdtempSync(join(tmpdir(), 'tv-tenants-'));
let collector: RunningCollector;
let main: string;
let acme: string;

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  main = collector.store.database;
  acme = `${main}_t_acme`;
  await applyMigrations(collector.store.client, { database: acme, retentionDays: 30, rollupRetentionDays: 90 });
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
  rmSync(scratch, { recursive: true, force: true });
});

const logRows = (session: string, count: number) =>
  mapLogsRequest(logsRequest({ 'service.name': 'tenants' }, Array.from({ length: count }, (_, i) => eventRecord('msg.sent', { 'session.id': session, 'tv.message.id': `${session}-${i}` })))).batches;

async function countIn(database: string, session: string): Promise<number> {
  const result = await collector.store.client.query({
    query: `SELECT count() AS n FROM ${database}.logs WHERE SessionId = {session:String}`,
    query_params: { session },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row!.n);
}

function written(outcome: ReturnType<BatchWriter['enqueue']>): Promise<void> {
  if (outcome.status !== 'accepted') throw new Error('expected the rows to be accepted');
  return outcome.written;
}

describe('one batch writer', () => {
  it('writes each database its own rows only', async () => {
    await Promise.all([written(collector.writer.enqueue(main, logRows('writer-main', 3))), written(collector.writer.enqueue(acme, logRows('writer-acme', 2)))]);
    expect(await countIn(main, 'writer-main')).toBe(3);
    expect(await countIn(acme, 'writer-acme')).toBe(2);
    expect(await countIn(main, 'writer-acme')).toBe(0);
    expect(await countIn(acme, 'writer-main')).toBe(0);
  });

  it('replays a block spooled before tenants (no database in it) into its default database, and a current one into its own', async () => {
    const dir = join(scratch, 'spool');
    const old = encodeRows(logRows('spool-old', 2)[0]!.rows);
    // The file as the previous version wrote it: the checksum, a header naming no database, the rows.
    const header = Buffer.from(`${JSON.stringify({ table: 'logs', token: 'spool-old', rows: old.rows })}\n`);
    const checksum = crc32(old.body, crc32(header)).toString(16).padStart(8, '0');
    mkdirSync(dir);
    writeFileSync(join(dir, '0000000000000000.block'), Buffer.concat([Buffer.from(`${checksum} `), header, old.body]));
    const spool = new OutageSpool({ dir, maxBytes: 1_000_000 });
    spool.put({ database: acme, table: 'logs', token: 'spool-acme', ...encodeRows(logRows('spool-acme', 1)[0]!.rows) });
    const writer = new BatchWriter({
      maxRows: 100,
      minIntervalMillis: 0,
      maxBufferedRows: 100,
      insert: (target, block, token) => collector.store.insert(target, block, token),
      defaultDatabase: main,
      spool,
    });
    await writer.close();
    expect(spool.size).toBe(0);
    expect(await countIn(main, 'spool-old')).toBe(2);
    expect(await countIn(acme, 'spool-old')).toBe(0);
    expect(await countIn(acme, 'spool-acme')).toBe(1);
    expect(await countIn(main, 'spool-acme')).toBe(0);
  });
});

describe('the OTLP routes with a target per request', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    await app.register(otlpRoutes, {
      writer: collector.writer,
      // The test's stand-in for the credential: which database, and which service the key is bound to.
      target: (request) => ({ database: String(request.headers['x-database']), service: request.headers['x-service'] as string | undefined }),
      retryAfterSeconds: 1,
      ingest: new IngestMetrics(new IngestCounters(new Registry()), 'http'),
      attributeLimits: DEFAULT_ATTRIBUTE_LIMITS,
      labels: new LabelCardinalityGuard(100),
      receipts: new RequestReceipts({ file: join(scratch, 'receipts.tsv'), windowMillis: 60_000 }),
    });
  });
  afterAll(() => app?.close());

  const post = (signal: string, body: unknown, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: `/v1/${signal}`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

  it('stores the same request body sent by two tenants for both, and a retry within one tenant once', async () => {
    const body = logsRequest({ 'service.name': 'tenants' }, [eventRecord('msg.sent', { 'session.id': 'same-body', 'tv.message.id': 'same-body-1' })]);
    for (const database of [main, acme, main]) expect((await post('logs', body, { 'x-database': database })).statusCode).toBe(200);
    expect(await countIn(main, 'same-body')).toBe(1);
    expect(await countIn(acme, 'same-body')).toBe(1);
  });

  it('stores every row of a key bound to a service under that service, whatever service.name the app sent', async () => {
    const time = String(Date.now() * 1_000_000);
    const resource = { attributes: kv({ 'service.name': 'what-the-app-said' }) };
    const logs = {
      resourceLogs: [
        { resource, scopeLogs: [{ logRecords: [eventRecord('conn.open', { 'session.id': 'bound-service' })] }] },
        // A resource without service.name at all.
        { scopeLogs: [{ logRecords: [eventRecord('conn.close', { 'session.id': 'bound-service' })] }] },
      ],
    };
    const metrics = { resourceMetrics: [{ resource, scopeMetrics: [{ metrics: [{ name: 'bound.gauge', gauge: { dataPoints: [{ timeUnixNano: time, asDouble: 1 }] } }] }] }] };
    const traces = { resourceSpans: [{ resource, scopeSpans: [{ spans: [{ traceId: 'aa'.repeat(16), spanId: 'bb'.repeat(8), name: 'bound.span', startTimeUnixNano: time, endTimeUnixNano: time }] }] }] };
    const headers = { 'x-database': acme, 'x-service': 'bound-svc' };
    for (const [signal, body] of [['logs', logs], ['metrics', metrics], ['traces', traces]] as const) expect((await post(signal, body, headers)).statusCode).toBe(200);

    const services = async (query: string) => (await (await collector.store.client.query({ query, format: 'JSONEachRow' })).json<{ service: string; resource: string }>()).map((r) => [r.service, r.resource]);
    expect(await services(`SELECT ServiceName AS service, ResourceAttributes['service.name'] AS resource FROM ${acme}.logs WHERE SessionId = 'bound-service' ORDER BY EventName`)).toEqual([
      ['bound-svc', ''],
      ['bound-svc', 'bound-svc'],
    ]);
    expect(await services(`SELECT ServiceName AS service, ResourceAttributes['service.name'] AS resource FROM ${acme}.metrics_gauge WHERE MetricName = 'bound.gauge'`)).toEqual([['bound-svc', 'bound-svc']]);
    expect(await services(`SELECT ServiceName AS service, ResourceAttributes['service.name'] AS resource FROM ${acme}.traces WHERE SpanName = 'bound.span'`)).toEqual([['bound-svc', 'bound-svc']]);
  });

  it('shows the bound service on the timeline', async () => {
    const body = logsRequest({ 'service.name': 'what-the-app-said' }, [eventRecord('conn.open', { 'session.id': 'bound-timeline' })]);
    expect((await post('logs', body, { 'x-database': main, 'x-service': 'bound-svc' })).statusCode).toBe(200);
    const response = await fetch(`${collector.url}/api/v1/timeline?session_id=bound-timeline`);
    expect(response.status).toBe(200);
    const timeline = (await response.json()) as { events: { service?: string }[] };
    expect(timeline.events.map((e) => e.service)).toEqual(['bound-svc']);
  });
});
