/**
 * When each label group first reported anything, remembered between
 * evaluation cycles. Finding it scans the group's whole per-minute history
 * (the slowest read of an anomaly rule during a storm), yet it only moves
 * when old history ages out, so an hour-old answer is as good as a new one.
 */
export class FirstSeenCache {
  private readonly entries = new Map<string, { firstSeenSeconds: number; checkedAt: number }>();

  constructor(
    private readonly ttlMillis = 3_600_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The remembered first-seen time (epoch seconds), or undefined when unknown or stale. */
  get(key: string, now: number): number | undefined {
    const entry = this.entries.get(key);
    if (!entry || now - entry.checkedAt > this.ttlMillis || now < entry.checkedAt) return undefined;
    return entry.firstSeenSeconds;
  }

  set(key: string, firstSeenSeconds: number, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { firstSeenSeconds, checkedAt: now });
    // Bounded: the oldest answers go first.
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
