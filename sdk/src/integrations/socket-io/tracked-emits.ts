import type { DropReason } from '@tunnelvision/semconv';
import { setBounded } from '../../shared/bounded-map.js';
import { randomId } from '../../shared/random-id.js';
import { guarded, type FailureReporter } from '../../tracker/failure-reporter.js';
import type { ConnectionHandle, MessageHandle } from '../../tracker/tracker-types.js';
import { messageIdMarker } from './message-id-marker.js';

/** An ack callback as Socket.IO sees it: `withError` marks one that takes an error first (emitWithAck). */
type AckCallback = ((...args: unknown[]) => unknown) & { withError?: boolean };

/** Emits awaiting their ack, per socket; beyond it the oldest is forgotten (an app may never get acks). */
const MAX_PENDING = 10_000;

/** What the emit tracker needs to know about one side's socket. */
export interface EmitSide {
  /** Whether `ack` will get an error first (a timeout is set, or emitWithAck); asked before the emit, as Socket.IO clears its flags during it. */
  errorFirst(ack: AckCallback): boolean;
  /** An emit to leave alone: Socket.IO re-emitting from its own retry queue, a volatile emit, a socket already gone. */
  passThrough(): boolean;
  /** Packets waiting for a connection (the client's send buffer); 0 on the server. */
  buffered(): number;
  /** Whether the peer takes the message-id argument off (see message-id-marker.ts). */
  carryIds(): boolean;
}

/** Options of emit tracking. */
export interface TrackedEmitOptions {
  /** The id of an emit with an ack, instead of a random one; undefined for a random id. */
  messageId?: ((event: string, args: readonly unknown[]) => string | undefined) | undefined;
}

interface Pending {
  readonly message: MessageHandle;
  /** In the client's send buffer, not yet written. */
  buffered: boolean;
}

interface Plan {
  readonly id: string;
  readonly event: string;
  readonly args: unknown[];
  readonly bufferedBefore: number;
}

/**
 * Tracks the emits that ask for an ack (a callback last, emitWithAck,
 * timeout(ms).emit): msg.sent when written, msg.queued when Socket.IO
 * buffers it offline, msg.acked with latency when the ack comes, msg.dropped
 * when Socket.IO gives up on it. Emits without an ack are not tracked:
 * nothing would ever confirm them. It wraps the instance's `emit`, which
 * Socket.IO's emitWithAck and timeout() also go through.
 */
export class TrackedEmits {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly handle: ConnectionHandle,
    private readonly side: EmitSide,
    private readonly report: FailureReporter,
    private readonly options: TrackedEmitOptions,
  ) {}

  /** Wraps `socket.emit`; returns what undoes it. */
  wrap(socket: object): () => void {
    const target = socket as { emit: (...args: unknown[]) => unknown };
    const hadOwn = Object.prototype.hasOwnProperty.call(socket, 'emit');
    const original = target.emit;
    const plan = (args: unknown[]) => guarded(this.report, 'preparing a tracked emit', undefined, () => this.plan(args));
    const emitted = (p: Plan) => guarded(this.report, 'tracking an emit', undefined, () => this.emitted(p));
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const p = plan(args);
      if (p === undefined) return original.apply(this, args);
      // The app's own errors (a reserved event name) reach it as before; nothing was reported yet.
      const result = original.apply(this, p.args);
      emitted(p);
      return result;
    };
    target.emit = wrapped;
    return () => {
      // Unwrap only if nobody wrapped on top of us.
      if (target.emit !== wrapped) return;
      if (hadOwn) target.emit = original;
      else delete (target as { emit?: unknown }).emit;
    };
  }

  /** The connection ended: Socket.IO never resends what it wrote, so what waits for an ack now is lost; buffered emits stay buffered. */
  connectionLost(): void {
    for (const [id, entry] of this.pending) {
      if (entry.buffered) continue;
      this.pending.delete(id);
      entry.message.dropped('connection_lost');
    }
  }

  /** Socket.IO wrote its send buffer on connecting: msg.sent for a first connection, msg.replayed after a reconnect. */
  flushed(reconnect: boolean): void {
    for (const entry of this.pending.values()) {
      if (!entry.buffered) continue;
      entry.buffered = false;
      if (reconnect) entry.message.replayed();
      else entry.message.sent();
    }
  }

  private plan(args: unknown[]): Plan | undefined {
    const [event] = args;
    const ack = args[args.length - 1];
    if (typeof event !== 'string' || args.length < 2 || typeof ack !== 'function' || this.side.passThrough()) return undefined;
    const data = args.slice(1, -1);
    const given = this.options.messageId?.(event, data);
    const id = typeof given === 'string' && given !== '' ? given : randomId();
    const errorFirst = this.side.errorFirst(ack as AckCallback);
    const settle = (response: unknown[]) => guarded(this.report, 'tracking an ack', undefined, () => this.settle(id, errorFirst, response));
    const onAck: AckCallback = function (this: unknown, ...response: unknown[]): unknown {
      settle(response);
      return (ack as AckCallback).apply(this, response);
    };
    if ((ack as AckCallback).withError === true) onAck.withError = true;
    const marker = this.side.carryIds() ? [messageIdMarker(id)] : [];
    return { id, event, args: [event, ...data, ...marker, onAck], bufferedBefore: this.side.buffered() };
  }

  private emitted(plan: Plan): void {
    const buffered = this.side.buffered();
    const message = this.handle.message(plan.id, { channel: plan.event });
    const entry: Pending = { message, buffered: buffered > plan.bufferedBefore };
    setBounded(this.pending, plan.id, entry, MAX_PENDING);
    if (entry.buffered) message.queued(buffered);
    else message.sent();
  }

  private settle(id: string, errorFirst: boolean, response: unknown[]): void {
    const entry = this.pending.get(id);
    if (entry === undefined) return;
    this.pending.delete(id);
    const error = errorFirst ? response[0] : undefined;
    if (error === null || error === undefined) entry.message.acked();
    else entry.message.dropped(dropReasonOf(error, entry.buffered));
  }
}

/** Why Socket.IO failed an ack: its timeout (in the send buffer all along: ttl_expired; written, unanswered: attempts_exhausted) or a disconnect. */
function dropReasonOf(error: unknown, buffered: boolean): DropReason {
  const message = (error as { message?: unknown }).message;
  if (message === 'socket has been disconnected') return 'connection_lost';
  return buffered ? 'ttl_expired' : 'attempts_exhausted';
}
