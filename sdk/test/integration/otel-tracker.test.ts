import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { ResilientWebSocket } from '../../src/client/resilient-web-socket.js';
import type { ResilientServer } from '../../src/server/resilient-server.js';
import { SessionStore } from '../../src/server/session-store.js';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { eventually, FAST_CLIENT, startServer } from './harness.js';

let client: ResilientWebSocket | undefined;
const servers: ResilientServer[] = [];
const providers: LoggerProvider[] = [];

afterEach(async () => {
  client?.close();
  client = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(providers.splice(0).map((p) => p.shutdown()));
});

function telemetry() {
  const exporter = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  providers.push(loggerProvider);
  const records = (): ReadableLogRecord[] => exporter.getFinishedLogRecords();
  const named = (name: string): ReadableLogRecord[] => records().filter((r) => r.eventName === name);
  return { loggerProvider, records, named };
}

describe('with the real tracker and the OTel SDK', () => {
  it('a graceful restart (1001) and a crash (1006) show up as close codes, reconnects, resumes and acked messages', async () => {
    const clientTelemetry = telemetry();
    const serverTelemetry = telemetry();
    const clientTracker = createTracker({ loggerProvider: clientTelemetry.loggerProvider, sessionId: 'otel-session' });
    const serverTracker = createTracker({ loggerProvider: serverTelemetry.loggerProvider, role: 'server' });
    const store = new SessionStore();
    const first = await startServer({ store, tracker: serverTracker, serverAddress: 'ws-test-1' });
    servers.push(first.server);
    const port = first.port;
    const acked: string[] = [];
    const received: unknown[] = [];
    const ws = new ResilientWebSocket(`ws://127.0.0.1:${port}`, { ...FAST_CLIENT, tracker: clientTracker });
    client = ws;
    ws.on('ack', (a) => acked.push(a.id));
    ws.on('message', (m) => received.push(m.body));
    expect(ws.sessionId).toBe('otel-session');

    await eventually(() => expect(ws.state).toBe('open'));
    const sentIds = [ws.send('a'), ws.send('b'), ws.send('c')];
    first.server.send('otel-session', 'x');
    first.server.send('otel-session', 'y');
    await eventually(() => {
      expect(acked).toHaveLength(3);
      expect(received).toEqual(['x', 'y']);
      expect(serverTelemetry.named('msg.acked')).toHaveLength(2);
    });

    // 1: graceful shutdown and restart.
    await first.server.close();
    const second = await startServer({ store, tracker: serverTracker, serverAddress: 'ws-test-1', port });
    servers.push(second.server);
    await eventually(() => expect(ws.state).toBe('open'));
    sentIds.push(ws.send('d'));
    await eventually(() => expect(acked).toHaveLength(4));

    // 2: crash and restart.
    await second.server.terminate();
    await eventually(() => expect(ws.state).toBe('reconnecting'));
    sentIds.push(ws.send('e'));
    const third = await startServer({ store, tracker: serverTracker, serverAddress: 'ws-test-1', port });
    servers.push(third.server);
    await eventually(() => expect(acked).toHaveLength(5));

    const c = clientTelemetry;
    const closeCodes = c.named('conn.close').map((r) => r.attributes['tv.close.code']);
    expect(closeCodes).toEqual([1001, 1006]);
    expect(c.named('conn.close')[0]?.attributes).toMatchObject({ 'tv.close.initiator': 'server', 'tv.close.clean': true });

    const scheduled = c.named('conn.reconnect.scheduled');
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    for (const r of scheduled) {
      expect(r.attributes['tv.reconnect.attempt']).toEqual(expect.any(Number));
      expect(r.attributes['tv.reconnect.delay_ms']).toEqual(expect.any(Number));
    }
    // After 1001 the first retry comes at once-ish: attempt 1 with this client's small first delay.
    expect(scheduled[0]?.attributes['tv.reconnect.attempt']).toBe(1);

    const reconnects = c.named('conn.open').filter((r) => r.attributes['tv.connection.downtime_ms'] !== undefined);
    expect(reconnects).toHaveLength(2);
    expect(c.named('conn.open')).toHaveLength(3);
    expect(c.named('session.resume').map((r) => r.attributes['tv.resume.outcome'])).toEqual(['ok', 'ok']);

    const ackedIds = c.named('msg.acked').map((r) => r.attributes['tv.message.id']);
    expect(ackedIds.sort()).toEqual([...sentIds].sort());
    for (const r of c.named('msg.acked')) expect(r.attributes['tv.message.latency_ms']).toEqual(expect.any(Number));
    expect(c.named('msg.replayed').map((r) => r.attributes['tv.message.id'])).toEqual([sentIds[4]]);
    expect(c.named('msg.dropped')).toEqual([]);
    for (const r of c.records()) {
      expect(r.attributes['session.id']).toBe('otel-session');
      expect(r.attributes['tv.role']).toBe('client');
    }
    expect(c.named('conn.state').map((r) => `${String(r.attributes['tv.state.from'])}->${String(r.attributes['tv.state.to'])}`).slice(0, 3)).toEqual([
      'connecting->open',
      'open->reconnecting',
      'reconnecting->open',
    ]);

    const s = serverTelemetry;
    for (const r of s.records()) {
      expect(r.attributes['tv.role']).toBe('server');
      expect(r.attributes['session.id']).toBe('otel-session');
      expect(r.attributes['server.address']).toBe('ws-test-1');
    }
    expect(s.named('conn.close')[0]?.attributes).toMatchObject({ 'tv.close.code': 1001, 'tv.close.initiator': 'server' });
    expect(s.named('msg.received').map((r) => r.attributes['tv.message.id']).sort()).toEqual([...sentIds].sort());
    expect(s.named('session.resume').map((r) => r.attributes['tv.resume.outcome'])).toEqual(['ok', 'ok']);
  });
});
