/**
 * A set of strings that keeps only the `capacity` most recently seen; the
 * least recently seen falls out first. Used to de-duplicate client message
 * ids per session without unbounded memory.
 */
export class LruSet {
  private readonly entries = new Set<string>();
  private readonly capacity: number;

  /** Creates an empty set holding at most `capacity` entries. */
  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** Entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether `value` was seen recently; a hit counts as a new sighting. */
  has(value: string): boolean {
    if (!this.entries.has(value)) return false;
    this.entries.delete(value);
    this.entries.add(value);
    return true;
  }

  /** Records `value`, evicting the least recently seen entry when full. */
  add(value: string): void {
    this.entries.delete(value);
    this.entries.add(value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.values().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
