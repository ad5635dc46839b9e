import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { createMessageSampler } from '../../src/tracker/message-sampler.js';
import { hashToUnitInterval } from '../../src/tracker/string-hash.js';
import type { ConnectionHandle } from '../../src/tracker/tracker-types.js';
import { METRIC_DELIVERY_LATENCY, METRIC_MESSAGES_LOST } from '@tunnelvision/semconv';
import { createTelemetryHarness, START_MILLIS, type TelemetryHarness } from './telemetry-harness.js';

let t: TelemetryHarness;
const ignoreWarnings = (): void => undefined;

beforeEach(() => {
  t = createTelemetryHarness();
});

afterEach(() => t.shutdown());

function sampledConnection(successRatio: number, slowThresholdMillis?: number): ConnectionHandle {
  const tracker = createTracker({
    loggerProvider: t.loggerProvider,
    meterProvider: t.meterProvider,
    now: t.clock.now,
    sampling: { successRatio, ...(slowThresholdMillis === undefined ? {} : { slowThresholdMillis }) },
  });
  const conn = tracker.connection();
  conn.opening();
  conn.opened();
  t.resetEvents();
  return conn;
}

const ids = Array.from({ length: 10_000 }, (_, i) => `msg-${i}`);

describe('message sampling', () => {
  it('hashes ids to [0, 1) deterministically and evenly, also for sequential and non-ASCII ids', () => {
    expect(hashToUnitInterval('msg-1')).toBe(hashToUnitInterval('msg-1'));
    const values = ids.map(hashToUnitInterval);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const deciles = Array.from({ length: 10 }, (_, d) => values.filter((v) => Math.floor(v * 10) === d).length);
    for (const count of deciles) expect(count).toBeGreaterThan(850);
    expect(hashToUnitInterval('émoji-😀')).not.toBe(hashToUnitInterval('emoji-'));
  });

  it('keeps about the ratio of successful journeys, the same ids on two trackers', () => {
    const a = createMessageSampler({ successRatio: 0.1 }, ignoreWarnings);
    const b = createMessageSampler({ successRatio: 0.1 }, ignoreWarnings);
    const keptA = ids.filter((id) => a.keeps(id));
    expect(keptA.length).toBeGreaterThan(900);
    expect(keptA.length).toBeLessThan(1_100);
    expect(ids.filter((id) => b.keeps(id))).toEqual(keptA);
    // A larger ratio keeps a superset: raising it never hides a message shown before.
    const half = createMessageSampler({ successRatio: 0.5 }, ignoreWarnings);
    expect(keptA.every((id) => half.keeps(id))).toBe(true);
  });

  it('clamps bad ratios instead of throwing, and says so', () => {
    const warnings: string[] = [];
    const warn = (message: string) => void warnings.push(message);
    expect(createMessageSampler({ successRatio: 7 }, warn).keeps('x')).toBe(true);
    expect(createMessageSampler({ successRatio: -1 }, warn).keeps('x')).toBe(false);
    expect(createMessageSampler({ successRatio: Number.NaN }, warn).keeps('x')).toBe(true);
    expect(createMessageSampler(undefined, warn).slowThresholdMillis).toBe(1_000);
    expect(warnings).toEqual([
      '@tunnelvision/sdk: sampling.successRatio 7 is out of range; using 1',
      '@tunnelvision/sdk: sampling.successRatio -1 is out of range; using 0',
      '@tunnelvision/sdk: sampling.successRatio must be a number; using 1',
    ]);
  });

  it('emits nothing for sampled-out successes, but records every latency', async () => {
    const conn = sampledConnection(0.1);
    let expectedKept = 0;
    const sampler = createMessageSampler({ successRatio: 0.1 }, ignoreWarnings);
    for (const id of ids.slice(0, 500)) {
      const m = conn.message(id);
      m.sent();
      t.clock.advance(1);
      m.acked();
      if (sampler.keeps(id)) expectedKept++;
    }
    expect(t.eventNames().filter((n) => n === 'msg.acked')).toHaveLength(expectedKept);
    expect(t.eventNames().filter((n) => n === 'msg.sent')).toHaveLength(expectedKept);
    expect((await t.histogram(METRIC_DELIVERY_LATENCY.name))[0]?.value.count).toBe(500);
  });

  it('keeps a sampled-out journey whole once it fails, with the held-back events at their own times', async () => {
    const conn = sampledConnection(0);
    const connectionId = conn.connectionId;
    const m = conn.message('m-fail', { seq: 5 });
    m.sent();
    t.clock.advance(100);
    m.queued(1);
    expect(t.events()).toEqual([]);
    t.clock.advance(100);
    m.dropped('ttl_expired');
    expect(t.events().map((e) => [e.name, e.timeMillis - START_MILLIS, e.attributes['tv.connection.id']])).toEqual([
      ['msg.sent', 0, connectionId],
      ['msg.queued', 100, connectionId],
      ['msg.dropped', 200, connectionId],
    ]);
    expect(await t.points(METRIC_MESSAGES_LOST.name)).toEqual([{ attributes: { 'tv.role': 'client', 'tv.message.drop_reason': 'ttl_expired' }, value: 1 }]);
  });

  it('shows a sampled-out message once it is retried or replayed, up to its ack', () => {
    const conn = sampledConnection(0);
    const retried = conn.message('r');
    retried.sent();
    retried.retried(2);
    retried.acked();
    const replayed = conn.message('p');
    replayed.queued(1);
    replayed.replayed();
    replayed.acked();
    expect(t.eventNames()).toEqual(['msg.sent', 'msg.retried', 'msg.acked', 'msg.queued', 'msg.replayed', 'msg.acked']);
  });

  it('keeps a slow message even when sampled out', () => {
    const conn = sampledConnection(0, 250);
    const fast = conn.message('fast');
    fast.sent();
    t.clock.advance(250);
    fast.acked();
    const slow = conn.message('slow');
    slow.sent();
    t.clock.advance(251);
    slow.acked();
    expect(t.events().map((e) => [e.name, e.attributes['tv.message.id'], e.attributes['tv.message.latency_ms']])).toEqual([
      ['msg.sent', 'slow', undefined],
      ['msg.acked', 'slow', 251],
    ]);
  });

  it('samples msg.received by id but never msg.duplicate or msg.gap', () => {
    const conn = sampledConnection(0);
    conn.received('in-1');
    conn.duplicate('in-1');
    conn.gap(3, 5);
    expect(t.eventNames()).toEqual(['msg.duplicate', 'msg.gap']);
  });
});
