import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ATTR_FEATURE_FLAG_PREFIX,
  FEATURE_FLAG_KEY_PATTERN,
  MAX_FEATURE_FLAGS,
  MAX_FEATURE_FLAG_VARIANT_LENGTH,
  METRIC_CONNECTIONS_ACTIVE,
  METRIC_DELIVERY_LATENCY,
  METRIC_HEARTBEAT_RTT,
  METRIC_MESSAGES_LOST,
  METRIC_QUEUE_DEPTH,
  METRIC_RECONNECTS,
  METRIC_RECONNECT_DURATION,
} from '@tunnelvision/semconv';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { featureFlagAttributes } from '../../src/tracker/feature-flags.js';
import { createTelemetryHarness, type TelemetryHarness } from './telemetry-harness.js';

let t: TelemetryHarness;

beforeEach(() => {
  t = createTelemetryHarness();
});

afterEach(() => t.shutdown());

function trackerWith(featureFlags: Record<string, string> | undefined) {
  return createTracker({
    loggerProvider: t.loggerProvider,
    meterProvider: t.meterProvider,
    now: t.clock.now,
    ...(featureFlags === undefined ? {} : { featureFlags }),
  });
}

/** Drives one connection through every kind of event and metric point. */
function exercise(featureFlags: Record<string, string> | undefined): void {
  const conn = trackerWith(featureFlags).connection({ serverAddress: 'ws.example.com', attributes: { 'tv.message.channel': 'chat' } });
  conn.opening();
  conn.opened();
  conn.heartbeat(12);
  conn.queueDepth(2);
  const acked = conn.message('m-1');
  acked.sent();
  t.clock.advance(40);
  acked.acked();
  conn.message('m-2').dropped('queue_full');
  conn.received('r-1');
  conn.closed({ code: 1006 });
  t.clock.advance(500);
  conn.opening();
  conn.opened();
}

describe('feature flags', () => {
  it('ride on every event as feature_flag.<key> = variant', () => {
    exercise({ resilience: 'on', 'checkout-v2': 'treatment' });
    const events = t.events();
    expect(events.length).toBeGreaterThan(8);
    for (const event of events) {
      expect(event.attributes, event.name).toMatchObject({ 'feature_flag.resilience': 'on', 'feature_flag.checkout-v2': 'treatment' });
    }
    // The connection's own attributes are kept beside them.
    expect(events[0]!.attributes).toMatchObject({ 'tv.message.channel': 'chat' });
  });

  it('ride on every metric point', async () => {
    exercise({ resilience: 'off' });
    const flag = { 'feature_flag.resilience': 'off' };
    const active = await t.points(METRIC_CONNECTIONS_ACTIVE.name);
    expect(active).toEqual([{ attributes: { 'server.address': 'ws.example.com', 'tv.role': 'client', ...flag }, value: 1 }]);
    for (const name of [METRIC_RECONNECTS.name, METRIC_MESSAGES_LOST.name, METRIC_QUEUE_DEPTH.name]) {
      const points = await t.points(name);
      expect(points.length, name).toBeGreaterThan(0);
      for (const point of points) expect(point.attributes, name).toMatchObject(flag);
    }
    for (const name of [METRIC_RECONNECT_DURATION.name, METRIC_DELIVERY_LATENCY.name, METRIC_HEARTBEAT_RTT.name]) {
      const points = await t.histogram(name);
      expect(points.length, name).toBeGreaterThan(0);
      for (const point of points) expect(point.attributes, name).toMatchObject(flag);
    }
  });

  it('add nothing when none are set', async () => {
    exercise(undefined);
    for (const event of t.events()) {
      expect(Object.keys(event.attributes).filter((k) => k.startsWith(ATTR_FEATURE_FLAG_PREFIX)), event.name).toEqual([]);
    }
    const [active] = await t.points(METRIC_CONNECTIONS_ACTIVE.name);
    expect(active!.attributes).toEqual({ 'server.address': 'ws.example.com', 'tv.role': 'client' });
  });

  it('are copied when the tracker is created: later changes to the object do not leak in', () => {
    const flags: Record<string, string> = { resilience: 'on' };
    const tracker = trackerWith(flags);
    flags.resilience = 'off';
    flags.extra = 'x';
    tracker.connection().opening();
    expect(t.events()[0]!.attributes).toMatchObject({ 'feature_flag.resilience': 'on' });
    expect(t.events()[0]!.attributes).not.toHaveProperty('feature_flag.extra');
  });
});

describe('featureFlagAttributes', () => {
  it('keeps at most MAX_FEATURE_FLAGS flags, the first ones given', () => {
    const flags = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`flag_${i}`, 'on']));
    const attributes = featureFlagAttributes(flags);
    expect(Object.keys(attributes)).toEqual(Array.from({ length: MAX_FEATURE_FLAGS }, (_, i) => `feature_flag.flag_${i}`));
  });

  it('cuts variants to MAX_FEATURE_FLAG_VARIANT_LENGTH characters', () => {
    const attributes = featureFlagAttributes({ long: 'v'.repeat(200) });
    expect(attributes['feature_flag.long']).toBe('v'.repeat(MAX_FEATURE_FLAG_VARIANT_LENGTH));
  });

  it('leaves out bad keys, OpenTelemetry names and empty variants, and they do not count against the cap', () => {
    const bad = {
      key: 'on',
      variant: 'on',
      version: 'on',
      provider_name: 'on',
      'result.variant': 'on',
      'has space': 'on',
      '': 'on',
      ['k'.repeat(65)]: 'on',
      empty: '',
    };
    const good = Object.fromEntries(Array.from({ length: MAX_FEATURE_FLAGS }, (_, i) => [`ok-${i}`, 'on']));
    expect(Object.keys(featureFlagAttributes({ ...bad, ...good }))).toEqual(Object.keys(good).map((k) => `feature_flag.${k}`));
  });

  it('accepts exactly the keys FEATURE_FLAG_KEY_PATTERN accepts', () => {
    const keys = ['resilience', 'checkout_v2', 'A-b_9', 'k'.repeat(64), 'k'.repeat(65), 'key', 'keys', 'my.flag', 'variant', 'version', 'provider_name', 'provider', 'é'];
    for (const key of keys) {
      expect(`feature_flag.${key}` in featureFlagAttributes({ [key]: 'on' }), key).toBe(FEATURE_FLAG_KEY_PATTERN.test(key));
    }
  });

  it('stringifies a non-string variant from untyped callers', () => {
    expect(featureFlagAttributes({ beta: true as unknown as string })).toEqual({ 'feature_flag.beta': 'true' });
    expect(featureFlagAttributes(undefined)).toEqual({});
  });
});
