import type { Meter, MeterProvider } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { METRICS, METRIC_QUEUE_DEPTH } from '@tunnelvision/semconv';
import { createTelemetryHarness, type TelemetryHarness } from './telemetry-harness.js';

let t: TelemetryHarness;

beforeEach(() => {
  t = createTelemetryHarness();
});

afterEach(() => t.shutdown());

describe('tracker metrics', () => {
  it('use the names, units and instrument kinds of the conventions', async () => {
    const tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider });
    const conn = tracker.connection({ serverAddress: 'a' });
    conn.stateChanged('connecting', 'open');
    conn.opened();
    conn.closed({ code: 1006 });
    conn.opened();
    conn.heartbeat(3);
    conn.queueDepth(2);
    const m = conn.message('m');
    m.sent();
    m.acked();
    conn.message('n').dropped('policy');
    const kinds = { counter: 'COUNTER', updowncounter: 'UP_DOWN_COUNTER', histogram: 'HISTOGRAM', gauge: 'GAUGE' } as const;
    for (const convention of METRICS) {
      const metric = await t.metric(convention.name);
      expect(metric?.descriptor, convention.name).toMatchObject({ unit: convention.unit, type: kinds[convention.instrument] });
      for (const point of metric?.dataPoints ?? []) {
        for (const key of Object.keys(point.attributes)) expect(['server.address', 'tv.role', 'tv.close.code', 'tv.message.drop_reason', 'tv.state']).toContain(key);
      }
    }
  });

  it('fall back to an observable gauge for queue depth when the meter has no synchronous gauge', async () => {
    const withoutGauge: MeterProvider = {
      getMeter: (...args) => {
        const meter = t.meterProvider.getMeter(...args);
        return new Proxy(meter, { get: (target, key) => (key === 'createGauge' ? undefined : Reflect.get(target, key, target)) }) as Meter;
      },
    };
    const tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: withoutGauge });
    tracker.connection({ serverAddress: 'a' }).queueDepth(5);
    tracker.connection({ serverAddress: 'a' }).queueDepth(2);
    expect(await t.points(METRIC_QUEUE_DEPTH.name)).toEqual([{ attributes: { 'server.address': 'a', 'tv.role': 'client' }, value: 7 }]);
    expect((await t.metric(METRIC_QUEUE_DEPTH.name))?.descriptor).toMatchObject({ type: 'OBSERVABLE_GAUGE' });
  });
});
