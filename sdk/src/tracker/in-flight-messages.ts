/**
 * A connection's unfinished messages by id, so that `message(id)` returns
 * the same journey on every call (an ack matcher can find it by id, a retry
 * after a reconnect keeps the first send time). Bounded: once `capacity`
 * messages are in flight, adding one forgets the oldest, so a host that
 * never acks cannot grow memory without limit. A forgotten journey still
 * works through a handle the host holds; it just cannot be found by id.
 */
export class InFlightMessages<T> {
  private readonly byId = new Map<string, T>();

  /** @param capacity Most messages kept; the oldest is forgotten beyond it. */
  constructor(private readonly capacity: number) {}

  /** Messages currently kept. */
  get size(): number {
    return this.byId.size;
  }

  /** The unfinished message with this id, if kept. */
  get(messageId: string): T | undefined {
    return this.byId.get(messageId);
  }

  /** Keeps a message, forgetting the oldest when full. */
  add(messageId: string, message: T): void {
    if (this.byId.size >= this.capacity && !this.byId.has(messageId)) {
      const oldest = this.byId.keys().next();
      if (!oldest.done) this.byId.delete(oldest.value);
    }
    this.byId.set(messageId, message);
  }

  /** Forgets a finished message (only if it is still the one kept under its id). */
  remove(messageId: string, message: T): void {
    if (this.byId.get(messageId) === message) this.byId.delete(messageId);
  }

  /** Forgets everything. */
  clear(): void {
    this.byId.clear();
  }
}
