import type { AtRiskMessages } from './at-risk-messages.js';
import type { EventAttributes, EventLogger } from './event-logger.js';
import type { FailureReporter } from './failure-reporter.js';
import type { MessageSampler } from './message-sampler.js';
import type { TrackerInstruments } from './tracker-instruments.js';
import type { WarningSink } from './tracker-warnings.js';

/** What a tracker shares with its connections and messages. */
export interface TrackerContext {
  /** tv.role of every event and metric point. */
  readonly role: 'client' | 'server';
  /** The tracker's session id (a connection may override it). */
  readonly sessionId: string;
  /** feature_flag.<key> attributes of every event and metric point. */
  readonly featureFlags: EventAttributes;
  /** Clock in epoch milliseconds. */
  readonly now: () => number;
  /** Where events go. */
  readonly events: EventLogger;
  /** Where metrics go. */
  readonly instruments: TrackerInstruments;
  /** Which successful message journeys are reported. */
  readonly sampler: MessageSampler;
  /** Messages whose connection ended before their ack, tracker-wide. */
  readonly atRisk: AtRiskMessages;
  /** Whether user.id values are the SDK's SHA-256 hashes (tv.user.id_hashed). */
  readonly userIdHashed: boolean;
  /** Whether emissions are being held for a user id's digest; if not, emit directly. */
  holding(): boolean;
  /** Holds an emission until the user id's digest is ready (bounded, in order); only while holding(). */
  defer(emission: () => void): void;
  /** Receives swallowed failures. */
  readonly report: FailureReporter;
  /** Where the SDK's warnings go, for integrations given a handle. */
  readonly warn: WarningSink;
  /** The user.id to emit for a raw user id (hashed when configured), or undefined while not yet available. */
  emittedUserId(rawUserId: string): string | undefined;
  /** The user.id to emit for the tracker-wide user id (setUserId), or undefined when none or not yet available. */
  trackerUserId(): string | undefined;
}
