import { createTrackerIn } from '../../tracker/default-tracker.js';
import type { Tracker, TrackerOptions } from '../../tracker/tracker-types.js';
import { PAGE_ENVIRONMENT } from './page-environment.js';

/**
 * Creates a tracker (see createTrackerIn) that, without providers in its
 * options, uses the page's setupBrowserTelemetry; exported as
 * `createTracker` from `@tunnelvision/sdk/browser`.
 */
export function createPageTracker(options: TrackerOptions = {}): Tracker {
  return createTrackerIn(PAGE_ENVIRONMENT, options);
}
