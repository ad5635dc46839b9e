/**
 * A first-in first-out queue with a fixed capacity (a ring buffer). When it
 * is full, adding drops the oldest item and counts it, so a page that cannot
 * reach its collector keeps its newest telemetry in bounded memory.
 */
export interface BoundedQueue<T> {
  /** Items held now. */
  readonly size: number;
  /** Items dropped so far because the queue was full. */
  readonly dropped: number;
  /** Adds an item, dropping the oldest when full. */
  push(item: T): void;
  /** Removes and returns up to `max` of the oldest items. */
  take(max: number): T[];
}

/** Creates a queue holding at most `capacity` (at least 1) items. */
export function createBoundedQueue<T>(capacity: number): BoundedQueue<T> {
  const slots: (T | undefined)[] = new Array<T | undefined>(Math.max(1, capacity));
  let head = 0;
  let size = 0;
  let dropped = 0;
  return {
    get size() {
      return size;
    },
    get dropped() {
      return dropped;
    },
    push(item) {
      if (size === slots.length) {
        head = (head + 1) % slots.length;
        size--;
        dropped++;
      }
      slots[(head + size) % slots.length] = item;
      size++;
    },
    take(max) {
      const out: T[] = [];
      while (size > 0 && out.length < max) {
        out.push(slots[head] as T);
        slots[head] = undefined;
        head = (head + 1) % slots.length;
        size--;
      }
      return out;
    },
  };
}
