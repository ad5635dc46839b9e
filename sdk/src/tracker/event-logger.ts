import type { Logger, LoggerProvider, LogRecord, SeverityNumber } from '@opentelemetry/api';
import { SEMCONV_SCHEMA_URL } from '@tunnelvision/semconv';
import type { EventName } from '@tunnelvision/semconv';
import type { FailureReporter } from './failure-reporter.js';
import { SDK_SCOPE_NAME, SDK_VERSION } from './sdk-version.js';

/** Attribute values the conventions use: string, int or double, bool. */
export type EventAttributes = Record<string, string | number | boolean>;

/** Attributes an event may leave out: an undefined value means the attribute is not emitted. */
export type OptionalAttributes = Record<string, string | number | boolean | undefined>;

/** INFO for normal events, WARN for trouble (drops, abnormal closes, gaps), ERROR for transport errors. */
export type EventSeverity = 'info' | 'warn' | 'error';

/** Emits TunnelVision events as OTLP log records. */
export interface EventLogger {
  /** Emits one event; never throws. */
  emit(eventName: EventName, severity: EventSeverity, attributes: EventAttributes, timestampMillis: number, body?: string): void;
}

/**
 * SeverityNumber.INFO, WARN and ERROR as literals: the enum's runtime object
 * (every level, both directions) would otherwise be bundled for three numbers.
 */
const SEVERITY_NUMBER: Record<EventSeverity, SeverityNumber> = { info: 9, warn: 13, error: 17 };
/** severityText by severity, looked up rather than upper-cased on every event. */
const SEVERITY_TEXT: Record<EventSeverity, string> = { info: 'INFO', warn: 'WARN', error: 'ERROR' };

/**
 * The event name goes in the LogRecord's `eventName` field, which the
 * collector reads first. `provider` is the tracker's own or its
 * environment's, which hands out a proxy so a tracker created before
 * telemetry is set up still reaches it once it is.
 */
export function createEventLogger(provider: () => LoggerProvider, report: FailureReporter): EventLogger {
  let logger: Logger | undefined;
  try {
    logger = provider().getLogger(SDK_SCOPE_NAME, SDK_VERSION, { schemaUrl: SEMCONV_SCHEMA_URL });
  } catch (error) {
    report('getLogger', error);
  }
  return {
    emit(eventName, severity, attributes, timestampMillis, body) {
      if (!logger) return;
      try {
        const record: LogRecord = {
          eventName,
          timestamp: timestampMillis,
          severityNumber: SEVERITY_NUMBER[severity],
          severityText: SEVERITY_TEXT[severity],
          attributes,
        };
        // Set rather than spread in: a spread makes V8 build every record the slow way.
        if (body !== undefined) record.body = body;
        logger.emit(record);
      } catch (error) {
        report('emitting an event', error);
      }
    },
  };
}
