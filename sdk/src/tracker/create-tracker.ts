import { createTrackerIn } from './default-tracker.js';
import { OPEN_TELEMETRY_ENVIRONMENT } from './open-telemetry-environment.js';
import type { Tracker, TrackerOptions } from './tracker-types.js';

/**
 * Creates a tracker (see createTrackerIn) that, without providers in its
 * options, uses OpenTelemetry's global ones and warns through `diag`.
 */
export function createTracker(options: TrackerOptions = {}): Tracker {
  return createTrackerIn(OPEN_TELEMETRY_ENVIRONMENT, options);
}
