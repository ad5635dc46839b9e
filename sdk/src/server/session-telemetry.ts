import type { DropReason } from '@tunnelvision/semconv';
import { connectionHandleOf } from '../tracker/noop-handles.js';
import type { ConnectionHandle, MessageHandle, Tracker } from '../tracker/tracker-types.js';
import type { OutboxEntry } from './outbox.js';

/** The telemetry of one session: its connection handle and its outbox messages' handles. */
interface SessionHandles {
  readonly connection: ConnectionHandle;
  /** Outbound message handles by sequence number (only for messages in the outbox). */
  readonly messages: Map<number, MessageHandle>;
}

/**
 * What a `ResilientServer` reports, per session: one ConnectionHandle per
 * session, living as long as the session in this process (each physical
 * connection is an opening()), and a MessageHandle per outbox message
 * until it leaves the outbox acked or dropped.
 */
export class SessionTelemetry {
  private readonly sessions = new Map<string, SessionHandles>();
  private readonly tracker: Tracker | undefined;
  private readonly serverAddress: string;

  /** Reports to `tracker` (none: nothing is reported), with `serverAddress` on every event. */
  constructor(tracker: Tracker | undefined, serverAddress: string) {
    this.tracker = tracker;
    this.serverAddress = serverAddress;
  }

  /** The session's connection handle, created on first use. */
  connection(sessionId: string): ConnectionHandle {
    return this.handles(sessionId).connection;
  }

  /** The handle of outbox message `entry`, created on first use. */
  message(sessionId: string, entry: OutboxEntry): MessageHandle {
    const { connection, messages } = this.handles(sessionId);
    let handle = messages.get(entry.seq);
    if (handle === undefined) {
      handle = connection.message(entry.id, {
        seq: entry.seq,
        size: entry.size,
        ...(entry.channel === undefined ? {} : { channel: entry.channel }),
      });
      messages.set(entry.seq, handle);
    }
    return handle;
  }

  /** `entries` left the outbox because the client acknowledged them. */
  acked(sessionId: string, entries: readonly OutboxEntry[]): void {
    const { messages } = this.handles(sessionId);
    for (const entry of entries) {
      const handle = messages.get(entry.seq);
      messages.delete(entry.seq);
      handle?.acked();
    }
  }

  /** `entry` left the outbox without an ack. */
  dropped(sessionId: string, entry: OutboxEntry, reason: DropReason): void {
    const { connection, messages } = this.handles(sessionId);
    const handle = messages.get(entry.seq);
    messages.delete(entry.seq);
    (handle ?? connection.message(entry.id, { seq: entry.seq })).dropped(reason);
  }

  /** The session expired: its handle is disposed. */
  forget(sessionId: string): void {
    this.sessions.get(sessionId)?.connection.dispose();
    this.sessions.delete(sessionId);
  }

  /** The server stopped: every handle is disposed. */
  disposeAll(): void {
    for (const { connection } of this.sessions.values()) connection.dispose();
    this.sessions.clear();
  }

  private handles(sessionId: string): SessionHandles {
    let handles = this.sessions.get(sessionId);
    if (handles === undefined) {
      handles = {
        connection: connectionHandleOf(this.tracker, { serverAddress: this.serverAddress, sessionId, trackAtRisk: false }),
        messages: new Map(),
      };
      this.sessions.set(sessionId, handles);
    }
    return handles;
  }
}
