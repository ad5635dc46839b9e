import { afterEach, describe, expect, it } from 'vitest';
import type { ResilientServer } from '../../src/server/resilient-server.js';
import type { InboundMessage } from '../../src/server/resilient-server-events.js';
import { RecordingTracker } from '../client/recording-tracker.js';
import { eventually, startClient, startServer, type TestClient } from './harness.js';
import { TcpTunnel } from '@tunnelvision/test-support';

let client: TestClient | undefined;
let server: ResilientServer | undefined;
let tunnel: TcpTunnel | undefined;

afterEach(async () => {
  client?.client.close();
  await tunnel?.close();
  await server?.close();
  client = undefined;
  tunnel = undefined;
  server = undefined;
});

describe('a black-holed tunnel', () => {
  it('heartbeats find the dead link, the queue fills and overflows, everything else replays once the tunnel is back', async () => {
    const serverTracker = new RecordingTracker('server');
    const inbound: InboundMessage[] = [];
    const started = await startServer({ tracker: serverTracker }, inbound);
    server = started.server;
    tunnel = await TcpTunnel.start(started.port);
    const c = startClient(tunnel.port, 'through-tunnel', {
      heartbeatIntervalMillis: 100,
      pongTimeoutMillis: 100,
      maxMissedPongs: 2,
      connectTimeoutMillis: 300,
      maxDelayMillis: 400,
      maxQueueSize: 5,
      ackTimeoutMillis: 10_000,
    });
    client = c;
    const body = (m: InboundMessage): unknown => m.body;

    // Healthy: traffic flows both ways.
    await eventually(() => expect(c.client.state).toBe('open'));
    c.client.send('c1');
    c.client.send('c2');
    server.send('through-tunnel', 's1');
    server.send('through-tunnel', 's2');
    await eventually(() => {
      expect(c.acked.size).toBe(2);
      expect(c.received).toEqual(['s1', 's2']);
    });

    // The tunnel swallows everything; nobody sees a close.
    tunnel.blackhole();
    const lostInFlight = ['i1', 'i2', 'i3'].map((b) => c.client.send(b));
    server.send('through-tunnel', 's3');
    server.send('through-tunnel', 's4');
    await eventually(() => expect(c.client.state).toBe('reconnecting'), 3_000);
    expect(c.handle.firstArgs('heartbeatMissed')).toEqual([1, 2]);
    expect(c.handle.firstArgs('closed')[0]).toEqual({ code: 4000, reason: 'heartbeat timeout', clean: false, initiator: 'client', heartbeatMissed: 2 });

    // Offline: the in-flight messages are back in the queue; four more overflow it (max 5).
    const queued = ['q1', 'q2', 'q3', 'q4'].map((b) => c.client.send(b));
    expect(c.client.queueSize).toBe(5);
    expect(c.dropped).toEqual([
      { id: lostInFlight[0], reason: 'queue_full' },
      { id: lostInFlight[1], reason: 'queue_full' },
    ]);
    expect(c.handle.callsOf('msg.dropped')).toEqual([
      [lostInFlight[0], 'queue_full'],
      [lostInFlight[1], 'queue_full'],
    ]);
    expect(Math.max(...c.handle.firstArgs<number>('queueDepth'))).toBe(5);
    // Reconnect attempts through the black hole never complete their handshake.
    await eventually(() => expect(c.handle.firstArgs<{ code: number }>('closed').some((info) => info.code === 4004)).toBe(true), 3_000);
    server.send('through-tunnel', 's5');

    // The tunnel is back: resume, replay both ways, exactly once, in order.
    tunnel.restore();
    await eventually(() => expect(c.client.state).toBe('open'), 3_000);
    await eventually(() => {
      expect(c.received).toEqual(['s1', 's2', 's3', 's4', 's5']);
      expect(inbound.map(body)).toEqual(['c1', 'c2', 'i3', 'q1', 'q2', 'q3', 'q4']);
    });
    expect(c.seqs).toEqual([1, 2, 3, 4, 5]);
    expect(c.handle.firstArgs('resumed')).toEqual([{ lastSeq: 2, replayed: 3, ok: true }]);
    for (const id of [lostInFlight[2], ...queued] as string[]) {
      await eventually(() => expect(c.handle.journey(id).at(-1)).toBe('msg.acked'));
      expect(c.handle.journey(id)).toContain('msg.replayed');
    }
    expect(c.client.queueSize).toBe(0);

    // The server saw the session come back on a new connection and replayed what was lost in the hole.
    const serverHandle = serverTracker.forSession('through-tunnel')[0];
    expect(serverHandle?.firstArgs('closed')[0]).toMatchObject({ code: 4002, initiator: 'server' });
    expect(serverHandle?.firstArgs('resumed')).toEqual([{ lastSeq: 2, replayed: 3, ok: true }]);
    await eventually(() => expect(serverHandle?.callsOf('msg.acked')).toHaveLength(5));
  });
});
