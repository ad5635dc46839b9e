import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTracker } from '@tunnelvision/sdk';
import { instrumentSocketIoServer } from '@tunnelvision/sdk/socket.io';
import { Server, type Socket } from 'socket.io';
import type { TelemetryPipeline } from '../telemetry/telemetry-pipeline.js';
import type { FleetGateway, GatewaySpec } from './fleet-transport.js';
import { listenOnSamePort } from './rebind-port.js';
import { RestartableGateway } from './restartable-gateway.js';
import { SOCKET_IO_ACK_TIMEOUT_MILLIS, SOCKET_IO_EVENT, messageIdOf, type SocketIoChatMessage } from './socket-io-chat.js';

/** Largest chat packet a gateway accepts. */
const MAX_PAYLOAD_BYTES = 64 * 1024;

/** Server-side heartbeat of a Socket.IO gateway (Socket.IO's server pings, its clients answer). */
export interface SocketIoHeartbeat {
  /** Time between two pings, in ms. */
  pingIntervalMillis: number;
  /** How long a ping waits for its pong, in ms (a client declares the link dead after interval + timeout). */
  pingTimeoutMillis: number;
}

/** One running instance: its HTTP listener, its Socket.IO server and its telemetry. */
interface Instance {
  readonly port: number;
  readonly http: HttpServer;
  readonly io: Server;
  readonly pipeline: TelemetryPipeline;
}

/**
 * One chat gateway slot on Socket.IO: an http server with a Socket.IO
 * Server on a fixed port, instrumented with the SDK's one call, that can
 * be restarted with a new build, overloaded or told to shed its clients,
 * like the ws Gateway. Socket.IO has no session store shared across
 * servers, so a client that moves to another gateway starts afresh, and a
 * room message for a member that is not connected is not delivered
 * (Socket.IO discards it).
 */
export class SocketIoGateway extends RestartableGateway<Instance> implements FleetGateway {
  readonly name: string;
  private readonly spec: GatewaySpec;
  private readonly heartbeat: SocketIoHeartbeat;
  /** Each connected session's socket on this gateway (sessions come from the handshake auth). */
  private readonly sessions = new Map<string, Socket>();
  private overloaded = false;

  private constructor(spec: GatewaySpec, heartbeat: SocketIoHeartbeat) {
    super(spec.version);
    this.spec = spec;
    this.heartbeat = heartbeat;
    this.name = spec.name;
  }

  /** Starts the gateway on a free port. */
  static async start(spec: GatewaySpec, heartbeat: SocketIoHeartbeat): Promise<SocketIoGateway> {
    const gateway = new SocketIoGateway(spec, heartbeat);
    await gateway.openFirst();
    return gateway;
  }

  get connectionCount(): number {
    return this.instance?.io.engine.clientsCount ?? 0;
  }

  get isOverloaded(): boolean {
    return this.overloaded;
  }

  /** An acked emit to the session's socket on this gateway; undefined when it is not connected here. */
  send(sessionId: string, body: unknown, channel: string): string | undefined {
    const socket = this.sessions.get(sessionId);
    if (this.instance === undefined || socket === undefined || !socket.connected) return undefined;
    const message: SocketIoChatMessage = { ...(body as object), id: randomUUID(), room: channel };
    socket.timeout(SOCKET_IO_ACK_TIMEOUT_MILLIS).emit(SOCKET_IO_EVENT, message, () => {});
    return message.id;
  }

  /** Overloaded, the handshake is refused (HTTP 403): Socket.IO has no "try again later" close, so clients retry on their usual backoff. */
  setOverloaded(overloaded: boolean): void {
    this.overloaded = overloaded;
  }

  /**
   * Closes every connection's transport, which the clients see as
   * "transport close" (an abnormal drop) and reconnect from; Socket.IO
   * carries no close code, so `code` and `reason` are not on the wire.
   */
  shed(_code: number, _reason: string): number {
    const io = this.instance?.io;
    if (io === undefined) return 0;
    let closed = 0;
    for (const socket of io.sockets.sockets.values()) {
      socket.conn.close();
      closed++;
    }
    return closed;
  }

  /** A new instance on `port`; on a restart the old one's sockets got "server shutting down" and start afresh here. */
  protected async open(port: number): Promise<Instance> {
    const http = await listenOnSamePort(port, (p) => listen(this.spec.host, p));
    const io = new Server(http, {
      // WebSocket only: the balancer is not sticky, so long-polling requests could land on another gateway.
      transports: ['websocket'],
      serveClient: false,
      perMessageDeflate: false,
      maxHttpBufferSize: MAX_PAYLOAD_BYTES,
      pingInterval: this.heartbeat.pingIntervalMillis,
      pingTimeout: this.heartbeat.pingTimeoutMillis,
      allowRequest: (_request, callback) => callback(this.overloaded ? 'overloaded' : null, !this.overloaded),
    });
    const pipeline = this.spec.createPipeline(this.version);
    const tracker = createTracker({
      loggerProvider: pipeline.loggerProvider,
      meterProvider: pipeline.meterProvider,
      role: 'server',
      sampling: this.spec.sampling,
    });
    instrumentSocketIoServer(io, { tracker, connection: { serverAddress: this.name }, messageId: messageIdOf });
    io.on('connection', (socket) => this.attach(socket));
    return { port: (http.address() as AddressInfo).port, http, io, pipeline };
  }

  private attach(socket: Socket): void {
    const sessionId = (socket.handshake.auth as { session?: unknown }).session;
    if (typeof sessionId !== 'string') {
      socket.disconnect(true);
      return;
    }
    this.sessions.set(sessionId, socket);
    socket.on('disconnect', () => {
      if (this.sessions.get(sessionId) === socket) this.sessions.delete(sessionId);
    });
    socket.on(SOCKET_IO_EVENT, (message: SocketIoChatMessage, ack?: (reply: unknown) => void) => {
      ack?.({ ok: true });
      if (typeof message?.id !== 'string') return;
      this.spec.onMessage(this, { sessionId, id: message.id, body: message, channel: message.room });
    });
    this.spec.onSession(this, sessionId);
  }

  protected async close(instance: Instance): Promise<void> {
    const closed = new Promise<void>((resolve) => instance.io.close(() => resolve()));
    instance.http.closeAllConnections();
    await closed;
    this.sessions.clear();
  }
}

async function listen(host: string, port: number): Promise<HttpServer> {
  const http = createServer();
  return await new Promise<HttpServer>((resolve, reject) => {
    http.once('error', reject);
    http.listen({ host, port, backlog: 4096 }, () => {
      http.off('error', reject);
      resolve(http);
    });
  });
}
