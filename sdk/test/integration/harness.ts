import { vi } from 'vitest';
import { WebSocket } from 'ws';
import { ResilientWebSocket } from '../../src/client/resilient-web-socket.js';
import type { ResilientWebSocketOptions } from '../../src/client/resilient-web-socket-options.js';
import { ResilientServer } from '../../src/server/resilient-server.js';
import type { InboundMessage } from '../../src/server/resilient-server-events.js';
import type { ResilientServerOptions } from '../../src/server/resilient-server-options.js';
import { RecordingTracker, type RecordingConnectionHandle } from '../client/recording-tracker.js';

/** Client options that make every recovery take milliseconds, not seconds. */
export const FAST_CLIENT: ResilientWebSocketOptions = {
  WebSocket,
  minInitialDelayMillis: 10,
  maxInitialDelayMillis: 30,
  maxDelayMillis: 500,
  maxRetries: 200,
  tryAgainLaterMinDelayMillis: 400,
  stableAfterMillis: 200,
  connectTimeoutMillis: 1_000,
  // Long enough that a stalled event loop on a busy CI machine is not
  // mistaken for a dead connection; the tunnel test sets its own.
  heartbeatIntervalMillis: 1_000,
  pongTimeoutMillis: 3_000,
  ackTimeoutMillis: 2_000,
  ackBatchDelayMillis: 10,
};

/** A real client plus everything it reported and delivered. */
export interface TestClient {
  client: ResilientWebSocket;
  handle: RecordingConnectionHandle;
  /** Bodies of server messages delivered to the app, in delivery order. */
  received: unknown[];
  /** Sequence numbers delivered, in order. */
  seqs: number[];
  /** Ids of sent messages acked. */
  acked: Set<string>;
  /** Sent messages dropped, with reasons. */
  dropped: Array<{ id: string; reason: string }>;
}

/** Starts a client on ws://127.0.0.1:port with FAST_CLIENT options and a recording tracker. */
export function startClient(port: number, sessionId: string, options: ResilientWebSocketOptions = {}): TestClient {
  const tracker = new RecordingTracker(sessionId);
  const client = new ResilientWebSocket(`ws://127.0.0.1:${port}`, { ...FAST_CLIENT, sessionId, ...options, tracker });
  const handle = tracker.only();
  const result: TestClient = { client, handle, received: [], seqs: [], acked: new Set(), dropped: [] };
  client.on('message', (m) => {
    result.received.push(m.body);
    result.seqs.push(m.seq);
  });
  client.on('ack', (a) => result.acked.add(a.id));
  client.on('drop', (d) => result.dropped.push(d));
  return result;
}

/** A started server with the app-side inbound log. */
export interface TestServer {
  server: ResilientServer;
  port: number;
  /** Client messages delivered to the server app, in order. */
  inbound: InboundMessage[];
}

/** Starts a ResilientServer (port 0 unless given) and records inbound messages into `inbound`. */
export async function startServer(options: ResilientServerOptions, inbound: InboundMessage[] = []): Promise<TestServer> {
  const server = new ResilientServer({ shutdownTimeoutMillis: 500, ...options });
  await server.start();
  server.on('message', (message) => inbound.push(message));
  const port = server.port;
  if (port === undefined) throw new Error('server has no port');
  return { server, port, inbound };
}

/** Waits (polling) until `check` stops throwing. */
export async function eventually(check: () => void, timeoutMillis = 5_000): Promise<void> {
  await vi.waitFor(check, { timeout: timeoutMillis, interval: 10 });
}

/** Resolves after `millis`. */
export async function sleep(millis: number): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, millis));
}
