import { createEventLogger } from './event-logger.js';
import { createFailureReporter, guarded, type FailureReporter } from './failure-reporter.js';
import { ConnectionTracker } from './connection-tracker.js';
import { createMessageSampler } from './message-sampler.js';
import { noopConnectionHandle, noopTracker } from './noop-handles.js';
import { randomId } from '../shared/random-id.js';
import type { TrackerContext } from './tracker-context.js';
import { TrackerInstruments } from './tracker-instruments.js';
import type { ConnectionHandle, ConnectionOptions, Tracker, TrackerOptions } from './tracker-types.js';
import { createUserIdHasher, type UserIdHasher } from './user-id-hash.js';

/** Characters of a generated session id (96 random bits). */
const SESSION_ID_LENGTH = 16;

/**
 * Creates a tracker: the transport-agnostic core that turns what happens
 * to connections and messages into the events and metrics of
 * docs/semconv.md. Nothing is sent until a connection handle is used, and
 * nothing it does throws into the app: a broken provider or bad option is
 * reported once through OpenTelemetry's `diag` logger and then ignored.
 *
 * With `hashUserId: true`, user.id is left off events until the SHA-256
 * digest of the id is ready (a few microseconds after setUserId or
 * connection(), as WebCrypto is asynchronous); the raw id is never sent.
 */
export function createTracker(options: TrackerOptions = {}): Tracker {
  const report = createFailureReporter();
  let sessionId = '';
  try {
    sessionId = typeof options.sessionId === 'string' && options.sessionId !== '' ? options.sessionId : randomId(SESSION_ID_LENGTH);
    return new DefaultTracker(options, sessionId, report);
  } catch (error) {
    report('createTracker', error);
    return noopTracker(sessionId);
  }
}

class DefaultTracker implements Tracker {
  private rawUserId: string | undefined;
  /** rawUserId as emitted, once known (the hasher's cache may evict it on a busy server). */
  private emittedUserId: string | undefined;
  private readonly hasher: UserIdHasher;
  private readonly context: TrackerContext;

  constructor(
    options: TrackerOptions,
    /** The session id events carry. */
    readonly sessionId: string,
    private readonly report: FailureReporter,
  ) {
    this.hasher = createUserIdHasher(options.hashUserId, report);
    const now = typeof options.now === 'function' ? options.now : Date.now;
    this.context = {
      role: options.role === 'server' ? 'server' : 'client',
      sessionId,
      now,
      events: createEventLogger(options.loggerProvider, report),
      instruments: new TrackerInstruments(options.meterProvider, report),
      sampler: createMessageSampler(options.sampling),
      report,
      emittedUserId: (raw) => this.hasher.hashed(raw),
      trackerUserId: () => {
        if (this.emittedUserId === undefined && this.rawUserId !== undefined) this.emittedUserId = this.hasher.hashed(this.rawUserId);
        return this.emittedUserId;
      },
    };
    this.setUserId(options.userId);
  }

  /** Starts tracking a logical connection. */
  connection(options: ConnectionOptions = {}): ConnectionHandle {
    return guarded(this.report, 'Tracker.connection', noopConnectionHandle(), () => new ConnectionTracker(this.context, { ...options }));
  }

  /** Sets (or clears) the user id for connections created afterwards and open ones (unless a connection set its own). */
  setUserId(userId: string | undefined): void {
    guarded(this.report, 'Tracker.setUserId', undefined, () => {
      this.rawUserId = typeof userId === 'string' && userId !== '' ? userId : undefined;
      // Start hashing now so the next events can carry the hashed id.
      this.emittedUserId = this.rawUserId === undefined ? undefined : this.hasher.hashed(this.rawUserId);
    });
  }
}
