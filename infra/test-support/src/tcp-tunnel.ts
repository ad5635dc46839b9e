import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between client and server that can black-hole traffic: while
 * black-holed it accepts connections and keeps existing ones, but forwards
 * nothing and closes nothing, like a dead NAT entry or a stuck tunnel.
 * Connections that lived through a black hole stay dead (their streams lost
 * bytes); new connections after `restore()` work.
 */
export class TcpTunnel {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private blackholed = false;

  private constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  /** Starts a tunnel on a free port that forwards to 127.0.0.1:targetPort. */
  static async start(targetPort: number): Promise<TcpTunnel> {
    const tunnel = new TcpTunnel(targetPort);
    await new Promise<void>((resolve) => tunnel.server.listen(0, '127.0.0.1', resolve));
    return tunnel;
  }

  /** The tunnel's port (connect clients here). */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops forwarding, without closing anything. */
  blackhole(): void {
    this.blackholed = true;
  }

  /** New connections work again; black-holed ones are cut. */
  restore(): void {
    this.blackholed = false;
  }

  /** Closes the tunnel and every connection through it. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.blackholed) {
      // Accepted but never forwarded: the WebSocket handshake never completes.
      client.on('data', () => {});
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    this.track(upstream);
    let dead = false;
    const forward = (from: Socket, to: Socket): void => {
      from.on('data', (chunk) => {
        if (this.blackholed) dead = true;
        if (!dead) to.write(chunk);
      });
      from.on('close', () => {
        // A black hole swallows the close too; a healthy tunnel passes it on.
        if (!dead && !this.blackholed) to.destroy();
      });
    };
    forward(client, upstream);
    forward(upstream, client);
  }
}
