import { createTracker } from '@tunnelvision/sdk';
import { ResilientServer } from '@tunnelvision/sdk/node';
import { WebSocketServer } from 'ws';
import type { TelemetryPipeline } from '../telemetry/telemetry-pipeline.js';
import type { MessageTruth } from '../truth/message-truth.js';
import type { FleetGateway, GatewaySpec } from './fleet-transport.js';
import { listenOnSamePort } from './rebind-port.js';
import { RestartableGateway } from './restartable-gateway.js';

/** Largest chat frame a gateway accepts. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Time clients get to finish the 1001 closing handshake on a restart. */
const SHUTDOWN_TIMEOUT_MILLIS = 2_000;

/** One running instance: its listener, its ResilientServer and its telemetry. */
interface Instance {
  readonly port: number;
  readonly wss: WebSocketServer;
  readonly server: ResilientServer;
  readonly pipeline: TelemetryPipeline;
}

/**
 * One chat gateway slot: a ResilientServer on a fixed port that can be
 * restarted with a new build (a deploy), told it is overloaded, or told
 * to shed its clients. Each running instance reports through a pipeline
 * of its own whose resource carries the build (service.version) and a
 * fresh service.instance.id, as a new process would.
 */
export class Gateway extends RestartableGateway<Instance> implements FleetGateway {
  /** The gateway's name (server.address). */
  readonly name: string;
  private readonly options: GatewaySpec;
  private overloaded = false;

  private constructor(options: GatewaySpec) {
    super(options.version);
    this.options = options;
    this.name = options.name;
  }

  /** Starts the gateway on a free port. */
  static async start(options: GatewaySpec): Promise<Gateway> {
    const gateway = new Gateway(options);
    await gateway.openFirst();
    return gateway;
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.instance?.server.connectionCount ?? 0;
  }

  /** Whether new connections are refused with 1013. */
  get isOverloaded(): boolean {
    return this.overloaded;
  }

  /** Sends a room message to a session held in the fleet's store; its message id, or undefined when it could not (not running, unknown session). */
  send(sessionId: string, body: unknown, channel: string): string | undefined {
    return this.instance?.server.send(sessionId, body, { channel });
  }

  /** Refuses (true) or accepts (false) new connections; survives restarts. */
  setOverloaded(overloaded: boolean): void {
    this.overloaded = overloaded;
    this.instance?.server.setOverloaded(overloaded);
  }

  /**
   * Closes every open connection with `code` (1013 to shed load), keeping
   * the listener; returns how many were closed. The ResilientServer has no
   * call for this, so the sockets are closed through the WebSocketServer
   * the gateway owns.
   */
  shed(code: number, reason: string): number {
    const wss = this.instance?.wss;
    if (wss === undefined) return 0;
    let closed = 0;
    for (const ws of wss.clients) {
      try {
        ws.close(code, reason);
        closed++;
      } catch {
        ws.terminate();
      }
    }
    return closed;
  }

  /** A new instance on `port` with the fleet's session store; on a restart the old one's clients got 1001 and resume here. */
  protected async open(port: number): Promise<Instance> {
    const wss = await listenOnSamePort(port, (p) => listen(this.options.host, p));
    const truth = this.options.truth;
    if (truth !== undefined) tapClientMessages(wss, truth);
    const address = wss.address();
    const listenPort = typeof address === 'object' && address !== null ? address.port : port;
    const pipeline = this.options.createPipeline(this.version);
    const tracker = createTracker({
      loggerProvider: pipeline.loggerProvider,
      meterProvider: pipeline.meterProvider,
      role: 'server',
      sampling: this.options.sampling,
    });
    const server = new ResilientServer({
      webSocketServer: wss,
      store: this.options.store,
      tracker,
      serverAddress: this.name,
      shutdownTimeoutMillis: SHUTDOWN_TIMEOUT_MILLIS,
      maxConnections: 1_000_000,
      sessionTtlMillis: 600_000,
    });
    server.setOverloaded(this.overloaded);
    server.on('message', (message) => this.options.onMessage(this, message));
    server.on('connection', (event) => this.options.onSession(this, event.sessionId));
    await server.start();
    return { port: listenPort, wss, server, pipeline };
  }

  protected async close(instance: Instance): Promise<void> {
    await instance.server.close();
    await closeWebSocketServer(instance.wss);
  }
}

/**
 * Counts every client msg frame that reaches the gateway's sockets, by
 * session (from the connection's hello) and message id: the copies a
 * receiver really saw, duplicates included, independent of the SDK's
 * de-duplication. Only when ground truth is recorded (a JSON parse per frame).
 */
function tapClientMessages(wss: WebSocketServer, truth: MessageTruth): void {
  wss.on('connection', (ws) => {
    let sessionId: string | undefined;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: { t?: unknown; sid?: unknown; id?: unknown };
      try {
        frame = JSON.parse(String(data)) as typeof frame;
      } catch {
        return;
      }
      if (frame.t === 'hello' && typeof frame.sid === 'string') sessionId = frame.sid;
      else if (frame.t === 'msg' && typeof frame.id === 'string' && sessionId !== undefined) truth.copyArrived(sessionId, frame.id);
    });
  });
}

async function listen(host: string, port: number): Promise<WebSocketServer> {
  return await new Promise<WebSocketServer>((resolve, reject) => {
    const wss = new WebSocketServer({ host, port, backlog: 4096, perMessageDeflate: false, maxPayload: MAX_PAYLOAD_BYTES });
    const onError = (error: Error): void => {
      wss.close();
      reject(error);
    };
    wss.once('error', onError);
    wss.once('listening', () => {
      wss.off('error', onError);
      wss.on('error', () => {});
      resolve(wss);
    });
  });
}

async function closeWebSocketServer(wss: WebSocketServer): Promise<void> {
  for (const ws of wss.clients) ws.terminate();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3_000);
    wss.close(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
