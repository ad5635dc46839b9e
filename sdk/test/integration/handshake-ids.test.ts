import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ResilientWebSocket } from '../../src/client/resilient-web-socket.js';
import type { ResilientServer } from '../../src/server/resilient-server.js';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { createTelemetryHarness, type TelemetryHarness } from '../tracker/telemetry-harness.js';
import { eventually, FAST_CLIENT, startServer } from './harness.js';

const clients: ResilientWebSocket[] = [];
const servers: ResilientServer[] = [];
const harnesses: TelemetryHarness[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(harnesses.splice(0).map((h) => h.shutdown()));
});

function harness(): TelemetryHarness {
  const h = createTelemetryHarness();
  harnesses.push(h);
  return h;
}

describe('ResilientWebSocket and ResilientServer', () => {
  it('with handshakeIds, report each connection under the client session and connection id on both sides', async () => {
    const serverSide = harness();
    const clientSide = harness();
    const { server, port } = await startServer({
      tracker: createTracker({ loggerProvider: serverSide.loggerProvider, meterProvider: serverSide.meterProvider, role: 'server' }),
    });
    servers.push(server);
    const tracker = createTracker({ loggerProvider: clientSide.loggerProvider, meterProvider: clientSide.meterProvider, sessionId: 'sess-hs' });
    const client = new ResilientWebSocket(`ws://Localhost:${port}/`, { ...FAST_CLIENT, tracker, handshakeIds: true });
    clients.push(client);
    await eventually(() => expect([serverSide.eventNames(), clientSide.eventNames()].every((names) => names.includes('conn.open'))).toBe(true));
    const clientOpen = clientSide.events().find((e) => e.name === 'conn.open');
    const serverOpen = serverSide.events().find((e) => e.name === 'conn.open');
    expect(clientOpen?.attributes).toMatchObject({ 'session.id': 'sess-hs', 'server.address': 'localhost', 'server.port': port, 'tv.role': 'client' });
    expect(serverOpen?.attributes).toMatchObject({ 'session.id': 'sess-hs', 'tv.connection.id': clientOpen?.attributes['tv.connection.id'], 'tv.role': 'server' });
  });

  it('describe a refused attempt as refused with error.type ECONNREFUSED', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const clientSide = harness();
    const tracker = createTracker({ loggerProvider: clientSide.loggerProvider, meterProvider: clientSide.meterProvider });
    clients.push(new ResilientWebSocket(`ws://127.0.0.1:${port}/`, { ...FAST_CLIENT, tracker }));
    await eventually(() => expect(clientSide.eventNames()).toContain('conn.close'));
    expect(clientSide.events().find((e) => e.name === 'conn.close')?.attributes).toMatchObject({
      'tv.close.code': 1006,
      'tv.connection.failure': 'refused',
      'error.type': 'ECONNREFUSED',
    });
  });
});
