/** One server message kept until the client acknowledges it. */
export interface OutboxEntry {
  /** Per-session sequence number. */
  readonly seq: number;
  /** Server-generated message id. */
  readonly id: string;
  /** The encoded frame, ready to (re)send. */
  readonly frame: string;
  /** When it was created (epoch ms); its TTL counts from here. */
  readonly createdAt: number;
  /** Channel, if any. */
  readonly channel: string | undefined;
  /** Frame size in bytes. */
  readonly size: number;
}

/** Limits of an `Outbox`. */
export interface OutboxOptions {
  /** Most un-acked messages held; one more evicts the oldest. */
  maxSize: number;
  /** Un-acked messages older than this are evicted. */
  ttlMillis: number;
}

/**
 * A session's un-acknowledged outbound messages in sequence order, kept to
 * replay on resume. Bounded by count and age; evicting the oldest means a
 * client that needs it cannot resume and must resync. Pure: no timers.
 */
export class Outbox {
  private entries: OutboxEntry[] = [];
  private readonly options: OutboxOptions;

  /** Creates an empty outbox. */
  constructor(options: OutboxOptions) {
    this.options = options;
  }

  /** Messages held. */
  get size(): number {
    return this.entries.length;
  }

  /** Lowest sequence number held, or undefined when empty. */
  get oldestSeq(): number | undefined {
    return this.entries[0]?.seq;
  }

  /** Appends `entry` (seq must grow); returns the entries evicted to stay within maxSize. */
  push(entry: OutboxEntry): OutboxEntry[] {
    this.entries.push(entry);
    const excess = this.entries.length - this.options.maxSize;
    return excess > 0 ? this.entries.splice(0, excess) : [];
  }

  /** Removes and returns the entries with seq <= `seq` (the client has them). */
  ackUpTo(seq: number): OutboxEntry[] {
    let count = 0;
    while (count < this.entries.length && (this.entries[count]?.seq ?? Infinity) <= seq) count++;
    return count > 0 ? this.entries.splice(0, count) : [];
  }

  /** The entries with seq > `seq`, in order (what a client at `seq` missed). */
  after(seq: number): OutboxEntry[] {
    return this.entries.filter((entry) => entry.seq > seq);
  }

  /** Removes and returns the entries whose TTL ran out at `now`. */
  takeExpired(now: number): OutboxEntry[] {
    let count = 0;
    while (count < this.entries.length && now - (this.entries[count]?.createdAt ?? now) >= this.options.ttlMillis) count++;
    return count > 0 ? this.entries.splice(0, count) : [];
  }

  /** Removes and returns every entry. */
  drain(): OutboxEntry[] {
    const all = this.entries;
    this.entries = [];
    return all;
  }
}
