import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLoadGenerator, type LoadGenerator } from '@tunnelvision/infra';
import { collectorPerFile } from './support/collector-per-file.js';

// `--transport both` against a real collector, small and with second-long
// timings: the Socket.IO fleet reports as its own service, with acked
// messages on both sides, and lives through a deploy and a tunnel.
const collector = collectorPerFile();
let generator: LoadGenerator;

beforeAll(async () => {
  generator = await startLoadGenerator({
    collectorUrl: collector.url,
    transport: 'both',
    clients: 12,
    legacyClients: 0,
    messageIntervalMillis: 500,
    tunnelShare: 0.5,
    heartbeatIntervalMillis: 500,
    pongTimeoutMillis: 500,
    connectTimeoutMillis: 1_000,
    maxReconnectDelayMillis: 1_000,
    deployStepMillis: 500,
    tunnelMillis: 3_000,
    overloadMillis: 1_000,
    lossHoldMillis: 1_000,
    recoveryTimeoutMillis: 15_000,
    // Every server-side journey reported, so the gateway's msg.received is there to find.
    serverSamplingRatio: 1,
    latencyMedianMillis: 5,
    latencyP99Millis: 50,
    metricExportIntervalMillis: 1_000,
    logExportDelayMillis: 200,
  });
});

afterAll(async () => {
  await generator?.stop();
});

const eventually = (check: () => Promise<void> | void, timeoutMillis = 20_000) => vi.waitFor(check, { timeout: timeoutMillis, interval: 300 });

interface TimelineEvent {
  event: string;
  role?: string;
  service?: string;
  session_id?: string;
}

describe('loadgen --transport both', () => {
  it('runs a ws and a Socket.IO fleet side by side, splitting --clients', async () => {
    await eventually(() => {
      const { fleets } = generator.stats();
      expect(fleets.map((f) => [f.service, f.transport, f.clients])).toEqual([
        ['chat', 'ws', 6],
        ['chat-socketio', 'socket.io', 6],
      ]);
      for (const fleet of fleets) expect(fleet.connected).toBe(fleet.clients);
    });
    await eventually(() => expect(generator.stats().fleets[1]!.counters.acked).toBeGreaterThan(5));
  });

  it('the Socket.IO fleet shows up in the collector as its own service, with acked messages on both sides', async () => {
    await eventually(async () => {
      const labels = await collector.api<{ services: string[] }>('/api/v1/labels');
      expect(labels.services).toEqual(expect.arrayContaining(['chat', 'chat-socketio']));
      const byUser = await collector.api<{ events: TimelineEvent[] }>('/api/v1/timeline?user_id=user-chat-socketio-1');
      const sessionId = byUser.events.find((e) => e.event === 'msg.acked')?.session_id;
      expect(sessionId).toMatch(/^chat-socketio-/);
      // The gateway reports under the client's session (from the handshake), so both sides are one timeline.
      const { events } = await collector.api<{ events: TimelineEvent[] }>(`/api/v1/timeline?session_id=${sessionId}`);
      expect(events.some((e) => e.event === 'msg.received' && e.role === 'server' && e.service === 'chat-socketio')).toBe(true);
    });
  });

  it('deploy restarts both fleets\' gateways, each with its own marker, and the Socket.IO clients come back', async () => {
    await generator.runScenario('deploy');
    const stats = generator.stats();
    expect(stats.deploys.map((d) => [d.service, d.version]).sort()).toEqual([
      ['chat', 'gateway-1.4.1'],
      ['chat-socketio', 'sio-gateway-2.0.1'],
    ]);
    const socketIo = stats.fleets[1]!;
    expect(socketIo.gateways.map((g) => g.version)).toEqual(['sio-gateway-2.0.1', 'sio-gateway-2.0.1']);
    expect(socketIo.counters.reconnects).toBeGreaterThanOrEqual(6);
    await eventually(() => expect(generator.stats().fleets[1]!.connected).toBe(6));
  });

  it('tunnel: the Socket.IO tunnel clients find the black hole by ping timeout and reconnect after it', async () => {
    const before = generator.stats().fleets[1]!.counters.closes['ping timeout'] ?? 0;
    await generator.runScenario('tunnel');
    const socketIo = generator.stats().fleets[1]!;
    expect((socketIo.counters.closes['ping timeout'] ?? 0) - before).toBeGreaterThanOrEqual(3);
    await eventually(() => expect(generator.stats().fleets[1]!.tunnelConnected).toBe(3));
  });

  it('overload and loss run on the Socket.IO fleet too, and its clients come back', async () => {
    const before = generator.stats().fleets[1]!.counters;
    await generator.runScenario('overload');
    await generator.runScenario('loss');
    const after = generator.stats().fleets[1]!.counters;
    // Shed by the overloaded gateway, then cut by the black hole: both are reconnects.
    expect(after.reconnects - before.reconnects).toBeGreaterThanOrEqual(3);
    // The loss burst went into Socket.IO's offline buffer and was sent after the tunnel (nothing limits that buffer).
    expect(after.sent - before.sent).toBeGreaterThanOrEqual(3 * 40);
    await eventually(() => expect(generator.stats().fleets[1]!.connected).toBe(6));
  });
});
