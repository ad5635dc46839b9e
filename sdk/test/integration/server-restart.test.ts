import { afterEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/resilient-server-events.js';
import type { ResilientServer } from '../../src/server/resilient-server.js';
import { SessionStore } from '../../src/server/session-store.js';
import { RecordingTracker } from '../client/recording-tracker.js';
import { eventually, sleep, startClient, startServer, type TestClient } from './harness.js';

const clients: TestClient[] = [];
const servers: ResilientServer[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.client.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Every client message the server apps saw, per client, in arrival order. */
function bySession(inbound: InboundMessage[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const m of inbound) {
    const list = map.get(m.sessionId) ?? [];
    list.push((m.body as { n: number }).n);
    map.set(m.sessionId, list);
  }
  return map;
}

describe('server restart', () => {
  it('kill and restart on the same port: clients reconnect, resume and replay; every message arrives exactly once, in order', async () => {
    const store = new SessionStore();
    const serverTracker = new RecordingTracker('server');
    const inbound: InboundMessage[] = [];
    const first = await startServer({ store, tracker: serverTracker }, inbound);
    servers.push(first.server);
    const port = first.port;
    const sessions = ['alpha', 'bravo', 'charlie', 'delta'];
    const live = sessions.map((sid) => startClient(port, sid));
    clients.push(...live);
    await eventually(() => expect(live.map((c) => c.client.state)).toEqual(sessions.map(() => 'open')));

    // Traffic both ways, then a crash while it is in flight.
    for (const c of live) for (const n of range(1, 10)) c.client.send({ n });
    for (const sid of sessions) for (const n of range(1, 10)) first.server.send(sid, { n });
    await first.server.terminate();

    // The outage: clients notice (1006), back off, queue what the app sends.
    await eventually(() => expect(live.every((c) => c.client.state === 'reconnecting')).toBe(true));
    for (const c of live) for (const n of range(11, 20)) c.client.send({ n });
    await eventually(() => expect(live.every((c) => c.handle.callsOf('reconnectScheduled').length >= 2)).toBe(true));
    await sleep(50);

    // Same port, same sessions.
    const second = await startServer({ store, tracker: serverTracker, port }, inbound);
    servers.push(second.server);
    await eventually(() => expect(live.every((c) => c.client.state === 'open')).toBe(true));
    for (const sid of sessions) for (const n of range(11, 20)) second.server.send(sid, { n });
    for (const c of live) for (const n of range(21, 25)) c.client.send({ n });

    await eventually(() => {
      for (const c of live) expect(c.received).toHaveLength(20);
      expect(inbound).toHaveLength(sessions.length * 25);
    });
    for (const c of live) {
      expect(c.received).toEqual(range(1, 20).map((n) => ({ n })));
      expect(c.seqs).toEqual(range(1, 20));
      expect(c.dropped).toEqual([]);
    }
    const seen = bySession(inbound);
    for (const sid of sessions) expect(seen.get(sid)).toEqual(range(1, 25));

    // Everything the clients sent gets acked, and the instrumentation tells the story.
    await eventually(() => expect(live.every((c) => c.acked.size === 25)).toBe(true));
    for (const c of live) {
      const closes = c.handle.firstArgs<{ code: number }>('closed');
      expect(closes[0]).toMatchObject({ code: 1006, clean: false });
      expect(c.handle.firstArgs('resumed')).toEqual([expect.objectContaining({ ok: true })]);
      expect(c.handle.transitions().slice(0, 3)).toEqual(['connecting->open', 'open->reconnecting', 'reconnecting->open']);
      expect(c.handle.callsOf('msg.acked')).toHaveLength(25);
      expect(c.handle.callsOf('msg.dropped')).toEqual([]);
    }
    // The restarted server acked the server messages once the clients' cumulative acks covered them.
    await eventually(() => {
      for (const sid of sessions) {
        const handles = serverTracker.forSession(sid);
        const acked = handles.flatMap((h) => h.callsOf('msg.acked'));
        expect(handles.length).toBeGreaterThanOrEqual(2);
        expect(acked.length).toBeGreaterThanOrEqual(10);
      }
    });
  });

  it('graceful shutdown: clients get 1001, come back promptly and resume on the restarted server', async () => {
    const store = new SessionStore();
    const serverTracker = new RecordingTracker('server');
    const first = await startServer({ store, tracker: serverTracker });
    servers.push(first.server);
    const c = startClient(first.port, 'graceful');
    clients.push(c);
    await eventually(() => expect(c.client.state).toBe('open'));
    first.server.send('graceful', { n: 1 });
    await eventually(() => expect(c.received).toHaveLength(1));

    await first.server.close();
    // Only the first close is the shutdown; later ones are refused reconnect attempts while the server is down.
    await eventually(() =>
      expect(c.handle.firstArgs('closed')[0]).toEqual({ code: 1001, reason: 'server shutting down', clean: true, initiator: 'server' }),
    );
    const scheduled = c.handle.firstArgs<{ attempt: number; delayMs: number }>('reconnectScheduled')[0];
    expect(scheduled?.attempt).toBe(1);
    // The first delay: this client's base (10-30 ms) ±50%.
    expect(scheduled?.delayMs).toBeLessThanOrEqual(45);
    expect(serverTracker.forSession('graceful')[0]?.firstArgs('closed')).toEqual([
      { code: 1001, reason: 'server shutting down', clean: true, initiator: 'server' },
    ]);

    const second = await startServer({ store, tracker: serverTracker, port: first.port });
    servers.push(second.server);
    await eventually(() => expect(c.client.state).toBe('open'));
    second.server.send('graceful', { n: 2 });
    await eventually(() => expect(c.received).toEqual([{ n: 1 }, { n: 2 }]));
    expect(c.handle.firstArgs('resumed')).toEqual([{ lastSeq: 1, replayed: 0, ok: true }]);
  });

  it('a restarted server that lost its sessions answers resume-failed and the app resyncs', async () => {
    const first = await startServer({});
    servers.push(first.server);
    const c = startClient(first.port, 'forgotten');
    clients.push(c);
    const resyncs: Array<{ lastSeq: number; seq: number }> = [];
    c.client.on('resync', (e) => resyncs.push(e));
    await eventually(() => expect(c.client.state).toBe('open'));
    first.server.send('forgotten', 'before');
    await eventually(() => expect(c.received).toEqual(['before']));
    await first.server.terminate();

    const second = await startServer({ port: first.port });
    servers.push(second.server);
    await eventually(() => expect(resyncs).toEqual([{ lastSeq: 1, seq: 0 }]));
    expect(c.handle.firstArgs('resumed')).toEqual([{ lastSeq: 1, replayed: 0, ok: false }]);
    second.server.send('forgotten', 'after');
    await eventually(() => expect(c.received).toEqual(['before', 'after']));
  });
});
