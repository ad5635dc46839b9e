import { diag, logs, metrics } from '@opentelemetry/api';
import type { TrackerEnvironment } from './tracker-environment.js';

/**
 * OpenTelemetry's global providers (the logs API hands out a proxy, so a
 * tracker created before the SDK is set up still reaches it) and its
 * `diag` logger, which the app points where it wants.
 */
export const OPEN_TELEMETRY_ENVIRONMENT: TrackerEnvironment = {
  loggerProvider: () => logs.getLoggerProvider(),
  meterProvider: () => metrics.getMeterProvider(),
  warn: (message, error) => diag.warn(message, ...(error === undefined ? [] : [error])),
};
