import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketConstructor } from '../../src/shared/web-socket-like.js';
import type { ResilientServer } from '../../src/server/resilient-server.js';
import { eventually, startClient, startServer, type TestClient } from './harness.js';

const clients: TestClient[] = [];
const servers: ResilientServer[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The ws class, recording when each connection attempt starts. */
function timedWebSocket(times: number[]): WebSocketConstructor {
  return class TimedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      times.push(Date.now());
    }
  };
}

describe('overload', () => {
  it('1013: clients back off longer than after an ordinary drop, then get in', async () => {
    const { server, port } = await startServer({});
    servers.push(server);
    server.setOverloaded(true);
    const attempts: number[] = [];
    const c = startClient(port, 'patient', { WebSocket: timedWebSocket(attempts) });
    clients.push(c);

    await eventually(() => expect(attempts.length).toBeGreaterThanOrEqual(3));
    const closes = c.handle.firstArgs<{ code: number; initiator?: string }>('closed');
    expect(closes.slice(0, 2)).toEqual([
      { code: 1013, reason: 'try again later', clean: true, initiator: 'server', failure: 'rejected' },
      { code: 1013, reason: 'try again later', clean: true, initiator: 'server', failure: 'rejected' },
    ]);
    const delays = c.handle.firstArgs<{ delayMs: number }>('reconnectScheduled').map((s) => s.delayMs);
    // tryAgainLaterMinDelayMillis is 400 here; an ordinary first retry would be 5-45 ms.
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(400);
    const [t0, t1, t2] = attempts as [number, number, number];
    expect(t1 - t0).toBeGreaterThanOrEqual(395);
    expect(t2 - t1).toBeGreaterThanOrEqual(395);
    expect(c.client.state).toBe('reconnecting');

    server.setOverloaded(false);
    await eventually(() => expect(c.client.state).toBe('open'));
  });

  it('beyond maxConnections new clients are refused with 1013 while the others stay', async () => {
    const { server, port } = await startServer({ maxConnections: 2 });
    servers.push(server);
    const a = startClient(port, 'a');
    const b = startClient(port, 'b');
    clients.push(a, b);
    await eventually(() => expect([a.client.state, b.client.state]).toEqual(['open', 'open']));
    const late = startClient(port, 'late');
    clients.push(late);
    await eventually(() => expect(late.handle.firstArgs<{ code: number }>('closed')[0]?.code).toBe(1013));
    expect(late.handle.firstArgs<{ delayMs: number }>('reconnectScheduled')[0]?.delayMs).toBeGreaterThanOrEqual(400);
    expect(a.client.state).toBe('open');

    a.client.close();
    await eventually(() => expect(late.client.state).toBe('open'));
    expect(server.connectionCount).toBe(2);
  });
});
