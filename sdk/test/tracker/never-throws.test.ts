import { diag, metrics, type MeterProvider } from '@opentelemetry/api';
import { logs, type LoggerProvider } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracker } from '../../src/tracker/create-tracker.js';
import type { Tracker } from '../../src/tracker/tracker-types.js';
import { METRIC_CONNECTIONS_ACTIVE } from '@tunnelvision/semconv';
import { createTelemetryHarness } from './telemetry-harness.js';

const boom = () => {
  throw new Error('broken provider');
};

/** Calls every public method of the tracker and its handles. */
function exercise(tracker: Tracker): void {
  tracker.setUserId('u');
  const conn = tracker.connection({ serverAddress: 'x' });
  conn.opening();
  conn.opened();
  conn.error('E');
  conn.stateChanged('open', 'reconnecting');
  conn.reconnectScheduled({ attempt: 1, delayMs: 1 });
  conn.gaveUp(1);
  conn.heartbeat(1);
  conn.heartbeatMissed(1);
  conn.resumed({ lastSeq: 1, replayed: 0, ok: true });
  conn.queueDepth(1);
  const m = conn.message('m');
  m.sent();
  m.queued(1);
  m.retried(2);
  m.replayed();
  m.acked();
  conn.message('n').dropped('policy');
  conn.received('r');
  conn.duplicate('r');
  conn.gap(1, 2);
  conn.closed({ code: 1006 });
  conn.dispose();
}

afterEach(() => {
  vi.restoreAllMocks();
  metrics.disable();
  logs.disable();
});

describe('the tracker never throws into the app', () => {
  it('when getLogger and getMeter throw', () => {
    const warn = vi.spyOn(diag, 'warn');
    const tracker = createTracker({ loggerProvider: { getLogger: boom }, meterProvider: { getMeter: boom } as MeterProvider });
    expect(() => exercise(tracker)).not.toThrow();
    // Reported once, not once per call.
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('when emit and every instrument throw', () => {
    const logger = { emit: boom, enabled: () => true };
    const instrument = { add: boom, record: boom };
    const meter = new Proxy({}, { get: () => () => instrument });
    const tracker = createTracker({
      loggerProvider: { getLogger: () => logger } as LoggerProvider,
      meterProvider: { getMeter: () => meter } as unknown as MeterProvider,
    });
    expect(() => exercise(tracker)).not.toThrow();
  });

  it('when the clock throws or options are nonsense', () => {
    const tracker = createTracker({ now: boom, sampling: { successRatio: 'lots' as unknown as number }, role: 'nobody' as 'client' });
    expect(() => exercise(tracker)).not.toThrow();
    expect(() => exercise(createTracker(null as unknown as undefined))).not.toThrow();
    const conn = createTracker().connection();
    expect(() => conn.closed(null as unknown as { code: number })).not.toThrow();
    expect(() => conn.message(undefined as unknown as string).sent()).not.toThrow();
    expect(() => conn.resumed(undefined as unknown as { lastSeq: 1; replayed: 0; ok: true })).not.toThrow();
  });
});

describe('the global providers', () => {
  it('reach a tracker created before they were registered', async () => {
    const tracker = createTracker();
    const conn = tracker.connection();
    conn.opening();
    conn.opened(); // counted while only the no-op provider exists
    const t = createTelemetryHarness();
    logs.setGlobalLoggerProvider(t.loggerProvider);
    metrics.setGlobalMeterProvider(t.meterProvider);
    conn.closed({ code: 1006 });
    expect(t.eventNames()).toEqual(['conn.close']);
    // The connection open before registration was carried over, then closed: the total is right.
    expect(await t.points(METRIC_CONNECTIONS_ACTIVE.name)).toEqual([{ attributes: { 'tv.role': 'client' }, value: 0 }]);
    conn.opening();
    conn.opened();
    expect(await t.points(METRIC_CONNECTIONS_ACTIVE.name)).toEqual([{ attributes: { 'tv.role': 'client' }, value: 1 }]);
    await t.shutdown();
  });
});
