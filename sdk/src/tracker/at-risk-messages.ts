import { unrefTimeout, type TimerHandle } from '../shared/unref-timers.js';
import type { MessageTracker } from './message-tracker.js';

/** Messages held at risk per tracker; beyond it the oldest is dropped at once. */
const MAX_AT_RISK = 10_000;

/**
 * Messages sent but not acked when their connection ended, tracker-wide,
 * keyed by session and message id: a later connection of the session that
 * sends the same id again takes the journey back (msg.replayed); one that
 * stays here `timeoutMillis` is dropped with reason connection_lost. One
 * unref'd timer serves them all (deadlines come in insertion order).
 */
export class AtRiskMessages {
  readonly #messages = new Map<string, MessageTracker>();
  #timer: TimerHandle | undefined;
  readonly #timeoutMillis: number;

  constructor(timeoutMillis: number) {
    this.#timeoutMillis = timeoutMillis;
  }

  /** Whether no message is at risk: lets a new message skip building its key. */
  get empty(): boolean {
    return this.#messages.size === 0;
  }

  /** `message`'s connection ended before its ack: it is at risk from now. */
  add(key: string, message: MessageTracker): void {
    this.#messages.delete(key);
    if (this.#messages.size >= MAX_AT_RISK) this.#expire(this.#messages.keys().next().value as string);
    message.riskKey = key;
    message.riskUntil = Date.now() + this.#timeoutMillis;
    this.#messages.set(key, message);
    this.#schedule();
  }

  /** The journey at risk under `key`, taken out (no longer at risk), or undefined. */
  take(key: string): MessageTracker | undefined {
    const message = this.#messages.get(key);
    if (message) this.remove(message);
    return message;
  }

  /** `message` was resent, acked or dropped: it is no longer at risk. */
  remove(message: MessageTracker): void {
    const key = message.riskKey;
    if (key === undefined) return;
    message.riskKey = undefined;
    if (this.#messages.get(key) === message) this.#messages.delete(key);
  }

  #expire(key: string): void {
    const message = this.#messages.get(key);
    this.#messages.delete(key);
    if (!message) return;
    message.riskKey = undefined;
    message.dropped('connection_lost');
  }

  #schedule(): void {
    const first = this.#messages.values().next().value;
    if (this.#timer !== undefined || !first) return;
    this.#timer = unrefTimeout(() => {
      this.#timer = undefined;
      for (const [key, message] of this.#messages) {
        if (message.riskUntil > Date.now()) break;
        this.#expire(key);
      }
      this.#schedule();
    }, Math.max(0, first.riskUntil - Date.now()));
  }
}
