import { afterEach, beforeEach } from 'vitest';
import { createTracker } from '../../src/tracker/create-tracker.js';
import type { Tracker } from '../../src/tracker/tracker-types.js';
import { createTelemetryHarness, type TelemetryHarness } from '../tracker/telemetry-harness.js';

/**
 * What the instrumentation tests' app speaks over a real `ws` socket: the
 * client sends {"id", "text"}, the server acks with {"ack": id}.
 */
export const json = (data: unknown) => JSON.parse(String(data)) as Record<string, string>;

/** instrumentWebSocket / trackedWebSocketClass options for that protocol. */
export const jsonIds = { messageId: (data: unknown) => json(data).id, ackId: (data: unknown) => json(data).ack };

/** Polls `check` every 10 ms for up to 5 s. */
export async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Fresh client and server telemetry per test, and a server tracker (role server) on the latter. */
export interface TelemetryPair {
  readonly client: TelemetryHarness;
  readonly server: TelemetryHarness;
  readonly serverTracker: Tracker;
}

/** Registers beforeEach / afterEach hooks that give every test a fresh TelemetryPair; read it inside tests. */
export function telemetryPerTest(): TelemetryPair {
  let current: TelemetryPair | undefined;
  beforeEach(() => {
    const server = createTelemetryHarness();
    current = {
      client: createTelemetryHarness(),
      server,
      serverTracker: createTracker({ loggerProvider: server.loggerProvider, meterProvider: server.meterProvider, role: 'server' }),
    };
  });
  afterEach(async () => {
    await current?.client.shutdown();
    await current?.server.shutdown();
  });
  const get = (): TelemetryPair => {
    if (!current) throw new Error('telemetryPerTest: read it inside a test');
    return current;
  };
  return {
    get client() {
      return get().client;
    },
    get server() {
      return get().server;
    },
    get serverTracker() {
      return get().serverTracker;
    },
  };
}
