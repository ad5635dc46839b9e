// Public surface of @tunnelvision/sdk/browser: what a web page needs to
// report its connections, the tracker and the browser export set-up.
export { setupBrowserTelemetry } from './export/browser/setup-browser-telemetry.js';
export type { BrowserTelemetry, BrowserTelemetryOptions, BrowserTelemetryStats } from './export/browser/browser-telemetry-types.js';
export type { DiagnosticsLogger } from './export/export-diagnostics.js';
export { createPageTracker as createTracker } from './export/browser/create-page-tracker.js';
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
