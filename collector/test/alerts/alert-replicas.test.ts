import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEvaluator } from '../../src/alerts/alert-evaluator.js';
import { LeaderLease } from '../../src/alerts/leader/leader-lease.js';
import { RuleCatalog } from '../../src/alerts/rules/rule-catalog.js';
import { SilenceStore } from '../../src/alerts/silences/silence-store.js';
import { AlertRepository } from '../../src/alerts/state/alert-repository.js';
import type { AlertNotificationBody } from '../../src/api-types.js';
import type { RunningCollector } from '../../src/collector.js';
import { postReconnects, simulatedStart } from '../support/simulated-events.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * Several collector replicas on one store must page once per alert. This
 * machine cannot run a ClickHouse server for two collector processes, so
 * two evaluators (each with its own replica id, lease, repository and
 * webhook sink) share one real embedded store in one process: the same
 * tables and the same election a fleet of replicas uses.
 */

const data = freshDataDir();
let collector: RunningCollector;

interface Replica {
  evaluator: AlertEvaluator;
  pages: AlertNotificationBody[];
}

function replica(id: string): Replica {
  const client = collector.store.client;
  const database = collector.store.database;
  const pages: AlertNotificationBody[] = [];
  const evaluator = new AlertEvaluator({
    client,
    database,
    replicaId: id,
    tenant: 'default',
    intervalMillis: 10_000,
    dashboardUrl: 'http://dashboard.test',
    catalog: new RuleCatalog(client, database, []),
    silences: new SilenceStore(client, database),
    repository: new AlertRepository(client, database, id),
    lease: new LeaderLease(client, database, { replicaId: id, ttlMillis: 15_000, settleMillis: 300 }),
    // Only this test's rule: the built-in storm rule fires on the same bursts.
    notifier: { send: (body) => (body.alert.rule_id === 'ha-reconnects' ? pages.push(body) : undefined) },
    log: () => undefined,
  });
  return { evaluator, pages };
}

beforeAll(async () => {
  collector = await startTestCollector(data.dir, { alertEvaluationIntervalMillis: 600_000, replicaId: 'replica-z' });
  await collector.alerting.evaluator.runCycle();
  await collector.alerting.catalog.put('ha-reconnects', {
    name: 'Reconnects on ha-svc',
    kind: 'threshold',
    signal: 'reconnects',
    window: '10s',
    value: 5,
    group_by: ['service'],
    filters: { service: 'ha-svc' },
    keep_firing_for: '0s',
  });
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('two replicas on one store', { timeout: 60_000 }, () => {
  it('elect one leader, page once, and hand over on a crash without paging again; the new leader sends the resolve', async () => {
    const a = replica('replica-a');
    const b = replica('replica-b');
    // Far enough ahead that the collector's own lease (30 min) has lapsed.
    const t0 = simulatedStart(2 * 3_600_000);
    for (let k = 0; k < 6; k++) await postReconnects(collector.url, 'ha-svc', t0 + k * 10_000, 10);

    // Both evaluate every cycle; only the leader acts.
    const both = async (at: number) => Promise.all([a.evaluator.runCycle(at), b.evaluator.runCycle(at)]);
    const [ra, rb] = await both(t0 + 5_000);
    expect([ra.leader, rb.leader]).toEqual([true, false]);
    await both(t0 + 15_000);
    expect(a.pages.map((p) => p.status)).toEqual(['firing']);
    expect(b.pages).toEqual([]);

    // replica-a dies without releasing its lease; replica-b waits for it to lapse, then takes over.
    const followerCycles = [];
    for (let s = 25_000; s <= 45_000; s += 10_000) followerCycles.push((await b.evaluator.runCycle(t0 + s)).leader);
    expect(followerCycles).toEqual([false, true, true]);
    // The firing alert came over from the store: no second page.
    expect(b.pages).toEqual([]);

    // The storm ends (no bursts after t0+50s): the new leader resolves it and sends the one resolve.
    for (let s = 55_000; s <= 75_000; s += 10_000) await b.evaluator.runCycle(t0 + s);
    expect(b.pages.map((p) => [p.status, p.alert.id])).toEqual([['resolved', a.pages[0]!.alert.id]]);
    expect(b.pages[0]!.idempotency_key).toBe(`${a.pages[0]!.alert.id}:resolved:0`);
    await b.evaluator.stop();
  });
});
