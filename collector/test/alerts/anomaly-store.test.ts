import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeRule } from '../../src/alerts/evaluate/observe-rule.js';
import { FirstSeenCache } from '../../src/alerts/signals/first-seen-cache.js';
import { alertRuleInput, toAlertRule } from '../../src/alerts/rules/alert-rule-schema.js';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, startTestCollector } from '../support/test-collector.js';

/**
 * The anomaly rule against real rollups: history written to events_1m at
 * the same time on previous days, the current minute to events_10s, and
 * the rule observed at a fixed moment. Checks the SQL side of the baseline
 * (windows, first-seen cut-off, group filter) that the synthetic-week
 * study takes as given.
 */

const data = freshDataDir();
let collector: RunningCollector;
const DAY = 86_400_000;
const now = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000 + 35_000;
const rule = toAlertRule(alertRuleInput.parse({ id: 'storm', name: 'Storm', kind: 'anomaly', signal: 'reconnects', group_by: ['service'] }), 'api');

const row1m = (service: string, minute: number, events: number) => ({
  Minute: Math.floor(minute / 1000),
  ServiceName: service,
  Environment: 'prod',
  ServiceVersion: '1',
  ServerAddress: 'gw',
  Role: '',
  EventName: 'conn.open',
  CloseCode: 0,
  Reason: '',
  IsReconnect: 1,
  FailedAttempt: 0,
  Events: events,
});

const row10s = (service: string, bucket: number, events: number) => ({
  Bucket: Math.floor(bucket / 1000),
  ServiceName: service,
  Environment: 'prod',
  ServerAddress: 'gw',
  Role: '',
  EventName: 'conn.open',
  IsReconnect: 1,
  FailedAttempt: 0,
  CloseCode: 0,
  Events: events,
});

beforeAll(async () => {
  collector = await startTestCollector(data.dir, { alertEvaluationIntervalMillis: 600_000 });
  const { client, database } = collector.store;
  const history = [];
  // Three days of an evening peak of 100 reconnects a minute around this time of day.
  for (const service of ['peak-normal', 'peak-storm']) {
    for (let d = 1; d <= 3; d++) for (let m = -20; m <= 20; m++) history.push(row1m(service, now - d * DAY + m * 60_000 - (now % 60_000), 100));
  }
  await client.insert({ table: `${database}.events_1m`, values: history, format: 'JSONEachRow' });
  // The last minute, in 10-second buckets: 150/min where 100 is usual; 400/min; a new service at 50/min; a quiet one at 3/min.
  const current = [];
  const first = Math.floor(now / 10_000) * 10_000 - 50_000;
  for (let b = first; b <= now; b += 10_000) {
    current.push(row10s('peak-normal', b, 25), row10s('peak-storm', b, 67), row10s('brand-new', b, 8), row10s('quiet', b, b === first ? 3 : 0));
  }
  await client.insert({ table: `${database}.events_10s`, values: current, format: 'JSONEachRow' });
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('anomaly rule on the rollups', () => {
  it('judges the current rate against the same time on previous days, and falls back when there is no history', async () => {
    const observations = await observeRule({ client: collector.store.client, database: collector.store.database, firstSeen: new FirstSeenCache() }, rule, now, []);
    const by = new Map(observations.map((o) => [o.labels.service, o]));

    const normal = by.get('peak-normal')!;
    expect(normal.baseline).toMatchObject({ source: 'seasonal', median: 100 });
    // 3 days x 31 neighbourhood offsets of daily windows; weekly windows predate the service and are left out.
    expect(normal.baseline!.samples).toBe(93);
    expect(normal.holds).toBe(false);
    expect(normal.threshold).toBe(200);

    const storm = by.get('peak-storm')!;
    expect(storm.holds).toBe(true);
    expect(storm.because).toMatch(/^\d+ reconnects\/min over the last 1m; usual for this time of day and week is 100\/min \(alert at 200\/min\)$/);

    const fresh = by.get('brand-new')!;
    expect(fresh.baseline).toMatchObject({ source: 'recent', median: 0 });
    expect(fresh.holds).toBe(true);
    expect(fresh.threshold).toBe(30);

    const quiet = by.get('quiet')!;
    expect(quiet.holds).toBe(false);
  });
});
