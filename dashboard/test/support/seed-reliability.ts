import { double, eventRecord, logsRequest, upDownCounterRequest, type AttrValue, type MetricPoint } from '@tunnelvision/test-support';

/**
 * Known reliability telemetry for the Reliability page, following
 * docs/objectives.md: five UTC days, the first six days ago and the last two
 * days ago (so none falls in the last 24 hours, whatever the time of day),
 * each with one busy hour (10:00–11:00 UTC). Two cohorts of chat-web split by
 * feature_flag.resilience, every figure below worked out by hand:
 *
 * Connection states (tv.connection.state, 10 samples a day per cohort):
 *  - on: 1000 open at every sample, 50,000 samples over the five days, all good;
 *  - off: the same, except 1 reconnecting in each sample of day 1 (10 bad) and 3 in each of day 3 (30 bad).
 *  Connection reliability 99,960 / 100,000 = 99.960% against 99.9%: 40% of the budget spent, 60% left.
 *  The hours that burned it: day 3 (30 bad, 30% of the budget), then day 1 (10 bad, 10%).
 * Messages (40 sent a day per cohort):
 *  - on: all acked in 120 ms;
 *  - off: day 1, 10 acked in 1,500 ms (late for the 1 s objective, and replayed); day 3, 10 dropped.
 *  Delivery success 380 / 400 = 95.000% against 99.5%: the budget (2 messages) overspent tenfold.
 * Attempts: on opens 4 a day; off opens 4 a day, but on days 1 and 3 two of its four are refused and both
 * opened connections close as zombies (missed heartbeats). Queue depth: off reports 1..20 on day 3, on 1..5.
 */
export interface SeededReliability {
  /** The start of each busy hour, epoch ms. */
  hours: number[];
  expected: {
    /** Day 3's busy hour: the worst for connection reliability. */
    worstHour: { from: string; to: string };
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
const STATE_METRIC = { name: 'tv.connection.state', unit: '{connection}' };
const resource = { 'service.name': 'chat-web', 'deployment.environment.name': 'production', 'service.version': '2.15.0', 'telemetry.sdk.version': '0.1.0' };
/** Days (of the five) on which the off cohort has trouble: samples reconnecting, late or dropped messages. */
const ROUGH_DAYS: Record<number, { reconnecting: number }> = { 1: { reconnecting: 1 }, 3: { reconnecting: 3 } };

async function post(base: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok || (text && JSON.parse(text).partialSuccess)) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
}

/** Posts five days of both cohorts to a running collector (OTLP/JSON) and returns what the Reliability page should show. */
export async function seedReliability(collectorUrl: string, now = Date.now()): Promise<SeededReliability> {
  const firstDay = Math.floor(now / DAY) * DAY - 6 * DAY;
  const hours = [0, 1, 2, 3, 4].map((d) => firstDay + d * DAY + 10 * HOUR);
  const points: MetricPoint[] = [];
  const records: Record<string, unknown>[] = [];
  hours.forEach((hour, day) => {
    const rough = ROUGH_DAYS[day];
    for (const cohort of ['on', 'off'] as const) {
      const flag = { 'feature_flag.resilience': cohort };
      const reconnecting = cohort === 'off' ? (rough?.reconnecting ?? 0) : 0;
      for (let m = 0; m < 10; m++) {
        const timeMs = hour + m * MINUTE;
        points.push({ timeMs, value: 1000 - reconnecting, attributes: { ...flag, 'tv.state': 'open' } });
        if (reconnecting > 0) points.push({ timeMs, value: reconnecting, attributes: { ...flag, 'tv.state': 'reconnecting' } });
      }

      const session: Record<string, AttrValue> = { 'session.id': `rel-${cohort}-${day}`, ...flag };
      const troubled = cohort === 'off' && rough !== undefined;
      const t = hour + 15 * MINUTE;
      for (let i = 0; i < 4; i++) {
        const connection = { ...session, 'tv.connection.id': `rel-${cohort}-${day}-c${i}` };
        if (troubled && i >= 2) {
          // Refused: an attempt that never opened (no duration).
          records.push(eventRecord('conn.close', { ...connection, 'tv.close.code': 1006, 'tv.connection.failure': 'refused', 'error.type': 'ECONNREFUSED' }, t + i * 1000));
          continue;
        }
        records.push(eventRecord('conn.open', connection, t + i * 1000));
        const close: Record<string, AttrValue> = troubled
          ? { 'tv.close.code': 4000, 'tv.heartbeat.missed': 2, 'tv.close.initiator': 'client' }
          : { 'tv.close.code': 1000 };
        records.push(eventRecord('conn.close', { ...connection, ...close, 'tv.connection.duration_ms': double(30 * MINUTE) }, t + 30 * MINUTE + i * 1000));
      }

      for (let i = 0; i < 40; i++) {
        const sentAt = t + 60_000 + i * 1000;
        const message = { ...session, 'tv.message.id': `rel-${cohort}-${day}-m${i}` };
        records.push(eventRecord('msg.sent', message, sentAt));
        const bad = troubled && i >= 30;
        if (bad && day === 3) {
          records.push(eventRecord('msg.dropped', { ...message, 'tv.message.drop_reason': 'ttl_expired' }, sentAt + 30_000));
        } else if (bad) {
          records.push(eventRecord('msg.replayed', message, sentAt + 1_000));
          records.push(eventRecord('msg.acked', { ...message, 'tv.message.latency_ms': double(1_500) }, sentAt + 1_500));
        } else {
          records.push(eventRecord('msg.acked', { ...message, 'tv.message.latency_ms': double(120) }, sentAt + 120));
        }
      }
      if (day === 3) {
        const deepest = cohort === 'off' ? 20 : 5;
        for (let depth = 1; depth <= deepest; depth++) {
          records.push(eventRecord('msg.queued', { ...session, 'tv.message.id': `rel-${cohort}-q${depth}`, 'tv.queue.depth': depth }, t + 20 * MINUTE + depth * 100));
        }
      }
    }
  });
  await post(collectorUrl, '/v1/metrics', upDownCounterRequest(STATE_METRIC, resource, points, firstDay - HOUR));
  await post(collectorUrl, '/v1/logs', logsRequest(resource, records));
  const worst = hours[3]!;
  return { hours, expected: { worstHour: { from: new Date(worst).toISOString(), to: new Date(worst + HOUR).toISOString() } } };
}
