import { LruSet } from './lru-set.js';
import { Outbox, type OutboxOptions } from './outbox.js';

/** Limits a new session is created with. */
export interface SessionLimits extends OutboxOptions {
  /** Client message ids remembered for de-duplication. */
  dedupWindowSize: number;
}

/** The server-side state of one client session; it outlives connections. */
export class Session {
  /** The client's session id. */
  readonly id: string;
  /** Last sequence number assigned to an outbound message (0 = none). */
  seq = 0;
  /** Highest sequence number the client acknowledged. */
  ackedSeq = 0;
  /** Un-acked outbound messages, for replay on resume. */
  readonly outbox: Outbox;
  /** Recently seen client message ids. */
  readonly seenIds: LruSet;
  /** When a connection of the session was last active (epoch ms); idle expiry counts from here. */
  lastActiveAt: number;

  /** Creates an empty session. */
  constructor(id: string, limits: SessionLimits, now: number) {
    this.id = id;
    this.outbox = new Outbox({ maxSize: limits.maxSize, ttlMillis: limits.ttlMillis });
    this.seenIds = new LruSet(limits.dedupWindowSize);
    this.lastActiveAt = now;
  }
}

/**
 * Sessions by id, in memory. A `ResilientServer` creates its own; pass the
 * same store to a new server to keep sessions across a listener restart
 * (a hot restart in one process, or tests). Sharing sessions between
 * processes needs an external store and is out of scope.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  /** Sessions held. */
  get size(): number {
    return this.sessions.size;
  }

  /** The session with this id, if any. */
  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Creates (or replaces) the session `id`. */
  create(id: string, limits: SessionLimits, now: number): Session {
    const session = new Session(id, limits, now);
    this.sessions.set(id, session);
    return session;
  }

  /** Forgets the session `id`. */
  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Every session (a snapshot, safe to mutate the store while iterating). */
  values(): Session[] {
    return [...this.sessions.values()];
  }
}
