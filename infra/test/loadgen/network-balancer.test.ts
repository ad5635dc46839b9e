import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { NetworkBalancer } from '../../src/loadgen/network/network-balancer.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A TCP backend that greets each connection with its name, then echoes. */
async function backend(name: string): Promise<{ port: number }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.write(`${name}:`);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port };
}

async function balancer(backends: Array<{ name: string; port: number }>, roundTripMillis = 0): Promise<NetworkBalancer> {
  const b = await NetworkBalancer.start({ backends, sampleRoundTripMillis: () => roundTripMillis });
  cleanups.push(() => b.close());
  return b;
}

/** A raw client collecting everything it receives. */
function client(port: number): { socket: Socket; received: () => string; closed: () => boolean } {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  let closed = false;
  socket.on('data', (chunk) => (data += chunk.toString()));
  socket.on('error', () => {});
  socket.on('close', () => (closed = true));
  cleanups.push(() => {
    socket.destroy();
  });
  return { socket, received: () => data, closed: () => closed };
}

const eventually = (check: () => void, timeout = 3_000) => vi.waitFor(check, { timeout, interval: 10 });
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

describe('NetworkBalancer', () => {
  it('delays each direction by half the round trip and keeps the byte order', async () => {
    const a = await backend('a');
    const b = await balancer([{ name: 'a', ...a }], 100);
    const c = client(b.port);
    await eventually(() => expect(c.received()).toBe('a:'));
    const sentAt = Date.now();
    const expected = Array.from({ length: 200 }, (_, i) => `${i},`).join('');
    for (let i = 0; i < 200; i++) c.socket.write(`${i},`);
    await eventually(() => expect(c.received()).toBe(`a:${expected}`));
    // Out and back: two one-way delays of 50 ms (± 10% jitter per chunk).
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(88);
  });

  it('spreads connections round robin and skips backends marked down', async () => {
    const a = await backend('a');
    const bb = await backend('b');
    const b = await balancer([
      { name: 'a', ...a },
      { name: 'b', ...bb },
    ]);
    const greetings = async () => {
      const c = client(b.port);
      await eventually(() => expect(c.received()).toMatch(/^[ab]:$/));
      return c.received();
    };
    expect([await greetings(), await greetings(), await greetings(), await greetings()]).toEqual(['a:', 'b:', 'a:', 'b:']);
    b.setBackendUp('a', false);
    expect([await greetings(), await greetings()]).toEqual(['b:', 'b:']);
    b.setBackendUp('b', false);
    const refused = client(b.port);
    await eventually(() => expect(refused.closed()).toBe(true));
    expect(refused.received()).toBe('');
  });

  it('delivers a WebSocket close frame before the TCP close behind it', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
    // The server says goodbye and drops the connection at once: the FIN follows the close frame immediately.
    wss.on('connection', (ws) =>
      setTimeout(() => {
        ws.close(1001, 'going away');
        ws.terminate();
      }, 20),
    );
    const b = await balancer([{ name: 'ws', port: (wss.address() as AddressInfo).port }], 200);
    const ws = new WebSocket(`ws://127.0.0.1:${b.port}/`);
    ws.on('error', () => {});
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    expect(await closed).toEqual({ code: 1001, reason: 'going away' });
  });

  it('black-holes the tunnel entrance without closing anything, and cuts those connections when it ends', async () => {
    const a = await backend('a');
    const b = await balancer([{ name: 'a', ...a }]);
    const inTunnel = client(b.tunnelPort);
    await eventually(() => expect(inTunnel.received()).toBe('a:'));
    inTunnel.socket.write('1');
    await eventually(() => expect(inTunnel.received()).toBe('a:1'));

    b.blackholeTunnel();
    inTunnel.socket.write('2');
    const direct = client(b.port);
    const late = client(b.tunnelPort);
    await eventually(() => expect(direct.received()).toBe('a:'));
    direct.socket.write('3');
    await eventually(() => expect(direct.received()).toBe('a:3'));
    await sleep(200);
    expect(inTunnel.received()).toBe('a:1');
    expect(inTunnel.closed()).toBe(false);
    expect(late.received()).toBe('');
    expect(late.closed()).toBe(false);
    expect(b.stats()).toMatchObject({ blackholed: true, held: 1, direct: 1, tunnel: 1 });

    b.restoreTunnel();
    await eventually(() => {
      expect(inTunnel.closed()).toBe(true);
      expect(late.closed()).toBe(true);
    });
    expect(inTunnel.received()).toBe('a:1');
    const after = client(b.tunnelPort);
    await eventually(() => expect(after.received()).toBe('a:'));
    expect(direct.closed()).toBe(false);
  });
});
