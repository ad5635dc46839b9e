/** What to do with an arriving server message. */
export type SequenceVerdict =
  /** The next one in order: deliver it to the app. */
  | { kind: 'deliver' }
  /** Already delivered (seq <= last): discard it. */
  | { kind: 'duplicate' }
  /** Sequence numbers skipped: `expected` was due, `got` arrived. */
  | { kind: 'gap'; expected: number; got: number };

/**
 * Tracks the last server sequence number delivered to the app, so each
 * message is delivered once and in order. Pure: no I/O, no timers.
 */
export class InboundSequencer {
  private last = 0;

  /** Last sequence number delivered (0 = none). Sent in hello and in acks. */
  get lastSeq(): number {
    return this.last;
  }

  /** Classifies `seq`; on 'deliver' the sequencer has moved to it. */
  accept(seq: number): SequenceVerdict {
    if (seq <= this.last) return { kind: 'duplicate' };
    if (seq !== this.last + 1) return { kind: 'gap', expected: this.last + 1, got: seq };
    this.last = seq;
    return { kind: 'deliver' };
  }

  /** Restarts from `seq` (after a failed resume the server says where it is). */
  reset(seq: number): void {
    this.last = seq;
  }
}
