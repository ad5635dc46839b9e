import type { AlertNotificationBody } from '../../api-types.js';
import { ConfigError } from '../../errors.js';
import { DeliveryQueue, type PendingNotification } from './delivery-queue.js';
import { judgeAttempt, retryDelayMillis } from './retry-policy.js';
import { formatSlackMessage } from './slack-message.js';
import { postWebhook, type AttemptResult } from './webhook-request.js';
import { SIGNATURE_HEADER, signWebhookBody } from './webhook-signature.js';

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Options of {@link WebhookNotifier}. */
export interface WebhookNotifierOptions {
  /** Where notifications are POSTed (ALERT_WEBHOOK_URL); http or https. Treated as a secret: only its origin is logged. */
  url: string;
  /** Key of the X-TunnelVision-Signature HMAC (ALERT_WEBHOOK_SECRET); undefined sends no signature. */
  secret: string | undefined;
  /** `generic`: the AlertNotificationBody as JSON; `slack`: a Slack incoming-webhook message (ALERT_WEBHOOK_FORMAT). */
  format: 'generic' | 'slack';
  /** One attempt (connect, request, response) ends after this long. Default 5000. */
  timeoutMillis?: number;
  /** Backoff ceiling after the first failure, doubled after each further one; the wait is a uniform draw below it (full jitter). Default 1000. */
  initialBackoffMillis?: number;
  /** Largest wait between attempts, Retry-After included. Default 60000. */
  maxBackoffMillis?: number;
  /** Attempts per notification before giving up. Default 12. */
  maxAttempts?: number;
  /** A notification not delivered this long after send() is given up. Default 3600000 (1 h). */
  maxAgeMillis?: number;
  /** Notifications held waiting (the one in flight not counted); when full, the oldest is dropped. Default 1000. */
  maxQueued?: number;
  /** The collector's log. Never receives the URL's path or the secret. */
  log: (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;
  /** Source of jitter in [0, 1); for tests. Default Math.random. */
  random?: () => number;
}

/** Counters of {@link WebhookNotifier.stats}. */
export interface WebhookNotifierStats {
  /** Waiting for their turn or their backoff (the one in flight not counted). */
  queued: number;
  /** 0 or 1: one attempt at a time. */
  inFlight: number;
  /** Notifications a receiver answered with 2xx. */
  delivered: number;
  /** Attempts that ended in a retryable failure (network, timeout, 408/425/429/5xx). */
  failedAttempts: number;
  /** Notifications abandoned: permanent 4xx, maxAttempts, maxAgeMillis, or not serialisable. */
  gaveUp: number;
  /** Notifications discarded unsent: the oldest when the queue was full, or sent after close(). */
  dropped: number;
  /** Why the last attempt or notification failed; null until one does. */
  lastError: string | null;
}

const DEFAULTS = {
  timeoutMillis: 5_000,
  initialBackoffMillis: 1_000,
  maxBackoffMillis: 60_000,
  maxAttempts: 12,
  maxAgeMillis: 60 * 60_000,
  maxQueued: 1_000,
} as const;

const DEFAULT_CLOSE_TIMEOUT_MILLIS = 5_000;
/** setTimeout's largest delay; anything longer fires at once. */
const MAX_TIMER_MILLIS = 2_147_483_647;
const USER_AGENT = 'TunnelVision-collector';
/** An Idempotency-Key must be a valid header value; the evaluator's are `<fingerprint>-<ms>:<status>:<n>`. */
const HEADER_SAFE = /^[\x21-\x7e]{1,512}$/;

type Settings = Required<Omit<WebhookNotifierOptions, 'secret'>> & { secret: string | undefined };

interface Attempt {
  item: PendingNotification;
  controller: AbortController;
  done: Promise<void>;
}

interface Closing {
  deadline: number;
  /** An attempt failed during shutdown: the receiver is failing, so the rest are not tried. */
  receiverFailing: boolean;
  drained: () => void;
}

/**
 * Delivers alert notifications to one webhook, in the background.
 *
 * send() only serialises, signs and queues. Delivery is one attempt at a
 * time, first in first out; the head waits out its backoff and nothing
 * overtakes it, so every alert's notifications (a page, its reminders, its
 * resolve) arrive in order. With one URL, a failure is almost always the
 * receiver's, not one notification's: waiting behind the head means a
 * down receiver sees one probe per backoff, and only the head spends its
 * attempts, instead of every queued page giving up at once. Memory is
 * bounded by maxQueued. Nothing here throws into the caller, every timer is
 * unref()ed, and no promise is left to reject unhandled.
 */
export class WebhookNotifier {
  private readonly settings: Settings;
  /** Scheme, host and port: what the log shows of the URL. */
  private readonly target: string;
  private readonly queue: DeliveryQueue;
  private current: Attempt | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private closing: Closing | undefined;
  private closed: Promise<void> | undefined;
  private readonly counters = { delivered: 0, failedAttempts: 0, gaveUp: 0, dropped: 0, lastError: null as string | null };

  /** Throws ConfigError for an explicitly bad option; never afterwards. */
  constructor(options: WebhookNotifierOptions) {
    this.settings = resolveSettings(options);
    this.target = new URL(this.settings.url).origin;
    this.queue = new DeliveryQueue(this.settings.maxQueued);
  }

  /** Queues one notification; returns at once, never throws, never blocks the caller. */
  send(body: AlertNotificationBody): void {
    try {
      this.enqueue(body);
    } catch (err) {
      // Only a bug could get here; the caller must not pay for it.
      this.counters.gaveUp += 1;
      this.fail('error', `could not queue an alert notification: ${errorMessage(err)}`, {});
    }
  }

  /** Counters for the status API and tests. */
  stats(): WebhookNotifierStats {
    return { queued: this.queue.queued, inFlight: this.current ? 1 : 0, ...this.counters };
  }

  /**
   * Stops retry timers and stops taking notifications; waits up to
   * `timeoutMillis` (default 5000) for the attempt in flight, then sends the
   * queued notifications once more, in order and backoff ignored, while time
   * is left and the receiver keeps answering (the first retryable failure
   * ends it). At the deadline the attempt in flight is aborted. Resolves,
   * never rejects; calling it again returns the same promise.
   */
  close(timeoutMillis: number = DEFAULT_CLOSE_TIMEOUT_MILLIS): Promise<void> {
    this.closed ??= this.shutDown(Number.isFinite(timeoutMillis) ? Math.max(0, timeoutMillis) : DEFAULT_CLOSE_TIMEOUT_MILLIS).catch((err: unknown) => {
      this.safeLog('error', `alert webhook close failed: ${errorMessage(err)}`);
    });
    return this.closed;
  }

  private enqueue(body: AlertNotificationBody): void {
    const key = body.idempotency_key;
    const fingerprint = typeof body.alert?.fingerprint === 'string' ? body.alert.fingerprint : '';
    if (this.closing) {
      this.counters.dropped += 1;
      this.safeLog('warn', 'alert webhook is closed; notification dropped', { webhook: this.target, idempotencyKey: key, fingerprint });
      return;
    }
    if (typeof key !== 'string' || !HEADER_SAFE.test(key)) {
      this.counters.gaveUp += 1;
      this.fail('error', 'alert notification not sent: its idempotency_key is not a valid header value', { fingerprint });
      return;
    }
    let payload: Uint8Array<ArrayBuffer>;
    try {
      const json = JSON.stringify(this.settings.format === 'slack' ? formatSlackMessage(body) : body);
      payload = new TextEncoder().encode(json);
    } catch (err) {
      this.counters.gaveUp += 1;
      this.fail('error', `alert notification not sent: could not serialise it: ${errorMessage(err)}`, { idempotencyKey: key, fingerprint });
      return;
    }
    const item: PendingNotification = {
      fingerprint,
      idempotencyKey: key,
      payload,
      // Signed once over the exact bytes sent, so every retry carries the same signature.
      signature: this.settings.secret === undefined ? undefined : signWebhookBody(payload, this.settings.secret),
      enqueuedAt: Date.now(),
      attempts: 0,
      notBefore: 0,
    };
    const dropped = this.queue.push(item);
    if (dropped) {
      this.counters.dropped += 1;
      this.safeLog('warn', `alert webhook queue is full (${this.settings.maxQueued}); dropped the oldest notification`, {
        webhook: this.target,
        idempotencyKey: dropped.idempotencyKey,
        fingerprint: dropped.fingerprint,
        attempts: dropped.attempts,
      });
    }
    this.pump();
  }

  /** Starts the next ready attempt, or sets the timer for when one will be ready. */
  private pump(): void {
    if (this.current) return;
    this.clearWakeTimer();
    const now = Date.now();
    for (const old of this.queue.removeOlderThan(now - this.settings.maxAgeMillis)) {
      this.giveUp(old, `not delivered within maxAgeMillis (${this.settings.maxAgeMillis} ms)`);
    }
    const head = this.queue.head();
    const closing = this.closing;
    if (closing) {
      // Shutting down: backoff ignored, one pass, while time is left and the receiver answers.
      if (!head || closing.receiverFailing || now >= closing.deadline) return closing.drained();
      return this.start(head, now);
    }
    if (!head) return;
    if (head.notBefore <= now) return this.start(head, now);
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      try {
        this.pump();
      } catch (err) {
        this.safeLog('error', `alert webhook scheduling failed: ${errorMessage(err)}`);
      }
    }, Math.min(MAX_TIMER_MILLIS, head.notBefore - now));
    this.wakeTimer.unref();
  }

  private start(item: PendingNotification, now: number): void {
    item.attempts += 1;
    this.queue.begin(item);
    const controller = new AbortController();
    const timeoutMillis = this.closing ? Math.max(1, Math.min(this.settings.timeoutMillis, this.closing.deadline - now)) : this.settings.timeoutMillis;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'idempotency-key': item.idempotencyKey,
    };
    if (item.signature) headers[SIGNATURE_HEADER] = item.signature;
    const done = postWebhook({ url: this.settings.url, payload: item.payload, headers, timeoutMillis, signal: controller.signal })
      .then(
        (result) => this.finish(item, result),
        // postWebhook does not reject; should it ever, the attempt counts as a network failure.
        (err: unknown) => this.finish(item, { kind: 'network-error', message: errorMessage(err) }),
      )
      .catch((err: unknown) => this.safeLog('error', `alert webhook delivery loop failed: ${errorMessage(err)}`));
    this.current = { item, controller, done };
  }

  private finish(item: PendingNotification, result: AttemptResult): void {
    this.current = undefined;
    this.queue.end(item);
    try {
      this.settle(item, result);
    } finally {
      this.pump();
    }
  }

  private settle(item: PendingNotification, result: AttemptResult): void {
    const verdict = judgeAttempt(result, Date.now());
    const fields = { webhook: this.target, idempotencyKey: item.idempotencyKey, fingerprint: item.fingerprint, attempt: item.attempts };
    if (verdict.action === 'delivered') {
      this.queue.remove(item);
      this.counters.delivered += 1;
      this.safeLog(item.attempts > 1 ? 'info' : 'debug', `alert notification delivered${item.attempts > 1 ? ` after ${item.attempts} attempts` : ''}`, {
        ...fields,
        status: result.kind === 'response' ? result.status : undefined,
      });
      return;
    }
    if (verdict.action === 'give-up') return this.giveUp(item, verdict.reason, result.kind === 'response' ? { status: result.status } : {});

    this.counters.failedAttempts += 1;
    this.counters.lastError = verdict.reason;
    if (this.closing) {
      this.closing.receiverFailing = true;
      this.safeLog('warn', `alert webhook attempt failed during shutdown, not trying the rest: ${verdict.reason}`, fields);
      return;
    }
    if (item.attempts >= this.settings.maxAttempts) return this.giveUp(item, `${verdict.reason} (attempt ${item.attempts} of ${this.settings.maxAttempts})`);
    const now = Date.now();
    const delay = retryDelayMillis(item.attempts, verdict.minDelayMillis, this.settings, this.settings.random);
    if (now + delay - item.enqueuedAt > this.settings.maxAgeMillis) {
      return this.giveUp(item, `${verdict.reason}; the next attempt would be past maxAgeMillis (${this.settings.maxAgeMillis} ms)`);
    }
    item.notBefore = now + delay;
    this.safeLog('warn', `alert webhook attempt failed, retrying in ${delay} ms: ${verdict.reason}`, {
      ...fields,
      maxAttempts: this.settings.maxAttempts,
      retryInMillis: delay,
      waiting: this.queue.queued - 1,
    });
  }

  private giveUp(item: PendingNotification, reason: string, extra: Record<string, unknown> = {}): void {
    this.queue.remove(item);
    this.counters.gaveUp += 1;
    this.counters.lastError = reason;
    this.safeLog('error', `alert notification not delivered, giving up: ${reason}`, {
      webhook: this.target,
      idempotencyKey: item.idempotencyKey,
      fingerprint: item.fingerprint,
      attempts: item.attempts,
      ...extra,
    });
  }

  private async shutDown(timeoutMillis: number): Promise<void> {
    this.clearWakeTimer();
    const deadline = Date.now() + timeoutMillis;
    const drained = new Promise<'drained'>((resolve) => {
      this.closing = { deadline, receiverFailing: false, drained: () => resolve('drained') };
    });
    // Deliberately not unref()ed: the caller is awaiting close() and the wait is bounded.
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), timeoutMillis);
    });
    this.pump();
    const outcome = await Promise.race([drained, expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      this.closing = { deadline, receiverFailing: true, drained: () => undefined };
      const attempt = this.current;
      if (attempt) {
        attempt.controller.abort();
        await attempt.done;
      }
    }
    const left = this.queue.queued + (this.current ? 1 : 0);
    if (left > 0) {
      this.safeLog('warn', `alert webhook closed with ${left} notification(s) undelivered`, { webhook: this.target, lastError: this.counters.lastError });
    }
  }

  private clearWakeTimer(): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
  }

  private fail(level: LogLevel, message: string, fields: Record<string, unknown>): void {
    this.counters.lastError = message;
    this.safeLog(level, message, fields);
  }

  /** A throwing log function must not break delivery or reach the caller. */
  private safeLog(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    try {
      this.settings.log(level, message, fields);
    } catch {
      // nothing sensible to do: the log is the only place to report it
    }
  }
}

/** Defaults filled in and every option checked; an explicit bad value throws ConfigError. */
function resolveSettings(options: WebhookNotifierOptions): Settings {
  const problems: string[] = [];
  let url: URL | undefined;
  try {
    url = new URL(options.url);
  } catch {
    // reported below
  }
  // The URL itself is not echoed: a Slack webhook URL is a credential.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) problems.push('ALERT_WEBHOOK_URL (url) must be an http:// or https:// URL');
  if (options.secret === '') problems.push('ALERT_WEBHOOK_SECRET (secret) is empty: unset it to send unsigned notifications, or set a key');
  if (options.format !== 'generic' && options.format !== 'slack') problems.push(`ALERT_WEBHOOK_FORMAT (format) must be "generic" or "slack", got ${JSON.stringify(options.format)}`);
  if (typeof options.log !== 'function') problems.push('log must be a function');
  if (options.random !== undefined && typeof options.random !== 'function') problems.push('random must be a function');
  const int = (name: keyof typeof DEFAULTS, min: number, max: number): number => {
    const value = options[name];
    if (value === undefined) return DEFAULTS[name];
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be an integer from ${min} to ${max}, got ${value}`);
    return value;
  };
  const settings: Settings = {
    url: options.url,
    secret: options.secret,
    format: options.format,
    timeoutMillis: int('timeoutMillis', 1, MAX_TIMER_MILLIS),
    initialBackoffMillis: int('initialBackoffMillis', 1, MAX_TIMER_MILLIS),
    maxBackoffMillis: int('maxBackoffMillis', 1, MAX_TIMER_MILLIS),
    maxAttempts: int('maxAttempts', 1, 1_000),
    maxAgeMillis: int('maxAgeMillis', 1, Number.MAX_SAFE_INTEGER),
    maxQueued: int('maxQueued', 1, 1_000_000),
    log: options.log,
    random: options.random ?? Math.random,
  };
  if (problems.length === 0 && settings.initialBackoffMillis > settings.maxBackoffMillis) {
    if (options.initialBackoffMillis !== undefined && options.maxBackoffMillis !== undefined) {
      problems.push(`initialBackoffMillis (${settings.initialBackoffMillis}) must not exceed maxBackoffMillis (${settings.maxBackoffMillis})`);
    } else {
      // One side is a default: clamp rather than refuse to start.
      const clamped = Math.min(settings.initialBackoffMillis, settings.maxBackoffMillis);
      settings.log('warn', `alert webhook: initialBackoffMillis ${settings.initialBackoffMillis} exceeds maxBackoffMillis ${settings.maxBackoffMillis}; using ${clamped} for both`);
      settings.initialBackoffMillis = clamped;
      settings.maxBackoffMillis = clamped;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
