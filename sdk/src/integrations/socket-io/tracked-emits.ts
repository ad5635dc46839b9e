import type { DropReason } from '@tunnelvision/semconv';
import { setBounded } from '../../shared/bounded-map.js';
import { patchProperty } from '../../shared/patch-property.js';
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
  /** Packets not yet written (the client's send buffer and unsent retry queue); 0 on the server. */
  buffered(): number;
  /** Whether the peer takes the message-id argument off (see message-id-marker.ts). */
  carryIds(): boolean;
  /**
   * With the client's `retries` option: the packet of Socket.IO's retry
   * queue that the emit just made added (`added`), or that Socket.IO is
   * writing now (again after an ack timeout or a reconnect); else undefined.
   */
  retryPacket?(added: boolean): object | undefined;
}

/** Options of emit tracking. */
export interface TrackedEmitOptions {
  /** The id of an emit with an ack, instead of a random one; undefined for a random id. */
  messageId?: ((event: string, args: readonly unknown[]) => string | undefined) | undefined;
}

interface Plan {
  readonly id: string;
  readonly event: string;
  readonly args: unknown[];
  readonly bufferedBefore: number;
}

interface Pending {
  readonly message: MessageHandle;
  /** In the client's send buffer, not yet written. */
  buffered: boolean;
}

/** What the emit tracker offers its side's instrumentation. */
export interface TrackedEmits {
  /** Wraps `socket.emit`; returns what undoes it. */
  wrap(socket: object): () => void;
  /** The connection ended: Socket.IO never resends what it wrote, so what waits for an ack now is lost; buffered emits stay buffered. */
  connectionLost(): void;
  /** Socket.IO wrote its send buffer on connecting: msg.sent for a first connection, msg.replayed after a reconnect. */
  flushed(reconnect: boolean): void;
}

/**
 * Tracks the emits that ask for an ack (a callback last, emitWithAck,
 * timeout(ms).emit): msg.sent when written, msg.queued when Socket.IO
 * buffers it offline, msg.retried / msg.replayed when the client's retry
 * queue writes it again, msg.acked with latency when the ack comes,
 * msg.dropped when Socket.IO gives up on it. Emits without an ack are not tracked:
 * nothing would ever confirm them. It wraps the instance's `emit`, which
 * Socket.IO's emitWithAck and timeout() also go through.
 */
export function trackEmits(handle: ConnectionHandle, side: EmitSide, report: FailureReporter, options: TrackedEmitOptions): TrackedEmits {
  const pending = new Map<string, Pending>();
  const byRetryPacket = new WeakMap<object, Pending>();

  const settle = (id: string, errorFirst: boolean, response: unknown[]): void => {
    const entry = pending.get(id);
    if (entry === undefined) return;
    pending.delete(id);
    const error = errorFirst ? response[0] : undefined;
    if (error == null) entry.message.acked();
    else entry.message.dropped(dropReasonOf(error, entry.buffered));
  };

  /** How a tracked emit goes out: its id, and the arguments for Socket.IO (ack wrapped, id argument added); undefined to leave the emit alone. */
  const plan = (args: unknown[]): Plan | undefined => {
    const [event] = args;
    const ack = args[args.length - 1] as AckCallback;
    if (typeof event !== 'string' || args.length < 2 || typeof ack !== 'function') return undefined;
    if (side.passThrough()) {
      // Maybe the retry queue writing a tracked emit: sent the first time, then the journey tells a retry (same connection) from a replay.
      byRetryPacket.get(side.retryPacket?.(false) as object)?.message.sent();
      return undefined;
    }
    const data = args.slice(1, -1);
    const given = options.messageId?.(event, data);
    const id = typeof given === 'string' && given !== '' ? given : randomId();
    const errorFirst = side.errorFirst(ack);
    const onAck: AckCallback = function (this: unknown, ...response: unknown[]): unknown {
      guarded(report, 'socket.io ack', undefined, () => settle(id, errorFirst, response));
      return ack.apply(this, response);
    };
    if (ack.withError === true) onAck.withError = true;
    const marker = side.carryIds() ? [messageIdMarker(id)] : [];
    return { id, event, args: [event, ...data, ...marker, onAck], bufferedBefore: side.buffered() };
  };

  const emitted = ({ id, event, bufferedBefore }: Plan): void => {
    const depth = side.buffered();
    const queued = depth > bufferedBefore;
    const packet = side.retryPacket?.(true);
    // Not `buffered` in the retry queue: its writes are reported as they happen, not by flushed().
    const entry: Pending = { message: handle.message(id, { channel: event }), buffered: queued && !packet };
    setBounded(pending, id, entry, MAX_PENDING);
    if (packet) byRetryPacket.set(packet, entry);
    if (queued) entry.message.queued(depth);
    else entry.message.sent();
  };

  return {
    wrap(socket) {
      const target = socket as { emit: (...args: unknown[]) => unknown };
      const original = target.emit;
      return patchProperty(target, 'emit', function (this: unknown, ...args: unknown[]): unknown {
        const p = guarded(report, 'socket.io emit', undefined, () => plan(args));
        if (p === undefined) return original.apply(this, args);
        // The app's own errors (a reserved event name) reach it as before; nothing was reported yet.
        const result = original.apply(this, p.args);
        guarded(report, 'socket.io emit', undefined, () => emitted(p));
        return result;
      });
    },
    connectionLost() {
      for (const [id, entry] of pending) {
        if (entry.buffered) continue;
        pending.delete(id);
        entry.message.dropped('connection_lost');
      }
    },
    flushed(reconnect) {
      for (const entry of pending.values()) {
        if (!entry.buffered) continue;
        entry.buffered = false;
        if (reconnect) entry.message.replayed();
        else entry.message.sent();
      }
    },
  };
}

/** Why Socket.IO failed an ack: its timeout (in the send buffer all along: ttl_expired; written, unanswered: attempts_exhausted) or a disconnect. */
function dropReasonOf(error: unknown, buffered: boolean): DropReason {
  if ((error as { message?: unknown }).message === 'socket has been disconnected') return 'connection_lost';
  return buffered ? 'ttl_expired' : 'attempts_exhausted';
}
