import type { Logger, LoggerProvider, MeterProvider } from '@opentelemetry/api';
import type { TrackerEnvironment } from '../../tracker/tracker-environment.js';
import { consoleWarnings, type WarningSink } from '../../tracker/tracker-warnings.js';

/** What setupBrowserTelemetry registers for the page. */
export interface PageTelemetry {
  readonly loggerProvider: LoggerProvider;
  readonly meterProvider: MeterProvider;
  /** Where its set-up sends warnings (the console unless told not to, its logger). */
  readonly warn: WarningSink;
}

let registered: PageTelemetry | undefined;

/** Registers `telemetry` as the page's; false (and nothing changes) while another is registered. */
export function registerPageTelemetry(telemetry: PageTelemetry): boolean {
  if (registered !== undefined) return false;
  registered = telemetry;
  return true;
}

/** Withdraws `telemetry` if it is the page's. */
export function unregisterPageTelemetry(telemetry: PageTelemetry): void {
  if (registered === telemetry) registered = undefined;
}

/** Loggers that write to the provider registered when each record is emitted, so a tracker may come first. */
const pageLoggerProvider: LoggerProvider = {
  getLogger(name, version, options): Logger {
    let from: LoggerProvider | undefined;
    let logger: Logger | undefined;
    const current = () => {
      const provider = registered?.loggerProvider;
      if (provider !== from) {
        from = provider;
        logger = provider?.getLogger(name, version, options);
      }
      return logger;
    };
    return {
      emit: (record) => current()?.emit(record),
      enabled: (options) => current()?.enabled?.(options) ?? false,
    };
  },
};

/**
 * The environment of `createTracker` from `@tunnelvision/sdk/browser`: the
 * page's registered telemetry, and its warnings (the console before any).
 */
export const PAGE_ENVIRONMENT: TrackerEnvironment = {
  loggerProvider: () => pageLoggerProvider,
  meterProvider: () => registered?.meterProvider,
  warn: (message, error) => (registered?.warn ?? consoleWarnings)(message, error),
};
