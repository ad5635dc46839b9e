import { payloadSize } from '../../instrumentation/payload-size.js';
import type { ConnectionHandle } from '../../tracker/tracker-types.js';

/**
 * Mirrors the library's offline queue (messages `send()` buffers while no
 * connection is open, flushed on the next open, at most
 * maxEnqueuedMessages, the rest silently discarded) as tv.queue.depth,
 * and, for messages with an id, msg.queued, msg.dropped (queue_full) and
 * msg.sent or msg.replayed when the flush puts them on the wire.
 */
export class OfflineQueueWatch {
  private readonly queuedIds: (string | undefined)[] = [];
  private opens = 0;

  constructor(
    private readonly handle: ConnectionHandle,
    private readonly maxEnqueued: number,
    private readonly messageId: ((data: unknown) => string | undefined) | undefined,
  ) {}

  /** A send() on an open connection: straight to the wire. */
  sentNow(data: unknown): void {
    const id = this.messageId?.(data);
    if (typeof id === 'string') this.journey(id, data).sent();
  }

  /** A send() while not open: the library buffers it, or discards it when the queue is full. */
  buffered(data: unknown): void {
    const id = this.messageId?.(data);
    const full = this.queuedIds.length >= this.maxEnqueued;
    if (full) {
      if (typeof id === 'string') this.journey(id, data).dropped('queue_full');
      return;
    }
    this.queuedIds.push(typeof id === 'string' ? id : undefined);
    if (typeof id === 'string') this.journey(id, data).queued(this.queuedIds.length);
    this.handle.queueDepth(this.queuedIds.length);
  }

  /** The library flushed its queue onto a connection that just opened. */
  flushed(): void {
    this.opens++;
    if (this.queuedIds.length === 0) return;
    // Buffered before the first open it is a first send; during an outage, a replay.
    for (const id of this.queuedIds.splice(0)) {
      if (id === undefined) continue;
      if (this.opens > 1) this.handle.message(id).replayed();
      else this.handle.message(id).sent();
    }
    this.handle.queueDepth(0);
  }

  private journey(id: string, data: unknown) {
    const size = payloadSize(data);
    return this.handle.message(id, size === undefined ? undefined : { size });
  }
}
