import { ResilientWebSocket, type ResilientWebSocketOptions } from '@tunnelvision/sdk';
import type { MessageTruth } from '../truth/message-truth.js';
import { randomPhrase } from './chat-phrases.js';
import type { ClientSpec, FleetClient } from './fleet-transport.js';
import type { MessageCounters } from './message-counters.js';


/**
 * Options of one virtual client: the fleet's spec of it (ClientSpec), with
 * its entrance as a URL and the socket options built from its cohort's
 * timing in place of host, port and timing.
 */
export type VirtualClientOptions = Pick<ClientSpec, 'sessionId' | 'room' | 'tunnel' | 'service' | 'flagVariant' | 'serverAddress' | 'tracker' | 'counters' | 'notable' | 'truth'> & {
  /** ws:// URL of the balancer entrance this client uses. */
  url: string;
  /** Socket options shared by the fleet's clients of this cohort (timing, WebSocket class). */
  socketOptions: ResilientWebSocketOptions;
};

/**
 * One simulated chat user: a ResilientWebSocket with its own tracker,
 * counting what happens to it into the fleet's totals. Deliberately small
 * (no timers of its own: the fleet's traffic scheduler decides when it
 * speaks), so thousands fit in one process.
 */
export class VirtualClient implements FleetClient {
  /** The client's session id. */
  readonly sessionId: string;
  /** Whether it connects through the tunnel entrance. */
  readonly tunnel: boolean;
  /** The underlying resilient socket. */
  readonly socket: ResilientWebSocket;
  /** Its variant of the fleet's cohort flag, undefined when the fleet has none. */
  readonly flagVariant: string | undefined;
  /** Whether it sends heartbeats, so notices a dead (black-holed) connection by itself. */
  readonly heartbeats: boolean;
  private readonly room: string;
  private readonly counters: MessageCounters;
  private readonly truth: MessageTruth | undefined;
  private readonly service: string;
  private opens = 0;

  /** Creates the client; it starts connecting at once. */
  constructor(options: VirtualClientOptions) {
    this.sessionId = options.sessionId;
    this.tunnel = options.tunnel;
    this.room = options.room;
    this.counters = options.counters;
    this.truth = options.truth;
    this.service = options.service;
    this.flagVariant = options.flagVariant;
    this.heartbeats = options.socketOptions.heartbeatIntervalMillis !== 0;
    const socket = new ResilientWebSocket(options.url, {
      ...options.socketOptions,
      tracker: options.tracker,
      sessionId: options.sessionId,
      serverAddress: options.serverAddress,
    });
    this.socket = socket;
    const { counters, notable, truth } = options;
    socket.on('ack', (event) => {
      counters.acked += 1;
      truth?.clientAcked(this.sessionId, event.id, Date.now(), this.opens);
    });
    socket.on('message', (event) => {
      counters.received += 1;
      truth?.memberReceived(this.sessionId, event.id, Date.now());
    });
    socket.on('close', (event) => {
      counters.closes[event.code] = (counters.closes[event.code] ?? 0) + 1;
    });
    socket.on('drop', (event) => {
      counters.dropped[event.reason] = (counters.dropped[event.reason] ?? 0) + 1;
      truth?.clientDropped(this.sessionId, event.id, Date.now(), event.reason);
      notable.dropped({
        messageId: event.id,
        reason: event.reason,
        sessionId: this.sessionId,
        service: options.service,
        tunnel: this.tunnel,
        at: Date.now(),
      });
    });
    socket.on('open', () => {
      this.opens += 1;
      if (this.opens > 1) counters.reconnects += 1;
      // Anything still queued goes out now as msg.replayed.
      if (this.opens > 1 && socket.queueSize > 0) notable.replayed(this.sessionId);
    });
  }

  /** Whether the session is usable now. */
  get isOpen(): boolean {
    return this.socket.state === 'open';
  }

  /** Messages waiting in its offline queue. */
  get queueSize(): number {
    return this.socket.queueSize;
  }

  /** Successful opens of its session so far (1 = its first connection). */
  get openCount(): number {
    return this.opens;
  }

  /** Says something in the room (queued while disconnected, like a real app); returns the message id. */
  say(text?: string): string {
    this.counters.sent += 1;
    const at = Date.now();
    const body = { text: text ?? randomPhrase(), at };
    const open = this.isOpen;
    const id = this.socket.send(body, { channel: this.room });
    this.truth?.clientSent({
      service: this.service,
      sessionId: this.sessionId,
      messageId: id,
      tunnel: this.tunnel,
      saidAt: at,
      saidWhileOpen: open,
      saidOnOpen: this.opens,
    });
    return id;
  }

  /** Closes the connection for good (1000). */
  close(): void {
    this.socket.close();
  }
}
