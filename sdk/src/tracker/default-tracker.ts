import { AtRiskMessages } from './at-risk-messages.js';
import { createEventLogger } from './event-logger.js';
import { featureFlagAttributes } from './feature-flags.js';
import { createFailureReporter, guarded, type FailureReporter } from './failure-reporter.js';
import { ConnectionTracker } from './connection-tracker.js';
import { createMessageSampler } from './message-sampler.js';
import { noopConnectionHandle, noopTracker } from './noop-handles.js';
import { randomId } from '../shared/random-id.js';
import { unrefTimeout, type TimerHandle } from '../shared/unref-timers.js';
import type { TrackerContext } from './tracker-context.js';
import type { TrackerEnvironment } from './tracker-environment.js';
import { TrackerInstruments } from './tracker-instruments.js';
import type { ConnectionHandle, ConnectionOptions, Tracker, TrackerOptions } from './tracker-types.js';
import { createUserIdHasher, type UserIdHasher } from './user-id-hash.js';
import { WARNINGS } from './tracker-warnings.js';

/** Characters of a generated session id (96 random bits). */
const SESSION_ID_LENGTH = 16;
/** Default of TrackerOptions.atRiskTimeoutMillis: long enough for a reconnect with backoff. */
const DEFAULT_AT_RISK_TIMEOUT_MILLIS = 30_000;
/** Longest events are held for a user id's digest; then they go out without user.id. */
const HASH_WAIT_MILLIS = 1_000;
/** Events held for a digest at most; one more releases them all. */
const MAX_HELD_EVENTS = 256;

/**
 * Creates a tracker in `environment`: the transport-agnostic core that
 * turns what happens to connections and messages into the events and
 * metrics of docs/semconv.md. Nothing is sent until a connection handle is
 * used, and nothing it does throws into the app: a broken provider or bad
 * option is reported once through the environment's warnings and then
 * ignored.
 *
 * With `hashUserId: true`, events are held (in order, with their own
 * times) until the SHA-256 digest of the user id is ready, a few
 * microseconds as WebCrypto is asynchronous, so every event carries the
 * hashed id; after HASH_WAIT_MILLIS they go out without user.id (with a
 * warning). The raw id is never sent.
 */
export function createTrackerIn(environment: TrackerEnvironment, options: TrackerOptions = {}): Tracker {
  const report = createFailureReporter(environment.warn);
  let sessionId = '';
  try {
    sessionId = typeof options.sessionId === 'string' && options.sessionId !== '' ? options.sessionId : randomId(SESSION_ID_LENGTH);
    return new DefaultTracker(options, environment, sessionId, report);
  } catch (error) {
    report('createTracker', error);
    return noopTracker(sessionId);
  }
}

class DefaultTracker implements Tracker {
  #rawUserId: string | undefined;
  /** rawUserId as emitted, once known (the hasher's cache may evict it on a busy server). */
  #emittedUserId: string | undefined;
  readonly #hasher: UserIdHasher;
  readonly #context: TrackerContext;
  readonly #report: FailureReporter;
  /** Where integrations given this tracker warn (warningsOf). */
  readonly [WARNINGS]: TrackerEnvironment['warn'];

  constructor(
    options: TrackerOptions,
    environment: TrackerEnvironment,
    /** The session id events carry. */
    readonly sessionId: string,
    report: FailureReporter,
  ) {
    this.#report = report;
    const { warn } = environment;
    this[WARNINGS] = warn;
    let held: (() => void)[] = [];
    let waiting: TimerHandle | undefined;
    const release = () => {
      clearTimeout(waiting);
      waiting = undefined;
      const run = held;
      held = [];
      for (const emission of run) guarded(report, 'emitting held events', undefined, emission);
    };
    this.#hasher = createUserIdHasher(options.hashUserId, report, () => {
      if (!this.#hasher.pending) release();
    });
    const now = typeof options.now === 'function' ? options.now : Date.now;
    let atRiskMillis = options.atRiskTimeoutMillis ?? DEFAULT_AT_RISK_TIMEOUT_MILLIS;
    if (!(atRiskMillis >= 0)) {
      warn(`@tunnelvision/sdk: atRiskTimeoutMillis must be a number >= 0; using ${DEFAULT_AT_RISK_TIMEOUT_MILLIS}`);
      atRiskMillis = DEFAULT_AT_RISK_TIMEOUT_MILLIS;
    }
    this.#context = {
      role: options.role === 'server' ? 'server' : 'client',
      sessionId,
      featureFlags: featureFlagAttributes(options.featureFlags),
      now,
      events: createEventLogger(() => options.loggerProvider ?? environment.loggerProvider(), report),
      instruments: new TrackerInstruments(options.meterProvider ? () => options.meterProvider : environment.meterProvider, report),
      sampler: createMessageSampler(options.sampling, warn),
      report,
      warn,
      atRisk: new AtRiskMessages(atRiskMillis),
      userIdHashed: options.hashUserId === true,
      holding: () => this.#hasher.pending > 0 || held.length > 0,
      defer: (emission) => {
        held.push(emission);
        if (!this.#hasher.pending || held.length > MAX_HELD_EVENTS) release();
        else
          waiting ??= unrefTimeout(() => {
            warn(`@tunnelvision/sdk: user.id not hashed within ${HASH_WAIT_MILLIS} ms; events sent without it`);
            release();
          }, HASH_WAIT_MILLIS);
      },
      emittedUserId: (raw) => this.#hasher.hashed(raw),
      trackerUserId: () => {
        if (this.#emittedUserId === undefined && this.#rawUserId !== undefined) this.#emittedUserId = this.#hasher.hashed(this.#rawUserId);
        return this.#emittedUserId;
      },
    };
    this.setUserId(options.userId);
  }

  /** Starts tracking a logical connection. */
  connection(options: ConnectionOptions = {}): ConnectionHandle {
    return guarded(this.#report, 'Tracker.connection', noopConnectionHandle(), () => new ConnectionTracker(this.#context, { ...options }));
  }

  /** Sets (or clears) the user id for connections created afterwards and open ones (unless a connection set its own). */
  setUserId(userId: string | undefined): void {
    guarded(this.#report, 'Tracker.setUserId', undefined, () => {
      this.#rawUserId = typeof userId === 'string' && userId !== '' ? userId : undefined;
      // Start hashing now so the next events can carry the hashed id.
      this.#emittedUserId = this.#rawUserId === undefined ? undefined : this.#hasher.hashed(this.#rawUserId);
    });
  }
}
