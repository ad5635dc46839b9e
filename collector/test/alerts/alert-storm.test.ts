import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertHistoryResponse, AlertNotificationBody, AlertsResponse } from '../../src/api-types.js';
import type { RunningCollector } from '../../src/collector.js';
import { sendReconnectStorm } from '../support/reconnect-storm.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * A reconnect storm sent with the official OTLP exporter through a real
 * collector, on its own evaluation timer: the built-in storm rule goes
 * pending, fires within two evaluation intervals, a real HTTP receiver gets
 * a signed page naming the deploy before it, and a resolve follows once the
 * storm has left the rule's window.
 */

const data = freshDataDir();
const SECRET = 'storm-test-secret-0123456789';
const INTERVAL = 2_000;
const fleet = { service: 'chat', environment: 'prod', server: 'gw-1.example:443' };
let collector: RunningCollector;
let receiver: WebhookReceiver;

const stormPages = () => receiver.received.filter((r) => (r.body as AlertNotificationBody | null)?.alert?.rule_id === 'reconnect-storm');

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const rules = join(data.dir, 'rules.json');
  // The built-in rule, with `for` so the pending state shows and a short keep_firing_for so the test ends soon.
  writeFileSync(rules, JSON.stringify({ rules: [{ id: 'reconnect-storm', for: '1s', keep_firing_for: '2s' }] }));
  collector = await startTestCollector(join(data.dir, 'store'), {
    alertRulesFile: rules,
    alertEvaluationIntervalMillis: INTERVAL,
    alertWebhookUrl: receiver.url,
    alertWebhookSecret: SECRET,
    alertDashboardUrl: 'https://tv.example.com',
  });
});

afterAll(async () => {
  await collector?.stop();
  await receiver?.close();
  await data.remove();
});

describe('a reconnect storm through the real collector', { timeout: 60_000 }, () => {
  it('goes pending, fires within two intervals, pages once with a valid signature and the deploy, then resolves', async () => {
    const deployAt = Date.now() - 120_000;
    const deploy = await fetch(`${collector.url}/api/v1/deploys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service: 'chat', version: '2.15.0', environment: 'prod', commit: '9f1c2ab4d5e6', time: deployAt }),
    });
    expect(deploy.status).toBe(201);

    // The storm ended 45 s ago, so it leaves the 1-minute window within the test.
    const sentAt = Date.now();
    await sendReconnectStorm(collector.url, fleet, 200, 2_000, 45_000);

    await expect.poll(() => stormPages().length, { timeout: 20_000, interval: 100 }).toBe(1);
    const page = stormPages()[0]!;
    const body = page.body as AlertNotificationBody;
    expect(body.status).toBe('firing');
    expect(body.repeat).toBe(0);
    expect(page.headers['idempotency-key']).toBe(body.idempotency_key);
    const expected = `sha256=${createHmac('sha256', SECRET).update(page.raw).digest('hex')}`;
    expect(page.headers['x-tunnelvision-signature']).toBe(expected);
    expect(body.alert.labels).toEqual({ service: 'chat', environment: 'prod', server: 'gw-1.example:443' });
    expect(body.alert.deploy).toMatchObject({ version: '2.15.0', commit: '9f1c2ab4d5e6', environment: 'prod' });
    expect(body.alert.deploy!.minutes_before_onset).toBeGreaterThanOrEqual(1);
    expect(body.alert.dashboard_url).toMatch(/^https:\/\/tv\.example\.com\/\?range=custom&from=.+&service=chat&environment=prod&server=gw-1\.example%3A443$/);
    expect(body.text).toMatch(/^Reconnect storm on chat \(prod, gw-1\.example:443\): \d+ reconnects\/min over the last 1m; .*since \d\d:\d\d:\d\d UTC\. It began \d+ min after the deploy of chat 2\.15\.0 \(commit 9f1c2ab\)\.$/);
    expect(body.alert.value!).toBeGreaterThan(body.alert.threshold!);
    expect(page.at - sentAt).toBeLessThan(15_000);

    // History: pending, then firing within two evaluation intervals.
    const history = await getJson<AlertHistoryResponse>(collector.url, `/api/v1/alerts/history?rule=reconnect-storm&from=${sentAt - 1_000}`);
    const byState = (s: string) => history.body.transitions.find((t) => t.to_state === s);
    expect(byState('pending')?.from_state).toBe('inactive');
    expect(byState('firing')?.from_state).toBe('pending');
    const held = Date.parse(byState('firing')!.time) - Date.parse(byState('pending')!.time);
    expect(held).toBeGreaterThanOrEqual(1_000);
    expect(held).toBeLessThanOrEqual(2 * INTERVAL + 250);

    const firing = await getJson<AlertsResponse>(collector.url, '/api/v1/alerts?state=firing&service=chat');
    expect(firing.body.alerts.map((a) => a.rule_id)).toContain('reconnect-storm');
    expect(firing.body.evaluated_at).not.toBeNull();

    // The storm leaves the window: one resolve message for the same episode.
    await expect.poll(() => stormPages().length, { timeout: 30_000, interval: 200 }).toBe(2);
    const resolved = stormPages()[1]!.body as AlertNotificationBody;
    expect(resolved.status).toBe('resolved');
    expect(resolved.alert.id).toBe(body.alert.id);
    expect(resolved.idempotency_key).not.toBe(body.idempotency_key);
    expect(resolved.text).toMatch(/^Resolved: Reconnect storm on chat/);
    const after = await getJson<AlertsResponse>(collector.url, '/api/v1/alerts?state=resolved&rule=reconnect-storm');
    expect(after.body.alerts[0]).toMatchObject({ id: body.alert.id, state: 'resolved' });
    expect(after.body.alerts[0]!.resolved_at).not.toBeNull();
  });
});
