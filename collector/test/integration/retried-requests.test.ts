import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import type { InsertRows } from '../../src/ingest/batch-writer.js';
import { startCollectorProcess } from '../../src/testing/collector-process.js';
import { parseExposition } from '../support/prometheus-text.js';
import { freshDataDir, startTestCollector, until } from '../support/test-collector.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

/**
 * A client that never saw the answer to an export (a timeout, a dropped
 * connection, a collector killed between its insert and its 200) sends the
 * same bytes again. Within COLLECTOR_DEDUP_WINDOW_SECONDS the collector
 * answers such a retry as it answered the original and stores nothing
 * twice, across a restart too.
 */

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

function fresh(): string {
  const data = freshDataDir();
  stops.push(() => data.remove());
  return data.dir;
}

async function collectorOn(dir: string, overrides: Parameters<typeof startTestCollector>[1] = {}, wrapInsert?: (insert: InsertRows) => InsertRows): Promise<RunningCollector> {
  const collector = await startTestCollector(dir, overrides, wrapInsert ? { wrapInsert } : {});
  stops.push(() => collector.stop());
  return collector;
}

/** `count` msg.sent events with message ids `<prefix>-<i>`, plus `invalid` records without a time the collector refuses one by one. */
function request(prefix: string, count: number, invalid = 0): string {
  const records = Array.from({ length: count }, (_, i) => eventRecord('msg.sent', { 'session.id': prefix, 'tv.message.id': `${prefix}-${i}` }));
  for (let i = 0; i < invalid; i++) records.push({ timeUnixNano: 1.5, eventName: 'msg.sent', attributes: [] });
  return JSON.stringify(logsRequest({ 'service.name': 'retries' }, records));
}

const post = (url: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${url}/v1/logs`, { method: 'POST', headers, body });

async function stored(collector: RunningCollector, session: string): Promise<{ rows: number; unique: number }> {
  const result = await collector.store.client.query({
    query: `SELECT count() AS rows, uniqExact(MessageId) AS unique FROM ${collector.store.database}.logs WHERE SessionId = {session:String}`,
    query_params: { session },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ rows: string | number; unique: string | number }>();
  return { rows: Number(row!.rows), unique: Number(row!.unique) };
}

async function alreadyStoredCount(collector: RunningCollector): Promise<number | undefined> {
  const text = await (await fetch(`${collector.url}/metrics`)).text();
  return parseExposition(text).value('tunnelvision_ingest_requests_total', { transport: 'http', signal: 'logs', outcome: 'already_stored' });
}

describe('a retried export request', () => {
  it('gets the same answer as its original, partial success included, and is stored once', async () => {
    const collector = await collectorOn(fresh());
    const body = request('json-retry', 5, 2);
    const first = await post(collector.url, body);
    const again = await post(collector.url, body);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    const firstBody = await first.json();
    expect(firstBody).toMatchObject({ partialSuccess: { rejectedLogRecords: '2' } });
    expect(await again.json()).toEqual(firstBody);
    expect(await stored(collector, 'json-retry')).toEqual({ rows: 5, unique: 5 });
    expect(await alreadyStoredCount(collector)).toBe(1);

    // The same records in a new export (a different body) are the client's own business: stored again.
    await post(collector.url, request('json-retry', 5, 1));
    expect(await stored(collector, 'json-retry')).toEqual({ rows: 10, unique: 5 });
  });

  it('is recognised by its decoded bytes: a gzip protobuf retry of the same export is stored once', async () => {
    const collector = await collectorOn(fresh());
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => join(fileURLToPath(new URL('../../proto/', import.meta.url)), target);
    root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto');
    const Request = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
    const encoded = Request.encode(Request.fromObject(JSON.parse(request('pb-retry', 3)) as object)).finish();
    const headers = { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' };
    const answers = [await post(collector.url, gzipSync(encoded), headers), await post(collector.url, gzipSync(encoded, { level: 1 }), headers)];
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await stored(collector, 'pb-retry')).toEqual({ rows: 3, unique: 3 });
  });

  it('sent while its original is still being written waits for it and stores nothing more', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = (insert: InsertRows): InsertRows => async (target, rows, token) => {
      await gate;
      return insert(target, rows, token);
    };
    const collector = await collectorOn(fresh(), {}, slow);
    const body = request('in-flight', 4);
    const original = post(collector.url, body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const retry = post(collector.url, body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    expect((await original).status).toBe(200);
    expect((await retry).status).toBe(200);
    expect(await stored(collector, 'in-flight')).toEqual({ rows: 4, unique: 4 });
  });

  it('after a 503 is stored: a failed original leaves nothing to answer from', async () => {
    let down = true;
    const collector = await collectorOn(fresh(), { spoolMaxBytes: 0 }, (insert) => async (target, rows, token) => {
      if (down) throw new Error('store unavailable (fault injected)');
      return insert(target, rows, token);
    });
    const body = request('after-503', 3);
    expect((await post(collector.url, body)).status).toBe(503);
    down = false;
    expect((await post(collector.url, body)).status).toBe(200);
    expect(await stored(collector, 'after-503')).toEqual({ rows: 3, unique: 3 });
  });

  it('is recognised after the collector was killed and started again on the same data directory', async () => {
    const dir = fresh();
    const child = await startCollectorProcess(dir, join(dir, 'no-fault'));
    stops.push(async () => void (await child.stop('SIGKILL')));
    const bodies = Array.from({ length: 5 }, (_, i) => request(`killed-${i}`, 10));
    for (const body of bodies) expect((await post(child.url, body)).status).toBe(200);
    await child.stop('SIGKILL');

    const collector = await collectorOn(dir);
    for (const body of bodies) expect((await post(collector.url, body)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect(await stored(collector, `killed-${i}`)).toEqual({ rows: 10, unique: 10 });
    expect(await alreadyStoredCount(collector)).toBe(5);
  }, 60_000);

  it('is stored again when COLLECTOR_DEDUP_WINDOW_SECONDS is 0', async () => {
    const collector = await collectorOn(fresh(), { dedupWindowSeconds: 0 });
    const body = request('window-off', 2);
    await post(collector.url, body);
    await post(collector.url, body);
    expect(await stored(collector, 'window-off')).toEqual({ rows: 4, unique: 2 });
  });
});

describe('a request whose block was stored when the collector died before answering', () => {
  it('is recognised after the restart: the block is replayed once and the retry stores nothing', async () => {
    const dir = fresh();
    const stall = join(dir, 'stall');
    writeFileSync(stall, '');
    const child = await startCollectorProcess(dir, join(dir, 'no-fault'), {}, stall);
    stops.push(async () => void (await child.stop('SIGKILL')));
    const bodies = [request('mid-insert-a', 10), request('mid-insert-b', 5)];
    // a's block goes to the store, which takes it; b waits behind that insert in memory; the process dies before either hears.
    const answer = (body: string) => post(child.url, body).then(() => 'answered', () => 'cut off');
    const unanswered = [answer(bodies[0]!)];
    await new Promise((resolve) => setTimeout(resolve, 500));
    unanswered.push(answer(bodies[1]!));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await child.stop('SIGKILL');
    expect(await Promise.all(unanswered)).toEqual(['cut off', 'cut off']);

    const collector = await collectorOn(dir);
    await until(async () => collector.writer.stats().spooledBlocks === 0, 10_000);
    for (const body of bodies) expect((await post(collector.url, body)).status).toBe(200);
    expect(await stored(collector, 'mid-insert-a')).toEqual({ rows: 10, unique: 10 });
    expect(await stored(collector, 'mid-insert-b')).toEqual({ rows: 5, unique: 5 });
    // a's retry is answered from the replayed block's receipt; b never reached the store, so its retry stores it.
    expect(await alreadyStoredCount(collector)).toBe(1);
    expect(collector.writer.stats().rowsReplayed).toBe(10);
  }, 60_000);
});
