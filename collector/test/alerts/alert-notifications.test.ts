import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertNotificationBody, Silence } from '../../src/api-types.js';
import type { RunningCollector } from '../../src/collector.js';
import { postReconnects, simulatedStart } from '../support/simulated-events.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * Notification behaviour on a real collector and store with a real HTTP
 * receiver. Evaluation cycles are driven by hand at simulated times (the
 * collector's own timer is set to 10 minutes), so flapping and silences
 * are played out in seconds and deterministically.
 */

const data = freshDataDir();
let collector: RunningCollector;
let receiver: WebhookReceiver;

/** Pages of this test's rules for `service` (the built-in storm rule may fire on the same bursts). */
const pagesFor = (service: string) =>
  receiver.received
    .map((r) => r.body as AlertNotificationBody | null)
    .filter((b): b is AlertNotificationBody => b?.alert?.labels.service === service && b.alert.rule_id !== 'reconnect-storm');

/** A threshold rule on one service's reconnects in the current 10-second bucket, added through the API. */
async function addRule(id: string, service: string, extra: Record<string, unknown> = {}): Promise<void> {
  const response = await fetch(`${collector.url}/api/v1/alerts/rules/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: `Reconnects on ${service}`,
      kind: 'threshold',
      signal: 'reconnects',
      window: '10s',
      op: '>',
      value: 5,
      group_by: ['service'],
      filters: { service },
      renotify_every: '0s',
      ...extra,
    }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

const cycle = (at: number) => collector.alerting.evaluator.runCycle(at);

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  collector = await startTestCollector(data.dir, { alertEvaluationIntervalMillis: 600_000, alertWebhookUrl: receiver.url });
  await collector.alerting.evaluator.runCycle();
});

afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
  await data.remove();
});

describe('notifications', { timeout: 60_000 }, () => {
  it('a flapping series gives one page and one resolve', async () => {
    await addRule('flap', 'flappy', { keep_firing_for: '30s' });
    const t0 = simulatedStart();
    // A burst every other 10-second bucket: the condition holds, clears, holds...
    for (let k = 0; k < 5; k++) await postReconnects(collector.url, 'flappy', t0 + k * 20_000, 10);
    const states: string[] = [];
    for (let s = 5_000; s <= 135_000; s += 10_000) {
      await cycle(t0 + s);
      const [alert] = (await collector.alerting.repository.list({ rule: 'flap', from: String(t0), to: String(t0 + 200_000) }, t0 + s)).alerts;
      states.push(alert?.state ?? 'none');
    }
    // Firing from the first burst; the gaps stay within keep_firing_for; resolved 30 s after the last burst.
    expect(states.slice(0, 10).every((s) => s === 'firing')).toBe(true);
    expect(states.at(-1)).toBe('resolved');
    await expect.poll(() => pagesFor('flappy').length, { timeout: 10_000 }).toBe(2);
    expect(pagesFor('flappy').map((p) => p.status)).toEqual(['firing', 'resolved']);
    const history = await collector.alerting.repository.history({ rule: 'flap', from: String(t0), to: String(t0 + 200_000) }, t0);
    expect(history.transitions.map((t) => t.to_state).reverse()).toEqual(['firing', 'resolved']);
  });

  it('a silence holds the page back; expiring it lets the page through', async () => {
    await addRule('quiet', 'quiet-svc');
    const t0 = simulatedStart(20 * 60_000);
    const created = await fetch(`${collector.url}/api/v1/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        matchers: [{ label: 'service', op: '=', value: 'quiet-svc' }],
        starts_at: new Date(t0 - 60_000).toISOString(),
        ends_at: new Date(t0 + 3_600_000).toISOString(),
        created_by: 'on-call@example.com',
        comment: 'planned gateway maintenance',
      }),
    });
    expect(created.status).toBe(201);
    const { silence } = (await created.json()) as { silence: Silence };
    for (let k = 0; k < 3; k++) await postReconnects(collector.url, 'quiet-svc', t0 + k * 10_000, 10);
    await cycle(t0 + 5_000);
    await cycle(t0 + 15_000);
    const [alert] = (await collector.alerting.repository.list({ rule: 'quiet', state: 'firing', from: String(t0), to: String(t0 + 60_000) }, t0 + 15_000)).alerts;
    expect(alert?.silenced_by).toEqual([silence.id]);
    await new Promise((r) => setTimeout(r, 300));
    expect(pagesFor('quiet-svc')).toEqual([]);

    const expired = await fetch(`${collector.url}/api/v1/silences/${silence.id}`, { method: 'DELETE' });
    expect(expired.status).toBe(200);
    expect(((await expired.json()) as { silence: Silence }).silence.state).toBe('expired');
    await cycle(t0 + 25_000);
    await expect.poll(() => pagesFor('quiet-svc').length, { timeout: 10_000 }).toBe(1);
    expect(pagesFor('quiet-svc')[0]!.alert.silenced_by).toEqual([]);
  });

  it('a receiver that fails three times then recovers gets the page exactly once by idempotency key', async () => {
    await addRule('flaky-receiver', 'flaky-svc');
    const t0 = simulatedStart(40 * 60_000);
    await postReconnects(collector.url, 'flaky-svc', t0, 10);
    receiver.failNext(3);
    const before = receiver.received.length;
    await cycle(t0 + 5_000);
    await expect.poll(() => pagesFor('flaky-svc').length, { timeout: 20_000, interval: 100 }).toBe(4);
    const attempts = receiver.received.slice(before).filter((r) => (r.body as AlertNotificationBody).alert.rule_id === 'flaky-receiver');
    const keys = new Set(attempts.map((r) => r.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBe((attempts[0]!.body as AlertNotificationBody).idempotency_key);
    // Retries never blocked evaluation: another cycle ran meanwhile without a second page.
    await cycle(t0 + 6_000);
    expect(new Set(pagesFor('flaky-svc').map((p) => p.idempotency_key)).size).toBe(1);
  });

  it('reminds while an alert keeps firing, each reminder with its own key', async () => {
    await addRule('remind', 'remind-svc', { renotify_every: '30s' });
    const t0 = simulatedStart(60 * 60_000);
    for (let k = 0; k < 6; k++) await postReconnects(collector.url, 'remind-svc', t0 + k * 10_000, 10);
    for (let s = 5_000; s <= 55_000; s += 10_000) await cycle(t0 + s);
    await expect.poll(() => pagesFor('remind-svc').length, { timeout: 10_000 }).toBe(2);
    expect(pagesFor('remind-svc').map((p) => p.repeat)).toEqual([0, 1]);
    expect(new Set(pagesFor('remind-svc').map((p) => p.idempotency_key)).size).toBe(2);
  });

  it('an alert whose rule is removed while firing resolves, with a resolve message', async () => {
    await addRule('removed', 'removed-svc');
    const t0 = simulatedStart(80 * 60_000);
    await postReconnects(collector.url, 'removed-svc', t0, 10);
    await cycle(t0 + 5_000);
    await expect.poll(() => pagesFor('removed-svc').length, { timeout: 10_000 }).toBe(1);
    expect((await fetch(`${collector.url}/api/v1/alerts/rules/removed`, { method: 'DELETE' })).status).toBe(200);
    await cycle(t0 + 6_000);
    await expect.poll(() => pagesFor('removed-svc').map((p) => p.status), { timeout: 10_000 }).toEqual(['firing', 'resolved']);
  });

  it('events stamped in the future (a client clock running fast) count only once their time comes', async () => {
    await addRule('future', 'future-svc');
    const t0 = simulatedStart(100 * 60_000);
    await postReconnects(collector.url, 'future-svc', t0 + 300_000, 10);
    const firing = async (at: number) =>
      (await collector.alerting.repository.list({ rule: 'future', state: 'firing', from: String(t0), to: String(t0 + 600_000) }, at)).alerts.length;
    await cycle(t0 + 5_000);
    expect(await firing(t0 + 5_000)).toBe(0);
    await cycle(t0 + 305_000);
    expect(await firing(t0 + 305_000)).toBe(1);
  });
});
