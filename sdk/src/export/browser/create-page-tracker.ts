import { createTrackerIn } from '../../tracker/default-tracker.js';
import type { Tracker, TrackerOptions } from '../../tracker/tracker-types.js';
import { PAGE_ENVIRONMENT } from './page-environment.js';

/**
 * Creates a tracker for a web page (`createTracker` of
 * `@tunnelvision/sdk/browser`): what the page calls as things happen to its
 * connections and messages, turned into the events and metrics of
 * docs/semconv.md. Without providers in its options it reports through the
 * page's setupBrowserTelemetry (also one set up after it). It never throws
 * into the page: a bad option or a failure is reported once on the console
 * and to the set-up's `logger`.
 */
export function createPageTracker(options: TrackerOptions = {}): Tracker {
  return createTrackerIn(PAGE_ENVIRONMENT, options);
}
