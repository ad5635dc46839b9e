/**
 * Counts failed logins per user name and per client address in a sliding
 * window; once a name has maxFailures in the window (an address, which may
 * be a whole office behind one NAT, four times as many), further attempts
 * are refused until the oldest failure leaves it. Counted in this process
 * only.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMillis = 15 * 60_000,
  ) {}

  /** Seconds to wait before another attempt by this name or from this address; 0 when one may try now. */
  retryAfterSeconds(username: string, address: string, now = Date.now()): number {
    const wait = Math.max(this.waitFor(`user:${username.toLowerCase()}`, this.maxFailures, now), this.waitFor(`addr:${address}`, 4 * this.maxFailures, now));
    return Math.ceil(wait / 1000);
  }

  failed(username: string, address: string, now = Date.now()): void {
    for (const key of [`user:${username.toLowerCase()}`, `addr:${address}`]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times);
    }
    if (this.failures.size > 100_000) this.sweep(now);
  }

  /** A successful login clears the name's failures (not the address's: one address may be guessing many names). */
  succeeded(username: string): void {
    this.failures.delete(`user:${username.toLowerCase()}`);
  }

  private waitFor(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length < limit) return 0;
    return times[times.length - limit]! + this.windowMillis - now;
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMillis);
  }

  private sweep(now: number): void {
    for (const [key, times] of this.failures) if (times.every((t) => now - t >= this.windowMillis)) this.failures.delete(key);
  }
}
