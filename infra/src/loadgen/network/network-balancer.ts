import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { DelayedPipe } from './delayed-pipe.js';

/** Which door a client came in through. */
export type Entrance = 'direct' | 'tunnel';

/** A backend the balancer can forward to. */
export interface BalancerBackend {
  /** Name used to mark it up or down (the gateway's name). */
  name: string;
  /** TCP port on `host`. */
  port: number;
}

/** Options of `NetworkBalancer.start`. */
export interface NetworkBalancerOptions {
  /** Backends, in round-robin order; all start up. */
  backends: readonly BalancerBackend[];
  /** Round-trip time of a new connection, in ms; each direction is delayed by half of it. */
  sampleRoundTripMillis: () => number;
  /** Interface to listen on and to reach backends at. Default 127.0.0.1. */
  host?: string;
  /** Port of the direct entrance; 0 (default) picks a free one. */
  port?: number;
  /** Port of the tunnel entrance; 0 (default) picks a free one. */
  tunnelPort?: number;
  /** Listen backlog of each entrance, so a ramp of thousands of clients is not refused. Default 4096. */
  backlog?: number;
}

/** One proxied connection: the client's socket, the backend's, and the delayed pipes between them. */
interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly toServer: DelayedPipe;
  readonly toClient: DelayedPipe;
  readonly entrance: Entrance;
  /** Lived through a black hole: forwards nothing, ever again. */
  dead: boolean;
}

/** Counts of what the balancer holds. */
export interface NetworkBalancerStats {
  /** Forwarded connections through the direct entrance. */
  direct: number;
  /** Forwarded connections through the tunnel entrance (dead ones included). */
  tunnel: number;
  /** Tunnel connections accepted during a black hole and never forwarded. */
  held: number;
  /** Whether the tunnel is black-holed now. */
  blackholed: boolean;
  /** Backends currently taking new connections. */
  backendsUp: number;
}

/**
 * The demo's network: a TCP load balancer in front of the gateways, with
 * two entrances.
 *
 * - Each new connection goes to the next backend that is up (round
 *   robin). A backend marked down (restarting) gets no new connections;
 *   with none up, the client's connection is cut.
 * - Each connection gets its own round-trip time from `sampleRoundTripMillis`
 *   (log-normal in the demo); bytes are delayed by half of it each way,
 *   in order (see DelayedPipe).
 * - The tunnel entrance is the same, except that it can be black-holed:
 *   existing connections stop forwarding anything (data, FIN or reset) in
 *   both directions without closing, and new ones are accepted but never
 *   forwarded, as in a train tunnel or behind a dead NAT entry. When the
 *   tunnel comes back, those connections are cut (their byte streams
 *   have holes), and new ones work again.
 */
export class NetworkBalancer {
  private readonly backends: Array<BalancerBackend & { up: boolean }>;
  private readonly links = new Set<Link>();
  private readonly held = new Set<Socket>();
  private readonly host: string;
  private next = 0;
  private blackholed = false;
  private closed = false;
  private directPort = 0;
  private tunnelEntrancePort = 0;

  private constructor(
    private readonly options: NetworkBalancerOptions,
    private readonly directServer: Server,
    private readonly tunnelServer: Server,
  ) {
    this.backends = options.backends.map((b) => ({ ...b, up: true }));
    this.host = options.host ?? '127.0.0.1';
  }

  /** Starts both entrances; resolves once they listen. */
  static async start(options: NetworkBalancerOptions): Promise<NetworkBalancer> {
    const host = options.host ?? '127.0.0.1';
    const backlog = options.backlog ?? 4096;
    let balancer: NetworkBalancer | undefined;
    const direct = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => balancer?.accept(socket, 'direct'));
    const tunnel = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => balancer?.accept(socket, 'tunnel'));
    balancer = new NetworkBalancer(options, direct, tunnel);
    try {
      balancer.directPort = await listen(direct, options.port ?? 0, host, backlog);
      balancer.tunnelEntrancePort = await listen(tunnel, options.tunnelPort ?? 0, host, backlog);
    } catch (error) {
      await balancer.close();
      throw error;
    }
    return balancer;
  }

  /** Port of the direct entrance. */
  get port(): number {
    return this.directPort;
  }

  /** Port of the tunnel entrance. */
  get tunnelPort(): number {
    return this.tunnelEntrancePort;
  }

  /** Whether the tunnel is black-holed now. */
  get isBlackholed(): boolean {
    return this.blackholed;
  }

  /** Marks a backend up (takes new connections) or down (restarting). Unknown names are ignored. */
  setBackendUp(name: string, up: boolean): void {
    for (const backend of this.backends) if (backend.name === name) backend.up = up;
  }

  /** Black-holes the tunnel entrance (idempotent). */
  blackholeTunnel(): void {
    if (this.blackholed) return;
    this.blackholed = true;
    for (const link of this.links) {
      if (link.entrance !== 'tunnel') continue;
      link.dead = true;
      link.toServer.discard();
      link.toClient.discard();
    }
  }

  /** Ends the black hole: connections that lived through it are cut; new ones are forwarded again (idempotent). */
  restoreTunnel(): void {
    if (!this.blackholed) return;
    this.blackholed = false;
    for (const link of [...this.links]) {
      if (link.dead) this.cut(link);
    }
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  /** What the balancer holds now. */
  stats(): NetworkBalancerStats {
    let direct = 0;
    let tunnel = 0;
    for (const link of this.links) {
      if (link.entrance === 'direct') direct++;
      else tunnel++;
    }
    return {
      direct,
      tunnel,
      held: this.held.size,
      blackholed: this.blackholed,
      backendsUp: this.backends.filter((b) => b.up).length,
    };
  }

  /** Stops listening and cuts every connection. Never rejects. */
  async close(): Promise<void> {
    this.closed = true;
    for (const link of [...this.links]) this.cut(link);
    for (const socket of this.held) socket.destroy();
    this.held.clear();
    await Promise.all([closeServer(this.directServer), closeServer(this.tunnelServer)]);
  }

  private accept(client: Socket, entrance: Entrance): void {
    client.on('error', () => {});
    if (this.closed) {
      client.destroy();
      return;
    }
    if (entrance === 'tunnel' && this.blackholed) {
      // Accepted, never forwarded: the WebSocket handshake never completes.
      this.held.add(client);
      client.on('data', () => {});
      client.on('close', () => this.held.delete(client));
      return;
    }
    const backend = this.pickBackend();
    if (backend === undefined) {
      client.destroy();
      return;
    }
    const upstream = connect({ port: backend.port, host: this.host, allowHalfOpen: true, noDelay: true });
    upstream.on('error', () => {});
    const oneWay = Math.max(0, this.options.sampleRoundTripMillis()) / 2;
    const link: Link = {
      client,
      upstream,
      toServer: new DelayedPipe(upstream, oneWay),
      toClient: new DelayedPipe(client, oneWay),
      entrance,
      dead: false,
    };
    this.links.add(link);
    this.wire(link, client, link.toServer);
    this.wire(link, upstream, link.toClient);
  }

  /** Forwards what `from` says through `pipe`, unless the link is dead. */
  private wire(link: Link, from: Socket, pipe: DelayedPipe): void {
    from.on('data', (chunk: Buffer) => {
      if (!link.dead) pipe.push(chunk);
    });
    from.on('end', () => {
      if (!link.dead) pipe.end();
    });
    from.on('close', () => {
      // A black hole swallows the close too; the link is cut on restore.
      if (!link.dead) pipe.destroy();
      if (link.client.destroyed && link.upstream.destroyed) this.links.delete(link);
    });
  }

  private cut(link: Link): void {
    link.dead = true;
    link.toServer.discard();
    link.toClient.discard();
    link.client.destroy();
    link.upstream.destroy();
    this.links.delete(link);
  }

  private pickBackend(): BalancerBackend | undefined {
    const n = this.backends.length;
    for (let i = 0; i < n; i++) {
      const backend = this.backends[(this.next + i) % n]!;
      if (backend.up) {
        this.next = (this.next + i + 1) % n;
        return backend;
      }
    }
    return undefined;
  }
}

/** Listens; resolves with the port. */
async function listen(server: Server, port: number, host: string, backlog: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
