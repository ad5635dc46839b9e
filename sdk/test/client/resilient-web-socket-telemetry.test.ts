import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ATTR_HEARTBEAT_MISSED, ATTR_STATE, EVENT_CONN_CLOSE, METRIC_CONNECTION_STATE } from '@tunnelvision/semconv';
import { ResilientWebSocket } from '../../src/client/resilient-web-socket.js';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { createTelemetryHarness, type TelemetryHarness } from '../tracker/telemetry-harness.js';
import { FakeWebSocket } from './fake-web-socket.js';

/** The reference client with the real tracker: what the collector's reliability and zombie counts are computed from. */
let t: TelemetryHarness;
let client: ResilientWebSocket;

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  FakeWebSocket.reset();
  t = createTelemetryHarness();
  const tracker = createTracker({ loggerProvider: t.loggerProvider, meterProvider: t.meterProvider });
  client = new ResilientWebSocket('ws://example.test/socket', {
    WebSocket: FakeWebSocket,
    tracker,
    heartbeatIntervalMillis: 1_000,
    pongTimeoutMillis: 200,
    maxMissedPongs: 2,
  });
});

afterEach(async () => {
  client.close();
  vi.useRealTimers();
  vi.restoreAllMocks();
  await t.shutdown();
});

async function byState(): Promise<Record<string, number>> {
  return Object.fromEntries((await t.points(METRIC_CONNECTION_STATE.name)).map((p) => [p.attributes[ATTR_STATE], p.value]));
}

describe('ResilientWebSocket with the real tracker', () => {
  it('marks the close of a connection whose heartbeats went unanswered with tv.heartbeat.missed', () => {
    FakeWebSocket.last().accept();
    vi.advanceTimersByTime(1_000 + 200 + 200);
    const closes = t.events().filter((e) => e.name === EVENT_CONN_CLOSE);
    expect(closes).toHaveLength(1);
    expect(closes[0]?.attributes).toMatchObject({ 'tv.close.code': 4000, 'tv.close.initiator': 'client', [ATTR_HEARTBEAT_MISSED]: 2 });
  });

  it('leaves tv.heartbeat.missed off any other close', () => {
    FakeWebSocket.last().accept();
    FakeWebSocket.last().serverClose(1006);
    client.close();
    const closes = t.events().filter((e) => e.name === EVENT_CONN_CLOSE);
    expect(closes).toHaveLength(1);
    expect(closes[0]?.attributes).not.toHaveProperty(ATTR_HEARTBEAT_MISSED);
  });

  it('counts a client that has not connected yet as connecting: wanted, not connected', async () => {
    expect(client.state).toBe('connecting');
    expect(await byState()).toEqual({ connecting: 1 });
  });

  it('counts the connection in tv.connection.state as its state machine moves', async () => {
    FakeWebSocket.last().accept();
    expect(await byState()).toEqual({ connecting: 0, open: 1 });
    vi.advanceTimersByTime(1_000 + 200 + 200);
    expect(client.state).toBe('reconnecting');
    expect(await byState()).toEqual({ connecting: 0, open: 0, reconnecting: 1 });
    vi.advanceTimersByTime(300);
    FakeWebSocket.last().accept();
    expect(await byState()).toEqual({ connecting: 0, open: 1, reconnecting: 0 });
    client.close();
    expect(await byState()).toEqual({ connecting: 0, open: 0, reconnecting: 0 });
  });
});
