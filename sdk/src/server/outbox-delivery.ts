import { encodeFrame, type ServerFrame } from '../protocol/frames.js';
import { utf8ByteLength } from '../protocol/utf8-byte-length.js';
import { randomId } from '../shared/random-id.js';
import type { OutboxEntry } from './outbox.js';
import type { ServerConnection } from './server-connection.js';
import type { Session } from './session-store.js';
import type { SessionTelemetry } from './session-telemetry.js';

/**
 * Server messages through a session's outbox: each gets the session's next
 * sequence number, goes out at once when the session is connected, and
 * stays until the client acknowledges it, to be replayed on resume. The
 * outbox evicts the oldest when full (outbox_full) and what outlives its TTL
 * (ttl_expired); each message's journey goes to the session's telemetry.
 */
export class OutboxDelivery {
  private readonly telemetry: SessionTelemetry;

  /** Reports message journeys to `telemetry`. */
  constructor(telemetry: SessionTelemetry) {
    this.telemetry = telemetry;
  }

  /** Sends `body` to `session`, over `connection` when one is attached; its id, or undefined when it cannot be serialized. */
  send(session: Session, connection: ServerConnection | undefined, body: unknown, channel: string | undefined): string | undefined {
    const id = randomId();
    const seq = session.seq + 1;
    let frame: string;
    try {
      const message: ServerFrame = { t: 'msg', seq, id, body: body === undefined ? null : body, ...(channel === undefined ? {} : { ch: channel }) };
      frame = encodeFrame(message);
    } catch {
      return undefined;
    }
    session.seq = seq;
    const entry: OutboxEntry = { seq, id, frame, createdAt: Date.now(), channel, size: utf8ByteLength(frame) };
    const handle = this.telemetry.message(session.id, entry);
    const evicted = session.outbox.push(entry);
    if (connection !== undefined && connection.sendText(frame)) handle.sent();
    else handle.queued(session.outbox.size);
    for (const old of evicted) this.telemetry.dropped(session.id, old, 'outbox_full');
    return id;
  }

  /**
   * A client that has everything up to `lastSeq` attached `connection`:
   * a welcome and the messages it missed, or, when the outbox no longer
   * holds them (or the client claims more than was sent), a resume-failed
   * and an empty outbox. Returns how many were replayed; undefined when the
   * resume failed.
   */
  resume(session: Session, connection: ServerConnection, lastSeq: number): number | undefined {
    const oldestAvailable = session.outbox.oldestSeq ?? session.seq + 1;
    if (lastSeq > session.seq || lastSeq + 1 < oldestAvailable) {
      for (const entry of session.outbox.drain()) this.telemetry.dropped(session.id, entry, 'resume_failed');
      session.ackedSeq = session.seq;
      connection.send({ t: 'resume-failed', sid: session.id, seq: session.seq });
      return undefined;
    }
    this.acknowledge(session, lastSeq);
    const missed = session.outbox.after(lastSeq);
    connection.send({ t: 'welcome', sid: session.id, replay: missed.length });
    for (const entry of missed) {
      this.telemetry.message(session.id, entry).replayed();
      connection.sendText(entry.frame);
    }
    return missed.length;
  }

  /** The client has everything up to `seq`: those messages leave the outbox as acked. */
  acknowledge(session: Session, seq: number): void {
    if (seq > session.ackedSeq) session.ackedSeq = seq;
    this.telemetry.acked(session.id, session.outbox.ackUpTo(seq));
  }

  /** Drops the messages whose TTL ran out at `now`. */
  expire(session: Session, now: number): void {
    for (const entry of session.outbox.takeExpired(now)) this.telemetry.dropped(session.id, entry, 'ttl_expired');
  }

  /** The session is forgotten: what is left in its outbox will never be delivered. */
  abandon(session: Session): void {
    for (const entry of session.outbox.drain()) this.telemetry.dropped(session.id, entry, 'ttl_expired');
  }
}
