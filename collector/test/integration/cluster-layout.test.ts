import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { Session } from 'chdb';
import { createChdbConnection } from 'chdb/connection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import { LeaderLease } from '../../src/alerts/leader/leader-lease.js';
import { encodeBlock } from '../../src/ingest/encoded-block.js';
import { mapLogsRequest } from '../../src/ingest/log-rows.js';
import { queryCloseCodes } from '../../src/query/close-codes-query.js';
import { listDeploys, recordDeploy } from '../../src/query/deploys.js';
import { querySeries } from '../../src/query/series-query.js';
import { queryTimeline } from '../../src/query/timeline-query.js';
import { CLUSTER_CLIENT_SETTINGS } from '../../src/store/schema/cluster-layout.js';
import { readMigrations } from '../../src/store/schema/migration-files.js';
import { bootstrapStatements, renderMigration, type SchemaOptions } from '../../src/store/schema/render-migration.js';

/**
 * The cluster layout (CLICKHOUSE_CLUSTER) run for real on the embedded
 * engine: a one-shard cluster whose only replica is this process. Inserts
 * go through the Distributed tables, materialized views fill the local
 * rollups, and the collector's own queries read the Distributed tables
 * with the settings it uses on a cluster.
 *
 * There is no Keeper here, so the test removes what needs one: ON CLUSTER
 * (distributed DDL) and the Replicated engine arguments. What it checks is
 * everything else: the Distributed tables over the local ones, the views
 * on local tables, and queries that must work through Distributed tables.
 * A real multi-shard run: docker-compose.cluster.yml with TEST_CLICKHOUSE_URL
 * and TEST_CLICKHOUSE_CLUSTER (docs/operations.md).
 */

const CLUSTER = 'tv_test_cluster';
const DB = 'tv_cluster_layout';
const OPTIONS: SchemaOptions = { database: DB, retentionDays: 30, rollupRetentionDays: 400, cluster: CLUSTER };

const dir = mkdtempSync(join(tmpdir(), 'tv-cluster-'));
let session: Session;
let client: ClickHouseClient;

/** The rendered cluster statement as a Keeper-less node can run it. */
function withoutKeeper(statement: string): string {
  return statement
    .replaceAll(` ON CLUSTER ${CLUSTER}`, '')
    .replace(/ENGINE = Replicated(\w*MergeTree)\('[^']*', '[^']*'(?:, ([^)]*))?\)/, (_all, engine: string, args?: string) =>
      args ? `ENGINE = ${engine}(${args})` : `ENGINE = ${engine}`,
    );
}

const at = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
const window = { service: 'edge', from: String(at - 60_000), to: String(at + 5 * 60_000) };

beforeAll(async () => {
  // tcp_port makes the cluster's localhost replica this very process.
  const config = join(dir, 'config.xml');
  writeFileSync(
    config,
    `<clickhouse>
  <tcp_port>9000</tcp_port>
  <remote_servers>
    <${CLUSTER}><shard><replica><host>localhost</host><port>9000</port></replica></shard></${CLUSTER}>
  </remote_servers>
</clickhouse>
`,
  );
  const store = join(dir, 'store');
  session = new Session(store, { connectionArgs: [`--config-file=${config}`] });
  client = createClient({
    connection: createChdbConnection({ path: store }) as unknown as ClickHouseClientConfigOptions['connection'],
    // What ClickHouseStore sends to a cluster.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 1, date_time_input_format: 'best_effort', ...CLUSTER_CLIENT_SETTINGS },
  });
  const statements = [...bootstrapStatements(OPTIONS), ...readMigrations().flatMap((m) => renderMigration(m.sql, OPTIONS))];
  for (const statement of statements) await client.command({ query: withoutKeeper(statement) });

  // A session that drops, reconnects and gets one message acked, as the collector would write it.
  const records = [
    eventRecord('conn.open', { 'session.id': 's-1', 'tv.connection.id': 'c-1' }, at),
    eventRecord('msg.sent', { 'session.id': 's-1', 'tv.message.id': 'm-1' }, at + 1_000),
    eventRecord('conn.close', { 'session.id': 's-1', 'tv.close.code': 1006, 'tv.connection.duration_ms': { double: 2_000 } }, at + 2_000),
    eventRecord('conn.open', { 'session.id': 's-1', 'tv.connection.id': 'c-2', 'tv.connection.downtime_ms': { double: 1_500 } }, at + 3_500),
    eventRecord('msg.acked', { 'session.id': 's-1', 'tv.message.id': 'm-1', 'tv.message.latency_ms': { double: 2_600 } }, at + 3_600),
    eventRecord('conn.close', { 'session.id': 's-2', 'tv.close.code': 1000, 'tv.connection.duration_ms': { double: 9_000 } }, at + 4_000),
  ];
  const mapped = mapLogsRequest(logsRequest({ 'service.name': 'edge', 'deployment.environment.name': 'production' }, records));
  expect(mapped.rejected).toBe(0);
  // Encoded as the collector encodes them (RowBinary for logs); the engine reads the binary block from a file.
  for (const batch of mapped.batches) {
    const block = encodeBlock(batch.table, batch.rows);
    const file = join(dir, `${batch.table}.block`);
    writeFileSync(file, block.body);
    await client.command({ query: `INSERT INTO ${DB}.${batch.table} FROM INFILE '${file}' FORMAT ${block.format}` });
  }
});

afterAll(async () => {
  await client?.close();
  session?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function count(table: string, where = '1'): Promise<number> {
  const result = await client.query({ query: `SELECT count() AS n FROM ${DB}.${table} WHERE ${where}`, format: 'JSONEachRow' });
  return Number((await result.json<{ n: string }>())[0]!.n);
}

describe('the cluster layout on a one-shard cluster', () => {
  it('stores rows inserted through the Distributed table in the local table before the insert returns', async () => {
    expect(await count('logs_local')).toBe(6);
    expect(await count('logs')).toBe(6);
  });

  it('rolls up each shard local rows into its local rollup tables, read back through their Distributed tables', async () => {
    expect(await count('events_1m_local')).toBeGreaterThan(0);
    expect(await count('latency_10s_local')).toBe(1);
    const result = await client.query({
      query: `SELECT EventName, sum(Events) AS n FROM ${DB}.events_1m WHERE ServiceName = 'edge' GROUP BY EventName ORDER BY EventName`,
      format: 'JSONEachRow',
    });
    expect((await result.json<{ EventName: string; n: string }>()).map((r) => `${r.EventName}=${r.n}`)).toEqual([
      'conn.close=2',
      'conn.open=2',
      'msg.acked=1',
      'msg.sent=1',
    ]);
  });

  it('answers the query API through the Distributed tables: series, close codes, and session and message lookups with IN subqueries', async () => {
    const reconnects = await querySeries(client, DB, { metric: 'reconnects', step: '10m', ...window });
    expect(reconnects.points.reduce((n, p) => n + (p.v ?? 0), 0)).toBe(1);
    const latency = await querySeries(client, DB, { metric: 'latency_p99', step: '10m', ...window });
    expect(latency.points.some((p) => p.v !== null && p.v > 2_000)).toBe(true);

    const codes = await queryCloseCodes(client, DB, window);
    expect(codes.codes.map((c) => `${c.code}:${c.count}`).sort()).toEqual(['1000:1', '1006:1']);

    const timeline = await queryTimeline(client, DB, { message_id: 'm-1', from: window.from, to: window.to });
    expect(timeline.events.map((e) => e.event)).toEqual(['conn.open', 'msg.sent', 'conn.close', 'conn.open', 'msg.acked']);
    // Where each id occurs is recorded per shard and read through the Distributed table.
    expect(await count('id_buckets_local', "Kind = 'session'")).toBeGreaterThan(0);
    const session = await queryTimeline(client, DB, { session_id: 's-1', from: window.from, to: window.to });
    expect(session.events.map((e) => e.event)).toEqual(['conn.open', 'msg.sent', 'conn.close', 'conn.open', 'msg.acked']);
  });

  it('reads deploy markers and the leader lease from the tables kept on every node, right after writing them', async () => {
    const deploy = await recordDeploy(client, DB, { service: 'edge', version: '1.2.3', environment: 'production', time: at + 1_000 });
    const deploys = await listDeploys(client, DB, window);
    expect(deploys.deploys.map((d) => d.id)).toEqual([deploy.id]);

    const lease = new LeaderLease(client, DB, { replicaId: 'collector-a', ttlMillis: 15_000, settleMillis: 10 });
    expect(await lease.acquire()).toMatchObject({ leader: true, holder: 'collector-a', term: 1 });
  });
});
