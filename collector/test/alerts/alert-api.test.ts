import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRulesResponse, SilencesResponse } from '../../src/api-types.js';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';

/** The alert rules and silences API on a real collector, with the ingest key on (writes need it, reads do not). */

const data = freshDataDir();
const KEY = 'alert-api-test-key-0123456789';
let collector: RunningCollector;

async function send(method: string, path: string, body?: unknown, key: string | null = KEY): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(`${collector.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  collector = await startTestCollector(data.dir, { ingestKey: KEY, alertEvaluationIntervalMillis: 600_000 });
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('alert rules API', () => {
  it('lists the built-in rules with their effective settings and state', async () => {
    const { status, body } = await getJson<AlertRulesResponse>(collector.url, '/api/v1/alerts/rules');
    expect(status).toBe(200);
    expect(body.evaluation_interval_seconds).toBe(600);
    expect(body.rules.map((r) => r.id)).toEqual(['reconnect-storm', 'delivery-latency-slo', 'abnormal-close-surge', 'message-loss-slo', 'heartbeat-timeouts']);
    expect(body.rules[0]).toMatchObject({ source: 'builtin', state: 'inactive', pending: 0, firing: 0, last_error: null, min_volume: 30, for: '0s' });
  });

  it('adds, changes and removes rules; a change to a built-in rule is undone by deleting it', async () => {
    const created = await send('POST', '/api/v1/alerts/rules', {
      id: 'gw-latency',
      name: 'Gateway p99 above 800 ms',
      kind: 'threshold',
      signal: 'latency_p99',
      window: '5m',
      value: 800,
      severity: 'ticket',
    });
    expect(created.status).toBe(201);
    expect(created.body.rule).toMatchObject({ id: 'gw-latency', source: 'api', op: '>', group_by: ['service', 'environment', 'server'] });

    const changed = await send('PUT', '/api/v1/alerts/rules/reconnect-storm', { min_volume: 200 });
    expect(changed.status).toBe(200);
    expect(changed.body.rule).toMatchObject({ id: 'reconnect-storm', source: 'api', min_volume: 200, kind: 'anomaly' });

    const restored = await send('DELETE', '/api/v1/alerts/rules/reconnect-storm');
    expect(restored.status).toBe(200);
    expect(restored.body.restored).toMatchObject({ source: 'builtin', min_volume: 30 });

    const builtin = await send('DELETE', '/api/v1/alerts/rules/heartbeat-timeouts');
    expect(builtin.status).toBe(404);
    expect(builtin.body.error.message).toMatch(/set "enabled": false to switch it off/);

    const rules = (await getJson<AlertRulesResponse>(collector.url, '/api/v1/alerts/rules')).body.rules;
    expect(rules.find((r) => r.id === 'gw-latency')?.source).toBe('api');
  });

  it('refuses a bad rule with a message naming the field, and keeps the old one', async () => {
    const bad = await send('PUT', '/api/v1/alerts/rules/gw-latency', { window: '15s' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('rule "gw-latency": window: must be a whole number of 10s, got 15s');
    expect((await send('POST', '/api/v1/alerts/rules', { name: 'no id' })).body.error.message).toMatch(/^id: is required/);
    expect((await send('PUT', '/api/v1/alerts/rules/Bad Id!', { name: 'x', kind: 'threshold', signal: 'closes', value: 1 })).status).toBe(400);
    const notJson = await fetch(`${collector.url}/api/v1/alerts/rules/x`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: '{' });
    expect(notJson.status).toBe(400);
    const rules = (await getJson<AlertRulesResponse>(collector.url, '/api/v1/alerts/rules')).body.rules;
    expect(rules.find((r) => r.id === 'gw-latency')?.window).toBe('5m');
  });

  it('needs the ingest key to write, not to read', async () => {
    expect((await send('PUT', '/api/v1/alerts/rules/x', { name: 'x' }, null)).status).toBe(401);
    expect((await send('POST', '/api/v1/silences', {}, 'wrong-key-wrong-key')).status).toBe(401);
    expect((await send('DELETE', '/api/v1/silences/00000000-0000-0000-0000-000000000000', undefined, null)).status).toBe(401);
    expect((await getJson(collector.url, '/api/v1/silences')).status).toBe(200);
  });
});

describe('silences API', () => {
  it('creates, lists and expires a silence', async () => {
    const created = await send('POST', '/api/v1/silences', {
      matchers: [
        { label: 'service', value: 'chat' },
        { label: 'server', op: '=~', value: 'gw-(1|2)' },
      ],
      duration: '90m',
      created_by: 'ana@example.com',
      comment: 'INC-42 gateway rollout',
    });
    expect(created.status).toBe(201);
    const silence = created.body.silence;
    expect(silence).toMatchObject({ state: 'active', created_by: 'ana@example.com', matchers: [{ label: 'service', op: '=', value: 'chat' }, { op: '=~' }] });
    expect(Date.parse(silence.ends_at) - Date.parse(silence.starts_at)).toBe(90 * 60_000);

    const active = await getJson<SilencesResponse>(collector.url, '/api/v1/silences?state=active');
    expect(active.body.silences.map((s) => s.id)).toEqual([silence.id]);
    const expired = await send('DELETE', `/api/v1/silences/${silence.id}`);
    expect(expired.body.silence.state).toBe('expired');
    expect((await getJson<SilencesResponse>(collector.url, '/api/v1/silences?state=active')).body.silences).toEqual([]);
    expect((await getJson<SilencesResponse>(collector.url, '/api/v1/silences?state=expired')).body.silences[0]?.id).toBe(silence.id);
  });

  it('refuses bad silences with the field named', async () => {
    const base = { created_by: 'ana', comment: 'why' };
    expect((await send('POST', '/api/v1/silences', { ...base, matchers: [] })).body.error.message).toMatch(/^matchers: needs at least one matcher/);
    expect((await send('POST', '/api/v1/silences', { ...base, matchers: [{ label: 'service', op: '=~', value: '(' }] })).body.error.message).toMatch(
      /^matchers\.0\.value: not a valid regular expression/,
    );
    expect((await send('POST', '/api/v1/silences', { ...base, matchers: [{ label: 'service', value: 'x' }], duration: 'forever' })).body.error.message).toMatch(
      /^duration: "forever" is not a duration/,
    );
    expect((await send('POST', '/api/v1/silences', { matchers: [{ label: 'service', value: 'x' }] })).body.error.message).toMatch(/created_by/);
    expect((await send('POST', '/api/v1/silences', { ...base, matchers: [{ label: 'service', value: 'x' }], duration: '40d' })).body.error.message).toMatch(
      /at most 30 days/,
    );
    expect((await send('DELETE', '/api/v1/silences/not-a-uuid')).status).toBe(400);
    expect((await send('DELETE', '/api/v1/silences/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });
});

describe('alerts API', () => {
  it('answers an empty list before anything fired and refuses bad parameters', async () => {
    const all = await getJson(collector.url, '/api/v1/alerts');
    expect(all.status).toBe(200);
    expect(all.body.alerts).toEqual([]);
    const bad = await getJson(collector.url, '/api/v1/alerts?state=burning');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^state: /);
    expect((await getJson(collector.url, '/api/v1/alerts/history?from=yesterday')).status).toBe(400);
  });
});
