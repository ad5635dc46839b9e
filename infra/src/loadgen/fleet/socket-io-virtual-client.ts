import { randomUUID } from 'node:crypto';
import { instrumentSocketIoClient } from '@tunnelvision/sdk/socket.io-client';
import { io, type Socket } from 'socket.io-client';
import { randomPhrase } from './chat-phrases.js';
import type { ClientSpec, FleetClient } from './fleet-transport.js';
import { SOCKET_IO_ACK_TIMEOUT_MILLIS, SOCKET_IO_EVENT, messageIdOf, type SocketIoChatMessage } from './socket-io-chat.js';

/** Socket.IO's error for an ack given up on at a disconnect (the packet was written). */
const DISCONNECTED_ERROR = 'socket has been disconnected';

/**
 * One simulated chat user on socket.io-client, instrumented with the SDK's
 * one call: every line is an acked emit with a timeout, queued by
 * Socket.IO while disconnected. Socket.IO's own Manager reconnects it
 * (backoff from the cohort's timing; the server's pings are its
 * heartbeat). Counts into the fleet's totals as the ws client does;
 * closes are counted by Socket.IO disconnect reason, since Socket.IO
 * carries no close code. No ground truth is recorded.
 */
export class SocketIoVirtualClient implements FleetClient {
  readonly sessionId: string;
  readonly tunnel: boolean;
  readonly flagVariant = undefined;
  /** The gateways ping every client, so each one notices a dead link. */
  readonly heartbeats = true;
  private readonly spec: ClientSpec;
  private readonly socket: Socket;
  private opens = 0;

  /** Creates the client; it starts connecting at once. */
  constructor(spec: ClientSpec) {
    this.spec = spec;
    this.sessionId = spec.sessionId;
    this.tunnel = spec.tunnel;
    const t = spec.timing;
    const socket = io(`http://${spec.host}:${spec.port}`, {
      // One connection per user (no Manager shared by URL), WebSocket only (the balancer is not sticky).
      forceNew: true,
      transports: ['websocket'],
      auth: { session: spec.sessionId },
      timeout: t.connectTimeoutMillis,
      // Each client's base delay is drawn from the cohort's range, as ResilientWebSocket does.
      reconnectionDelay: t.minInitialDelayMillis + Math.random() * (t.maxInitialDelayMillis - t.minInitialDelayMillis),
      reconnectionDelayMax: t.maxDelayMillis,
      randomizationFactor: t.jitterRatio,
    });
    this.socket = socket;
    instrumentSocketIoClient(socket, { tracker: spec.tracker, connection: { serverAddress: spec.serverAddress }, messageId: messageIdOf });
    const { counters, notable } = spec;
    socket.on('connect', () => {
      this.opens += 1;
      if (this.opens > 1) counters.reconnects += 1;
    });
    socket.io.on('reconnect', () => {
      // Socket.IO flushes its buffer right after this: msg.replayed.
      if (socket.sendBuffer.length > 0) notable.replayed(this.sessionId);
    });
    socket.on('disconnect', (reason) => {
      counters.closes[reason] = (counters.closes[reason] ?? 0) + 1;
    });
    socket.on(SOCKET_IO_EVENT, (_message: SocketIoChatMessage, ack?: (reply: unknown) => void) => {
      counters.received += 1;
      ack?.({ ok: true });
    });
  }

  get isOpen(): boolean {
    return this.socket.connected;
  }

  get openCount(): number {
    return this.opens;
  }

  /** Emits buffered by Socket.IO while disconnected. */
  get queueSize(): number {
    return this.socket.sendBuffer.length;
  }

  say(text?: string): string {
    const { counters, notable } = this.spec;
    counters.sent += 1;
    const message: SocketIoChatMessage = { id: randomUUID(), room: this.spec.room, text: text ?? randomPhrase(), at: Date.now() };
    this.socket.timeout(SOCKET_IO_ACK_TIMEOUT_MILLIS).emit(SOCKET_IO_EVENT, message, (error: Error | null) => {
      if (error === null) {
        counters.acked += 1;
        return;
      }
      // The same reasons the instrumentation reports: cut with the connection, timed out in flight, or timed out still buffered offline.
      const reason = error.message === DISCONNECTED_ERROR ? 'connection_lost' : this.socket.connected ? 'attempts_exhausted' : 'ttl_expired';
      counters.dropped[reason] = (counters.dropped[reason] ?? 0) + 1;
      notable.dropped({ messageId: message.id, reason, sessionId: this.sessionId, service: this.spec.service, tunnel: this.tunnel, at: Date.now() });
    });
    return message.id;
  }

  close(): void {
    this.socket.disconnect();
  }
}
