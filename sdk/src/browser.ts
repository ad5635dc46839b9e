// Public surface of @tunnelvision/sdk/browser: what a web page needs to
// report its connections, the tracker and the browser export set-up.
export { setupBrowserTelemetry } from './export/browser/setup-browser-telemetry.js';
export type { BrowserTelemetry, BrowserTelemetryOptions, BrowserTelemetryStats } from './export/browser/browser-telemetry-types.js';
export { createTracker } from './tracker/create-tracker.js';
export type {
  Tracker,
  TrackerOptions,
  MessageSamplingOptions,
  ConnectionHandle,
  ConnectionOptions,
  MessageHandle,
  MessageInfo,
  CloseInfo,
  ReconnectInfo,
  ResumeInfo,
} from './tracker/tracker-types.js';
