import { encodeFrame, type ServerMessageFrame } from '../protocol/frames.js';
import { unrefTimeout, type TimerHandle } from '../shared/unref-timers.js';
import type { ConnectionHandle } from '../tracker/tracker-types.js';
import { InboundSequencer } from './inbound-sequencer.js';
import type { ResilientMessageEvent } from './resilient-web-socket-events.js';

/** What an `InboundDelivery` needs from the client it serves. */
export interface InboundDeliveryHost {
  /** Writes one frame to the current socket; false when it could not. */
  write(frame: string): boolean;
  /** Hands a server message to the app. */
  deliver(message: ResilientMessageEvent): void;
  /** Sequence numbers skipped: only a resume from lastSeq can bring the missing ones back. */
  gap(): void;
}

/** The number of delivered server messages after which a cumulative ack goes out at once. */
const ACK_BATCH_SIZE = 32;

/**
 * The client's side of server messages: each delivered to the app once and
 * in sequence order, duplicates discarded, a gap reported, and delivery
 * acknowledged with batched cumulative acks (the hello's lastSeq
 * acknowledges everything up to it too).
 */
export class InboundDelivery {
  private readonly sequencer = new InboundSequencer();
  private readonly ackBatchDelayMillis: number;
  private readonly handle: ConnectionHandle;
  private readonly host: InboundDeliveryHost;
  private lastAckedSeq = 0;
  private unackedDeliveries = 0;
  private ackTimer: TimerHandle | undefined;

  /** Starts with nothing delivered; acks wait up to `ackBatchDelayMillis` to batch (0 acks each at once). */
  constructor(ackBatchDelayMillis: number, handle: ConnectionHandle, host: InboundDeliveryHost) {
    this.ackBatchDelayMillis = ackBatchDelayMillis;
    this.handle = handle;
    this.host = host;
  }

  /** Last sequence number delivered to the app (0 = none). */
  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  /** Sends the hello of session `sessionId`; its lastSeq acknowledges everything up to it. */
  hello(sessionId: string): void {
    const seq = this.sequencer.lastSeq;
    if (this.host.write(encodeFrame({ t: 'hello', sid: sessionId, lastSeq: seq }))) this.lastAckedSeq = seq;
  }

  /** The server could not resume: delivery continues after its `seq`. */
  resetTo(seq: number): void {
    this.sequencer.reset(seq);
    this.lastAckedSeq = seq;
  }

  /** A server message arrived: delivers it, discards a duplicate, or reports a gap. */
  receive(frame: ServerMessageFrame): void {
    const verdict = this.sequencer.accept(frame.seq);
    const info = frame.ch === undefined ? { seq: frame.seq } : { seq: frame.seq, channel: frame.ch };
    switch (verdict.kind) {
      case 'duplicate':
        this.handle.duplicate(frame.id, info);
        this.scheduleAck(true);
        return;
      case 'gap':
        this.handle.gap(verdict.expected, verdict.got);
        this.host.gap();
        return;
      case 'deliver':
        this.handle.received(frame.id, info);
        this.host.deliver(
          frame.ch === undefined
            ? { body: frame.body, seq: frame.seq, id: frame.id }
            : { body: frame.body, seq: frame.seq, id: frame.id, channel: frame.ch },
        );
        this.scheduleAck(false);
        return;
    }
  }

  /** Sends the cumulative ack if it moved (or always, when `force`: a duplicate means the server missed one). */
  flushAck(force = false): void {
    this.forgetBatch();
    const seq = this.sequencer.lastSeq;
    if (seq === 0 || (!force && seq === this.lastAckedSeq)) return;
    if (this.host.write(encodeFrame({ t: 'ack', seq }))) this.lastAckedSeq = seq;
  }

  /** The socket is gone: the batch waiting for its ack is left to the next hello. */
  forgetBatch(): void {
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.unackedDeliveries = 0;
  }

  /** Batches cumulative acks: at once after ACK_BATCH_SIZE deliveries (or a duplicate), else after ackBatchDelayMillis. */
  private scheduleAck(now: boolean): void {
    this.unackedDeliveries += 1;
    if (now || this.unackedDeliveries >= ACK_BATCH_SIZE || this.ackBatchDelayMillis === 0) {
      this.flushAck(now);
      return;
    }
    this.ackTimer ??= unrefTimeout(() => {
      this.ackTimer = undefined;
      this.flushAck();
    }, this.ackBatchDelayMillis);
  }
}
