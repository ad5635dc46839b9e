import type { Socket } from 'node:net';

/** What travels through a pipe: bytes, then possibly a half-close, then possibly a hard close. */
type Item = Buffer | 'end' | 'destroy';

/** Share of the base delay each chunk may randomly add, so links are not metronomes. */
const CHUNK_JITTER_RATIO = 0.1;

/**
 * One direction of a proxied TCP connection with a propagation delay:
 * every chunk, half-close ('end') and close ('destroy') reaches the
 * target `delayMillis` (± a little jitter) after it was pushed, and never
 * before anything pushed earlier, so the byte stream keeps its order. A
 * WebSocket close frame therefore always arrives before the FIN behind it.
 * One timer per direction at most; nothing is buffered once the target is
 * gone.
 */
export class DelayedPipe {
  private readonly items: Item[] = [];
  private readonly dueAt: number[] = [];
  private head = 0;
  private lastDue = 0;
  private timer: NodeJS.Timeout | undefined;
  private discarded = false;

  /**
   * @param target the socket bytes are written to
   * @param delayMillis the one-way delay of this direction
   */
  constructor(
    private readonly target: Socket,
    private readonly delayMillis: number,
  ) {}

  /** Bytes waiting to be delivered. */
  get pending(): number {
    return this.items.length - this.head;
  }

  /** Queues a chunk for delivery. */
  push(chunk: Buffer): void {
    this.enqueue(chunk);
  }

  /** Queues a half-close (FIN) after everything pushed so far. */
  end(): void {
    this.enqueue('end');
  }

  /** Queues a hard close after everything pushed so far. */
  destroy(): void {
    this.enqueue('destroy');
  }

  /** Forgets everything queued and ignores later pushes (the link is dead). */
  discard(): void {
    this.discarded = true;
    this.items.length = 0;
    this.dueAt.length = 0;
    this.head = 0;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private enqueue(item: Item): void {
    if (this.discarded || this.target.destroyed) return;
    const now = Date.now();
    const jitter = this.delayMillis * CHUNK_JITTER_RATIO * (Math.random() * 2 - 1);
    const due = Math.max(this.lastDue, now + this.delayMillis + jitter);
    this.lastDue = due;
    this.items.push(item);
    this.dueAt.push(due);
    if (this.timer === undefined) this.schedule(due - now);
  }

  private schedule(inMillis: number): void {
    this.timer = setTimeout(() => this.deliver(), Math.max(0, inMillis));
  }

  private deliver(): void {
    this.timer = undefined;
    const now = Date.now();
    const target = this.target;
    while (this.head < this.items.length) {
      const due = this.dueAt[this.head]!;
      if (due > now + 1) {
        this.compact();
        this.schedule(due - now);
        return;
      }
      const item = this.items[this.head]!;
      this.head += 1;
      if (target.destroyed) continue;
      if (item === 'end') target.end();
      else if (item === 'destroy') target.destroy();
      else target.write(item);
    }
    this.items.length = 0;
    this.dueAt.length = 0;
    this.head = 0;
  }

  /** Drops delivered entries once they are the bulk of the arrays. */
  private compact(): void {
    if (this.head < 256 || this.head * 2 < this.items.length) return;
    this.items.splice(0, this.head);
    this.dueAt.splice(0, this.head);
    this.head = 0;
  }
}
