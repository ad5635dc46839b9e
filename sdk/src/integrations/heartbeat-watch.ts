import type { ConnectionHandle } from '../tracker/tracker-types.js';

/**
 * Turns the ping / pong traffic an app drives itself into heartbeat
 * telemetry: a pong times the round trip since the ping it answers
 * (tv.heartbeat.rtt); a ping sent while the previous one is still
 * unanswered, or a terminate() while one is, is a missed heartbeat
 * (conn.heartbeat.missed). That is the usual `ws` liveness pattern
 * (ping, then terminate() at the next tick if no pong came); graphql-ws's
 * keepAlive reports its pings and pongs the same way.
 */
export class HeartbeatWatch {
  private pingAt: number | undefined;
  private missedInARow = 0;

  constructor(
    private readonly handle: ConnectionHandle,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Consecutive pings that went unanswered (0 after a pong). */
  get missed(): number {
    return this.missedInARow;
  }

  pingSent(): void {
    if (this.pingAt !== undefined) this.miss();
    this.pingAt = this.now();
  }

  pongReceived(): void {
    if (this.pingAt === undefined) return;
    this.handle.heartbeat(this.now() - this.pingAt);
    this.pingAt = undefined;
    this.missedInARow = 0;
  }

  /** The app is cutting the connection: an unanswered ping counts as missed. */
  terminating(): void {
    if (this.pingAt === undefined) return;
    this.pingAt = undefined;
    this.miss();
  }

  /** The connection is gone: a ping still out belongs to it, not to the next one. */
  reset(): void {
    this.pingAt = undefined;
    this.missedInARow = 0;
  }

  private miss(): void {
    this.missedInARow++;
    this.handle.heartbeatMissed(this.missedInARow);
  }
}
