/** One notification waiting to be delivered, with its bytes fixed at send(). */
export interface PendingNotification {
  /** The alert it is about (for the log). */
  readonly fingerprint: string;
  readonly idempotencyKey: string;
  /** The exact bytes POSTed on every attempt, so retries carry an identical body and signature. */
  readonly payload: Uint8Array<ArrayBuffer>;
  readonly signature: string | undefined;
  /** When send() took it (epoch ms); maxAgeMillis counts from here. */
  readonly enqueuedAt: number;
  /** Attempts started so far. */
  attempts: number;
  /** No attempt before this (epoch ms): its backoff. */
  notBefore: number;
}

/**
 * The notifier's bookkeeping, without sockets or timers: a FIFO whose head
 * is the only notification that may be attempted, so notifications reach
 * the receiver in the order they were sent (per alert, and overall). At
 * most `maxQueued` wait (the one in flight not counted); beyond that the
 * oldest waiting one is dropped.
 */
export class DeliveryQueue {
  private items: PendingNotification[] = [];
  private current: PendingNotification | undefined;

  constructor(private readonly maxQueued: number) {}

  /** Waiting notifications, not counting the one in flight. */
  get queued(): number {
    return this.items.length - (this.current ? 1 : 0);
  }

  /** The one being attempted, if any. */
  get inFlight(): PendingNotification | undefined {
    return this.current;
  }

  /** The oldest notification: the next to attempt. */
  head(): PendingNotification | undefined {
    return this.items[0];
  }

  /** Adds one at the tail; returns the oldest waiting one if it had to make room. */
  push(item: PendingNotification): PendingNotification | undefined {
    this.items.push(item);
    if (this.queued <= this.maxQueued) return undefined;
    const index = this.items.findIndex((i) => i !== this.current);
    return this.items.splice(index, 1)[0];
  }

  /** Marks `item` as in flight (one at a time). */
  begin(item: PendingNotification): void {
    this.current = item;
  }

  /** Its attempt ended; it stays at the head unless removed. */
  end(item: PendingNotification): void {
    if (this.current === item) this.current = undefined;
  }

  /** Delivered or given up. */
  remove(item: PendingNotification): void {
    const index = this.items.indexOf(item);
    if (index >= 0) this.items.splice(index, 1);
    this.end(item);
  }

  /** Removes and returns the waiting notifications sent before `cutoff` (epoch ms). */
  removeOlderThan(cutoff: number): PendingNotification[] {
    const expired = this.items.filter((i) => i !== this.current && i.enqueuedAt < cutoff);
    if (expired.length > 0) {
      const gone = new Set(expired);
      this.items = this.items.filter((i) => !gone.has(i));
    }
    return expired;
  }
}
