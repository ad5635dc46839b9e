import type { LoggerProvider, MeterProvider } from '@opentelemetry/api';
import type { WarningSink } from './tracker-warnings.js';

/**
 * What a tracker falls back on when its options name no providers, and
 * where the SDK's own warnings go. Two exist: OpenTelemetry's globals and
 * `diag` (`createTracker` from `@tunnelvision/sdk`), and the page's
 * `setupBrowserTelemetry` with the console (`@tunnelvision/sdk/browser`,
 * which so ships without the OpenTelemetry API's global registry).
 */
export interface TrackerEnvironment {
  /** Asked once per tracker; it must hand out loggers that follow a provider registered later (a proxy). */
  loggerProvider(): LoggerProvider;
  /** Asked at each measurement (there is no proxy MeterProvider); undefined records nothing for now. */
  meterProvider(): MeterProvider | undefined;
  /** Receives the SDK's warnings: bad options, a failing provider. */
  readonly warn: WarningSink;
}
