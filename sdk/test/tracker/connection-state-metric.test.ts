import { metrics } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATTR_STATE, METRIC_CONNECTION_STATE, type ConnectionState } from '@tunnelvision/semconv';
import { createTracker } from '../../src/tracker/create-tracker.js';
import type { Tracker } from '../../src/tracker/tracker-types.js';
import { createTelemetryHarness, type TelemetryHarness } from './telemetry-harness.js';

let t: TelemetryHarness;
let tracker: Tracker;

beforeEach(() => {
  t = createTelemetryHarness();
  tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider });
});

afterEach(async () => {
  metrics.disable();
  await t.shutdown();
});

/** tv.connection.state as state -> value, checking every point has only the low-cardinality attributes. */
async function byState(harness: TelemetryHarness = t): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { attributes, value } of await harness.points(METRIC_CONNECTION_STATE.name)) {
    const { [ATTR_STATE]: state, ...identity } = attributes;
    expect(identity).toEqual({ 'server.address': 'ws.example.com', 'tv.role': 'client' });
    counts[String(state)] = value;
  }
  return counts;
}

describe('tv.connection.state', () => {
  it('follows the state machine: the open count goes back to 0 when the client closes, never below', async () => {
    const conn = tracker.connection({ serverAddress: 'ws.example.com' });
    const steps: [ConnectionState, ConnectionState, Record<string, number>][] = [
      ['connecting', 'open', { open: 1 }],
      ['open', 'reconnecting', { open: 0, reconnecting: 1 }],
      ['reconnecting', 'open', { open: 1, reconnecting: 0 }],
      ['open', 'closed', { open: 0, reconnecting: 0 }],
    ];
    for (const [from, to, expected] of steps) {
      conn.stateChanged(from, to);
      expect(await byState(), `${from} -> ${to}`).toEqual(expected);
    }
    // Reconnecting after `closed` (the app called reconnect()) counts again.
    conn.stateChanged('closed', 'reconnecting');
    expect(await byState()).toEqual({ open: 0, reconnecting: 1 });
    const metric = await t.metric(METRIC_CONNECTION_STATE.name);
    expect(metric?.descriptor).toMatchObject({ unit: '{connection}', type: 'UP_DOWN_COUNTER' });
  });

  it('counts every connection of the tracker in its own state, offline included', async () => {
    const a = tracker.connection({ serverAddress: 'ws.example.com' });
    const b = tracker.connection({ serverAddress: 'ws.example.com' });
    a.stateChanged('connecting', 'open');
    b.stateChanged('connecting', 'offline');
    expect(await byState()).toEqual({ open: 1, offline: 1 });
    b.stateChanged('offline', 'connecting');
    expect(await byState()).toEqual({ open: 1, offline: 0, connecting: 1 });
  });

  it('takes a disposed connection out of its state', async () => {
    const conn = tracker.connection({ serverAddress: 'ws.example.com' });
    conn.stateChanged('connecting', 'open');
    conn.dispose();
    expect(await byState()).toEqual({ open: 0 });
    conn.stateChanged('open', 'reconnecting');
    expect(await byState()).toEqual({ open: 0 });
  });

  it('leaves the state this handle counted, whatever `from` says, and counts no unknown state', async () => {
    const conn = tracker.connection({ serverAddress: 'ws.example.com' });
    conn.stateChanged('connecting', 'open');
    conn.stateChanged('reconnecting', 'offline');
    expect(await byState()).toEqual({ open: 0, offline: 1 });
    conn.stateChanged('offline', 'sleeping' as ConnectionState);
    expect(await byState()).toEqual({ open: 0, offline: 0 });
  });

  it('records nothing for a connection whose state machine is never reported', async () => {
    const conn = tracker.connection({ serverAddress: 'ws.example.com' });
    conn.opening();
    conn.opened();
    conn.closed({ code: 1006 });
    conn.dispose();
    expect(await t.metric(METRIC_CONNECTION_STATE.name)).toBeUndefined();
  });

  it('carries the current totals over to a global MeterProvider registered later', async () => {
    const global = createTracker();
    const a = global.connection({ serverAddress: 'ws.example.com' });
    const b = global.connection({ serverAddress: 'ws.example.com' });
    a.stateChanged('connecting', 'open');
    a.stateChanged('open', 'reconnecting');
    a.stateChanged('reconnecting', 'open');
    b.stateChanged('connecting', 'reconnecting');
    const late = createTelemetryHarness();
    try {
      metrics.setGlobalMeterProvider(late.meterProvider);
      b.stateChanged('reconnecting', 'open');
      expect(await byState(late)).toEqual({ open: 2, reconnecting: 0 });
    } finally {
      await late.shutdown();
    }
  });
});
