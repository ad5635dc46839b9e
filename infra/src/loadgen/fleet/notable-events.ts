/** A client message that was given up on: what support would look up. */
export interface DroppedMessage {
  /** tv.message.id: look it up with /api/v1/timeline?message_id=. */
  messageId: string;
  /** Why (queue_full, ttl_expired, attempts_exhausted, ...). */
  reason: string;
  /** The client's session.id. */
  sessionId: string;
  /** service.name of the client's fleet. */
  service: string;
  /** Whether the client was in the tunnel cohort. */
  tunnel: boolean;
  /** When, epoch ms. */
  at: number;
}

/** Entries each list keeps (the newest). */
const KEEP = 200;

/**
 * The few individual things worth pointing at after a scenario: recent
 * dropped messages, and tunnel sessions whose queued messages were
 * replayed on reconnect. Bounded: only the newest entries are kept.
 */
export class NotableEvents {
  private readonly drops: DroppedMessage[] = [];
  private readonly replays: string[] = [];

  /** Records a dropped message. */
  dropped(entry: DroppedMessage): void {
    this.drops.push(entry);
    if (this.drops.length > KEEP) this.drops.shift();
  }

  /** Records a session that replayed queued messages after reconnecting. */
  replayed(sessionId: string): void {
    if (this.replays.includes(sessionId)) return;
    this.replays.push(sessionId);
    if (this.replays.length > KEEP) this.replays.shift();
  }

  /** Recent drops, oldest first. */
  recentDrops(): DroppedMessage[] {
    return [...this.drops];
  }

  /** Recent replaying sessions, oldest first. */
  replayedSessions(): string[] {
    return [...this.replays];
  }
}
