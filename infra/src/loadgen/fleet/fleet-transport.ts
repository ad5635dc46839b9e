import type { MessageSamplingOptions, Tracker } from '@tunnelvision/sdk';
import type { InboundMessage, SessionStore } from '@tunnelvision/sdk/node';
import type { TelemetryPipeline } from '../telemetry/telemetry-pipeline.js';
import type { MessageTruth } from '../truth/message-truth.js';
import type { ClientTiming } from './client-timing.js';
import type { MessageCounters } from './message-counters.js';
import type { NotableEvents } from './notable-events.js';

/** The wire a fleet speaks: the SDK's own protocol on `ws`, or Socket.IO. */
export type TransportName = 'ws' | 'socket.io';

/** One virtual chat user, whatever its transport. */
export interface FleetClient {
  /** The client's session id. */
  readonly sessionId: string;
  /** Whether it connects through the tunnel entrance. */
  readonly tunnel: boolean;
  /** Its variant of the fleet's cohort flag, undefined when the fleet has none. */
  readonly flagVariant: string | undefined;
  /** Whether it notices a dead (black-holed) connection by itself (heartbeats). */
  readonly heartbeats: boolean;
  /** Whether the connection is usable now. */
  readonly isOpen: boolean;
  /** Successful opens so far (1 = its first connection). */
  readonly openCount: number;
  /** Messages waiting to be sent (offline queue). */
  readonly queueSize: number;
  /** Says something in the room (queued while disconnected); returns the message id. */
  say(text?: string): string;
  /** Closes the connection for good. */
  close(): void;
}

/** One gateway slot on a fixed port, whatever its transport. */
export interface FleetGateway {
  /** Its name (server.address, and its name in the balancer). */
  readonly name: string;
  /** The port it listens on (the same across restarts). */
  readonly port: number;
  /** The build running now. */
  readonly version: string;
  /** Whether an instance is running (false while restarting). */
  readonly running: boolean;
  /** Open connections. */
  readonly connectionCount: number;
  /** Whether new connections are refused. */
  readonly isOverloaded: boolean;
  /** Sends a room message to a session; its message id, or undefined when it could not. */
  send(sessionId: string, body: unknown, channel: string): string | undefined;
  /** Refuses (true) or accepts (false) new connections; survives restarts. */
  setOverloaded(overloaded: boolean): void;
  /** Drops every open connection (with `code` where the wire has close codes); returns how many. */
  shed(code: number, reason: string): number;
  /** Closes the running instance and starts `version` on the same port. */
  restart(version: string): Promise<void>;
  /** Closes the running instance and waits for its telemetry. Never rejects. */
  stop(): Promise<void>;
}

/** What a transport needs to start one gateway. */
export interface GatewaySpec {
  /** The gateway's name (e.g. chat-gw-1). */
  name: string;
  /** Build it runs at first (service.version). */
  version: string;
  /** The fleet's session store (the ws gateways share it; Socket.IO has no such thing). */
  store: SessionStore;
  /** Interface to listen on. */
  host: string;
  /** Sampling of successful message journeys on the server side. */
  sampling: MessageSamplingOptions;
  /** Builds the telemetry pipeline of one running instance. */
  createPipeline(version: string): TelemetryPipeline;
  /** A client message arrived (once per message id). */
  onMessage(gateway: FleetGateway, message: InboundMessage): void;
  /** A session attached to this gateway. */
  onSession(gateway: FleetGateway, sessionId: string): void;
  /** Ground-truth recording (ws only). */
  truth?: MessageTruth;
}

/** What a transport needs to create one client. */
export interface ClientSpec {
  /** Host and port of the balancer entrance it uses. */
  host: string;
  port: number;
  /** session.id of the client. */
  sessionId: string;
  /** Chat room. */
  room: string;
  /** Whether it is in the tunnel cohort. */
  tunnel: boolean;
  /** service.name of its fleet. */
  service: string;
  /** Reconnect and heartbeat timing of its cohort. */
  timing: ClientTiming;
  /** Offline queue size, when it is limited (the tunnel cohort). */
  maxQueueSize: number | undefined;
  /** Its variant of the fleet's cohort flag. */
  flagVariant?: string;
  /** server.address on its events (the entrance's name). */
  serverAddress: string;
  /** Its own tracker (own session and user id). */
  tracker: Tracker;
  /** The fleet's totals. */
  counters: MessageCounters;
  /** Where notable drops and replays are noted. */
  notable: NotableEvents;
  /** Ground-truth recording (ws only). */
  truth?: MessageTruth;
}

/** Makes a fleet's gateways and clients of one wire. */
export interface FleetTransport {
  /** Its name. */
  readonly name: TransportName;
  /** Starts one gateway on a free port. */
  startGateway(spec: GatewaySpec): Promise<FleetGateway>;
  /** Creates one client; it starts connecting at once. */
  createClient(spec: ClientSpec): FleetClient;
}
