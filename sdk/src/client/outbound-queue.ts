/** What the outbound queue needs to know about an entry. */
export interface QueuedItem {
  /** When the app handed the message over (epoch ms); its TTL counts from here. */
  readonly createdAt: number;
}

/** Sizes and lifetimes of an `OutboundQueue`. */
export interface OutboundQueueOptions {
  /** Most entries held; adding one more evicts the oldest. */
  maxSize: number;
  /** Entries older than this (since createdAt) expire. */
  ttlMillis: number;
}

/**
 * The bounded FIFO of messages waiting for a connection. When full, the
 * OLDEST entry is evicted to make room: in a real-time app the newest state
 * is the most useful, and the caller reports the eviction as
 * `queue_full`. Pure data structure: no timers, the caller passes the time.
 */
export class OutboundQueue<T extends QueuedItem> {
  private items: T[] = [];
  private readonly options: OutboundQueueOptions;

  /** Creates an empty queue. */
  constructor(options: OutboundQueueOptions) {
    this.options = options;
  }

  /** Entries waiting. */
  get size(): number {
    return this.items.length;
  }

  /** Appends an entry; returns the entries evicted to make room (oldest first). */
  push(item: T): T[] {
    this.items.push(item);
    return this.trim();
  }

  /**
   * Puts entries back at the front, in the given order (messages that were
   * in flight when the connection dropped go before the ones never sent).
   * Returns the entries evicted to stay within maxSize (oldest first).
   */
  prepend(items: readonly T[]): T[] {
    if (items.length === 0) return [];
    this.items = [...items, ...this.items];
    return this.trim();
  }

  /** Removes and returns the first entry. */
  shift(): T | undefined {
    return this.items.shift();
  }

  /** Removes and returns every entry whose TTL has run out at `now`. */
  takeExpired(now: number): T[] {
    const expired: T[] = [];
    const kept: T[] = [];
    for (const item of this.items) {
      if (now - item.createdAt >= this.options.ttlMillis) expired.push(item);
      else kept.push(item);
    }
    if (expired.length > 0) this.items = kept;
    return expired;
  }

  /** When the next entry expires (epoch ms), or undefined when empty. */
  nextExpiryAt(): number | undefined {
    let oldest: number | undefined;
    for (const item of this.items) {
      if (oldest === undefined || item.createdAt < oldest) oldest = item.createdAt;
    }
    return oldest === undefined ? undefined : oldest + this.options.ttlMillis;
  }

  /** Removes and returns every entry. */
  drain(): T[] {
    const all = this.items;
    this.items = [];
    return all;
  }

  private trim(): T[] {
    const excess = this.items.length - this.options.maxSize;
    return excess > 0 ? this.items.splice(0, excess) : [];
  }
}
