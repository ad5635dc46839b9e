import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { closeInfoOfDisconnect } from '../../src/integrations/socket-io/disconnect-reasons.js';
import { messageIdMarker, takeMessageId } from '../../src/integrations/socket-io/message-id-marker.js';
import { instrumentSocketIoClient } from '../../src/socket-io-client.js';
import { instrumentSocketIoServer } from '../../src/socket-io.js';
import type { Tracker } from '../../src/tracker/tracker-types.js';
import { RecordingTracker } from '../client/recording-tracker.js';

/** What travels on the wire and what the apps see, with one side instrumented or neither failing. */

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startServer(instrument: boolean): Promise<{ io: Server; port: number; seen: unknown[][]; tracker: RecordingTracker }> {
  const http = createServer();
  const io = new Server(http);
  const tracker = new RecordingTracker('server');
  if (instrument) instrumentSocketIoServer(io, { tracker });
  const seen: unknown[][] = [];
  io.on('connection', (socket) => {
    socket.onAny((...args: unknown[]) => seen.push(['any', ...args.filter((a) => typeof a !== 'function')]));
    socket.on('chat', (text: unknown, ack: (reply: unknown) => void) => {
      seen.push(['chat', text, typeof ack]);
      ack(`re: ${String(text)}`);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => io.close(() => resolve())));
  return { io, port: (http.address() as AddressInfo).port, seen, tracker };
}

function client(port: number): ClientSocket {
  const socket = connect(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false });
  cleanup.push(() => void socket.disconnect());
  return socket;
}

describe('the message-id argument', () => {
  it('is taken off only when it is exactly the marker', () => {
    const data: unknown[] = ['chat', 'hi', messageIdMarker('m-1')];
    expect(takeMessageId(data)).toBe('m-1');
    expect(data).toEqual(['chat', 'hi']);
    for (const last of [{ __tvMessageId: 'x', other: 1 }, { __tvMessageId: 7 }, ['__tvMessageId'], null, 'm-1']) {
      const kept: unknown[] = ['chat', last];
      expect(takeMessageId(kept)).toBeUndefined();
      expect(kept).toEqual(['chat', last]);
    }
  });

  it('never reaches an uninstrumented server: an instrumented client waits for the hello that never comes', async () => {
    const server = await startServer(false);
    const socket = client(server.port);
    const instrumentation = instrumentSocketIoClient(socket, { tracker: new RecordingTracker('c') });
    await vi.waitFor(() => expect(socket.connected).toBe(true));
    expect(await socket.emitWithAck('chat', 'plain')).toBe('re: plain');
    expect(instrumentation.carriesMessageIds).toBe(false);
    expect(server.seen).toEqual([
      ['any', 'chat', 'plain'],
      ['chat', 'plain', 'function'],
    ]);
  });

  it('is stripped before onAny and handlers on an instrumented server, and reported there as received', async () => {
    const server = await startServer(true);
    const socket = client(server.port);
    const tracker = new RecordingTracker('c');
    const instrumentation = instrumentSocketIoClient(socket, { tracker, messageId: (event, args) => `${event}:${String(args[0])}` });
    await vi.waitFor(() => expect(instrumentation.carriesMessageIds).toBe(true));
    expect(await socket.emitWithAck('chat', 'tagged')).toBe('re: tagged');
    expect(server.seen).toEqual([
      ['any', 'chat', 'tagged'],
      ['chat', 'tagged', 'function'],
    ]);
    const serverHandle = server.tracker.handles[0]!;
    expect(serverHandle.options).toMatchObject({ sessionId: 'c', connectionId: tracker.handles[0]!.connectionId });
    expect(serverHandle.callsOf('received')).toEqual([['chat:tagged', { channel: 'chat' }]]);
    expect(tracker.handles[0]!.journey('chat:tagged')).toEqual(['msg.sent', 'msg.acked']);
  });
});

describe('never breaks the app', () => {
  it('a tracker that throws leaves both sides working', async () => {
    const broken = {
      sessionId: 'x',
      connection: () => {
        throw new Error('broken tracker');
      },
      setUserId: () => {},
    } as Tracker;
    const server = await startServer(false);
    instrumentSocketIoServer(server.io, { tracker: broken });
    const socket = client(server.port);
    instrumentSocketIoClient(socket, { tracker: broken });
    await vi.waitFor(() => expect(socket.connected).toBe(true));
    expect(await socket.emitWithAck('chat', 'still')).toBe('re: still');
  });

  it('a socket that is not a Socket.IO socket is ignored', () => {
    expect(() => instrumentSocketIoClient({} as ClientSocket, { tracker: new RecordingTracker() }).detach()).not.toThrow();
    expect(() => instrumentSocketIoServer({} as Server, { tracker: new RecordingTracker() })()).not.toThrow();
  });
});

describe('disconnect reasons', () => {
  it('map onto close codes: drops are 1006, on-purpose closes 1000/1001 with their initiator', () => {
    const code = (reason: string, role: 'client' | 'server') => {
      const info = closeInfoOfDisconnect(reason, role);
      return [info.code, info.initiator ?? '-', info.heartbeatMissed ?? 0];
    };
    expect(code('transport close', 'client')).toEqual([1006, '-', 0]);
    expect(code('transport error', 'server')).toEqual([1006, '-', 0]);
    expect(code('ping timeout', 'client')).toEqual([1006, '-', 1]);
    expect(code('io server disconnect', 'client')).toEqual([1000, 'server', 0]);
    expect(code('io client disconnect', 'client')).toEqual([1000, 'client', 0]);
    expect(code('client namespace disconnect', 'server')).toEqual([1000, 'client', 0]);
    expect(code('server namespace disconnect', 'server')).toEqual([1000, 'server', 0]);
    expect(code('forced close', 'server')).toEqual([1000, 'server', 0]);
    expect(code('server shutting down', 'server')).toEqual([1001, 'server', 0]);
    expect(code('parse error', 'client')).toEqual([1002, 'client', 0]);
    expect(code('something new', 'client')).toEqual([1005, '-', 0]);
  });
});
