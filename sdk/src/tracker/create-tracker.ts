import { createTrackerIn } from './default-tracker.js';
import { OPEN_TELEMETRY_ENVIRONMENT } from './open-telemetry-environment.js';
import type { Tracker, TrackerOptions } from './tracker-types.js';

/**
 * Creates a tracker: what an app or library calls as things happen to its
 * connections and messages, turned into the events and metrics of
 * docs/semconv.md. Without providers in its options it uses OpenTelemetry's
 * global ones (also when they are registered after it). It never throws
 * into the app: a broken provider or a bad option is reported once through
 * OpenTelemetry's `diag` logger.
 */
export function createTracker(options: TrackerOptions = {}): Tracker {
  return createTrackerIn(OPEN_TELEMETRY_ENVIRONMENT, options);
}
