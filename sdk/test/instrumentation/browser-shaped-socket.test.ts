import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instrumentWebSocket } from '../../src/instrumentation/instrument-web-socket.js';
import { trackedWebSocketClass } from '../../src/instrumentation/tracked-web-socket-class.js';
import { createTracker } from '../../src/tracker/create-tracker.js';
import { createTelemetryHarness, type TelemetryHarness } from '../tracker/telemetry-harness.js';

/** The instrumentation against the browser's WebSocket shape (an EventTarget), without a browser. */

let client: TelemetryHarness;

beforeEach(() => {
  client = createTelemetryHarness();
});

afterEach(() => client.shutdown());

const json = (data: unknown) => JSON.parse(String(data)) as Record<string, string>;
const options = { messageId: (data: unknown) => json(data).id, ackId: (data: unknown) => json(data).ack };

describe('instrumentWebSocket on a browser-shaped socket', () => {
  /** The browser WebSocket's shape: an EventTarget with readyState, send and close. */
  class FakeBrowserSocket extends EventTarget {
    readyState = 0;
    constructor(readonly url = 'wss://chat.example.com/socket') {
      super();
    }
    readonly sent: unknown[] = [];
    send(data: unknown): void {
      this.sent.push(data);
    }
    close(code = 1000, reason = ''): void {
      this.readyState = 3;
      this.dispatchEvent(Object.assign(new Event('close'), { code, reason, wasClean: true }));
    }
    open(): void {
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    }
    receive(data: string): void {
      this.dispatchEvent(Object.assign(new Event('message'), { data }));
    }
    fail(): void {
      this.dispatchEvent(new Event('error'));
    }
  }

  it('reports lifecycle, acks and a client-initiated close, and detaches cleanly', () => {
    const tracker = createTracker({ loggerProvider: client.loggerProvider, meterProvider: client.meterProvider });
    const socket = new FakeBrowserSocket();
    const detach = instrumentWebSocket(socket, tracker.connection({ serverAddress: 'chat.example.com' }), options);
    socket.send(JSON.stringify({ id: 'early' })); // not open yet: not on the wire, not tracked
    socket.open();
    const accented = JSON.stringify({ id: 'b-1', text: 'é😀' });
    socket.send(accented);
    socket.receive(JSON.stringify({ ack: 'b-1' }));
    socket.fail();
    socket.close(1000, 'bye');
    expect(socket.sent).toHaveLength(2);
    const events = client.events();
    expect(events.map((e) => e.name)).toEqual(['conn.opening', 'conn.open', 'msg.sent', 'msg.acked', 'conn.error', 'conn.close']);
    expect(events[2]?.attributes['tv.message.size']).toBe(Buffer.byteLength(accented));
    expect(events[4]?.attributes['error.type']).toBe('WebSocketError');
    expect(events[5]?.attributes).toMatchObject({ 'tv.close.code': 1000, 'tv.close.reason': 'bye', 'tv.close.initiator': 'client' });

    detach();
    expect(Object.prototype.hasOwnProperty.call(socket, 'send')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(socket, 'close')).toBe(false);
    socket.open();
    expect(client.events()).toHaveLength(events.length);
  });

  it('never lets a throwing id function break send or the socket', () => {
    const tracker = createTracker({ loggerProvider: client.loggerProvider, meterProvider: client.meterProvider });
    const socket = new FakeBrowserSocket();
    instrumentWebSocket(socket, tracker.connection(), {
      messageId: () => {
        throw new Error('bad app callback');
      },
      ackId: () => {
        throw new Error('bad app callback');
      },
    });
    socket.open();
    expect(() => socket.send('not json')).not.toThrow();
    expect(() => socket.receive('not json')).not.toThrow();
    expect(socket.sent).toEqual(['not json']);
  });

  it('gives concurrent sockets to one endpoint their own logical connection, and reuses it for the next socket', () => {
    const tracker = createTracker({ loggerProvider: client.loggerProvider, meterProvider: client.meterProvider });
    const WS = trackedWebSocketClass(FakeBrowserSocket, tracker);
    const a = new WS('wss://chat.example.com/socket?token=1');
    const b = new WS('wss://chat.example.com/socket?token=2');
    a.open();
    b.open();
    a.close(1001);
    const c = new WS('wss://chat.example.com/socket?token=3');
    c.open();
    const opens = client.events().filter((e) => e.name === 'conn.open');
    expect(opens.map((e) => e.attributes['server.address'])).toEqual(['chat.example.com', 'chat.example.com', 'chat.example.com']);
    expect(opens.map((e) => 'tv.connection.downtime_ms' in e.attributes)).toEqual([false, false, true]);
  });
});
