import type { DropReason } from '@tunnelvision/semconv';
import { encodeFrame } from '../protocol/frames.js';
import { utf8ByteLength } from '../protocol/utf8-byte-length.js';
import { unrefTimeout, type TimerHandle } from '../shared/unref-timers.js';
import type { ConnectionHandle, MessageHandle } from '../tracker/tracker-types.js';
import { OutboundQueue } from './outbound-queue.js';
import type { ResolvedResilientWebSocketOptions } from './resilient-web-socket-options.js';

/** Limits of an `OutboundDelivery`. */
export type OutboundDeliveryOptions = Pick<
  ResolvedResilientWebSocketOptions,
  'maxQueueSize' | 'queueTtlMillis' | 'maxInFlight' | 'ackTimeoutMillis' | 'maxSendAttempts'
>;

/** What an `OutboundDelivery` needs from the client it serves. */
export interface OutboundDeliveryHost {
  /** Whether the session is open, so messages may go on the wire. */
  isOpen(): boolean;
  /** Successful opens so far; a message created before the latest one waited for it. */
  opens(): number;
  /** Writes one frame to the current socket; false when it could not. */
  write(frame: string): boolean;
  /** A message was acknowledged by the server. */
  acked(id: string): void;
  /** A message will not be delivered. */
  dropped(id: string, reason: DropReason): void;
}

/** An outbound message from send() until ack or drop. */
interface OutboundEntry {
  readonly id: string;
  readonly frame: string;
  readonly createdAt: number;
  readonly handle: MessageHandle;
  /** Times put on the wire, over all connections. */
  attempt: number;
  /** Times put on the wire on the current connection. */
  sendsOnConnection: number;
  /** Successful opens before it was created: its first send on a later connection is a replay. */
  readonly createdEpoch: number;
  ackTimer: TimerHandle | undefined;
}

/**
 * The client's outbound messages from send() to ack or drop: sent at once
 * when open (up to maxInFlight awaiting their ack), else held in the
 * bounded offline queue; retried on the same connection after
 * ackTimeoutMillis, up to maxSendAttempts; put back at the front of the
 * queue when the connection drops and replayed in order on the next one;
 * dropped when the queue overflows or their TTL runs out.
 */
export class OutboundDelivery {
  private readonly options: OutboundDeliveryOptions;
  private readonly handle: ConnectionHandle;
  private readonly host: OutboundDeliveryHost;
  private readonly queue: OutboundQueue<OutboundEntry>;
  private readonly inFlight = new Map<string, OutboundEntry>();
  private reportedQueueDepth = 0;
  private ttlTimer: TimerHandle | undefined;
  private ttlTimerAt: number | undefined;

  /** Creates an empty delivery that reports to `handle`. */
  constructor(options: OutboundDeliveryOptions, handle: ConnectionHandle, host: OutboundDeliveryHost) {
    this.options = options;
    this.handle = handle;
    this.host = host;
    this.queue = new OutboundQueue<OutboundEntry>({ maxSize: options.maxQueueSize, ttlMillis: options.queueTtlMillis });
  }

  /** Messages waiting for a connection (or for room in flight). */
  get queueSize(): number {
    return this.queue.size;
  }

  /** Messages sent and awaiting their ack. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Takes message `id` with `body`: on the wire now if open and nothing waits ahead of it, else queued. A body that cannot be serialized is dropped (`policy`). */
  send(id: string, body: unknown, channel: string | undefined): void {
    let frame: string;
    try {
      frame = encodeFrame({ t: 'msg', id, body: body === undefined ? null : body, ...(channel === undefined ? {} : { ch: channel }) });
    } catch {
      this.handle.message(id, channel === undefined ? {} : { channel }).dropped('policy');
      this.host.dropped(id, 'policy');
      return;
    }
    const size = utf8ByteLength(frame);
    const entry: OutboundEntry = {
      id,
      frame,
      createdAt: Date.now(),
      handle: this.handle.message(id, channel === undefined ? { size } : { channel, size }),
      attempt: 0,
      sendsOnConnection: 0,
      createdEpoch: this.host.opens(),
      ackTimer: undefined,
    };
    if (this.host.isOpen() && this.queue.size === 0 && this.inFlight.size < this.options.maxInFlight) {
      this.transmit(entry, 'send');
    } else {
      this.enqueue(entry);
    }
  }

  /** The server acknowledged message `id`: it is done, and the next queued one may go. */
  ack(id: string): void {
    const entry = this.inFlight.get(id);
    if (entry === undefined) return;
    this.inFlight.delete(id);
    if (entry.ackTimer !== undefined) clearTimeout(entry.ackTimer);
    entry.ackTimer = undefined;
    entry.handle.acked();
    this.host.acked(id);
    this.pump();
  }

  /** Sends queued messages while open and there is room in flight. */
  pump(): void {
    this.dropExpired();
    while (this.host.isOpen() && this.inFlight.size < this.options.maxInFlight) {
      const entry = this.queue.shift();
      if (entry === undefined) break;
      entry.sendsOnConnection = 0;
      this.transmit(entry, 'send');
    }
    this.settleQueue();
  }

  /** The connection is gone: messages awaiting their ack go back to the front of the queue, oldest first. */
  requeueInFlight(): void {
    if (this.inFlight.size === 0) return;
    const entries = [...this.inFlight.values()].sort((a, b) => a.createdAt - b.createdAt);
    this.inFlight.clear();
    for (const entry of entries) {
      if (entry.ackTimer !== undefined) clearTimeout(entry.ackTimer);
      entry.ackTimer = undefined;
    }
    const evicted = this.queue.prepend(entries);
    for (const old of evicted) this.drop(old, 'queue_full');
    this.dropExpired();
    this.settleQueue();
  }

  /** Drops every queued message for `reason` (the server refused the session for good). */
  dropQueued(reason: DropReason): void {
    for (const entry of this.queue.drain()) this.drop(entry, reason);
    this.settleQueue();
  }

  private transmit(entry: OutboundEntry, kind: 'send' | 'retry'): void {
    entry.attempt += 1;
    entry.sendsOnConnection += 1;
    const opens = this.host.opens();
    if (kind === 'retry') entry.handle.retried(entry.attempt);
    else if (entry.attempt === 1 && !(opens > 1 && entry.createdEpoch < opens)) entry.handle.sent();
    else entry.handle.replayed();
    this.inFlight.set(entry.id, entry);
    if (entry.ackTimer !== undefined) clearTimeout(entry.ackTimer);
    entry.ackTimer = unrefTimeout(() => this.onAckTimeout(entry), this.options.ackTimeoutMillis);
    this.host.write(entry.frame);
  }

  private onAckTimeout(entry: OutboundEntry): void {
    entry.ackTimer = undefined;
    if (this.inFlight.get(entry.id) !== entry || !this.host.isOpen()) return;
    if (entry.sendsOnConnection >= this.options.maxSendAttempts) {
      this.inFlight.delete(entry.id);
      this.drop(entry, 'attempts_exhausted');
      this.pump();
      return;
    }
    this.transmit(entry, 'retry');
  }

  private enqueue(entry: OutboundEntry): void {
    const evicted = this.queue.push(entry);
    if (!evicted.includes(entry)) entry.handle.queued(this.queue.size);
    for (const old of evicted) this.drop(old, 'queue_full');
    this.settleQueue();
  }

  private dropExpired(): void {
    for (const entry of this.queue.takeExpired(Date.now())) this.drop(entry, 'ttl_expired');
  }

  /** After the queue changed: reports its depth and arms the timer of the next expiry. */
  private settleQueue(): void {
    const depth = this.queue.size;
    if (depth !== this.reportedQueueDepth) {
      this.reportedQueueDepth = depth;
      this.handle.queueDepth(depth);
    }
    const at = this.queue.nextExpiryAt();
    if (at === this.ttlTimerAt) return;
    if (this.ttlTimer !== undefined) clearTimeout(this.ttlTimer);
    this.ttlTimer = undefined;
    this.ttlTimerAt = at;
    if (at === undefined) return;
    this.ttlTimer = unrefTimeout(() => {
      this.ttlTimer = undefined;
      this.ttlTimerAt = undefined;
      this.dropExpired();
      this.settleQueue();
    }, Math.max(0, at - Date.now()));
  }

  private drop(entry: OutboundEntry, reason: DropReason): void {
    if (entry.ackTimer !== undefined) clearTimeout(entry.ackTimer);
    entry.ackTimer = undefined;
    entry.handle.dropped(reason);
    this.host.dropped(entry.id, reason);
  }
}
