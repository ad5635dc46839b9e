import type { Logger, LogRecord } from '@opentelemetry/api';
import type { JsonGroup, JsonItem } from './json-packer.js';
import { timeToNanos, toAnyValue, toKeyValues } from './otlp-json.js';

/**
 * A Logger that turns each record into its OTLP/JSON LogRecord at once
 * (one JSON.stringify, so later changes to the caller's objects cannot leak
 * in) and hands it to the buffer. The event name travels in the LogRecord's
 * `eventName` field. Trace context is not attached: the tracker emits none.
 */
export function createBrowserLogger(
  groups: readonly JsonGroup[],
  push: (item: JsonItem) => void,
  isEnabled: () => boolean,
): Logger {
  return {
    emit(record: LogRecord) {
      if (!isEnabled()) return;
      try {
        const now = Date.now();
        const json = JSON.stringify({
          timeUnixNano: timeToNanos(record.timestamp ?? now),
          observedTimeUnixNano: timeToNanos(record.observedTimestamp ?? now),
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          eventName: record.eventName,
          body: record.body === undefined ? undefined : toAnyValue(record.body),
          attributes: toKeyValues(record.attributes),
        });
        push({ groups, json });
      } catch {
        // A record that cannot be encoded (a cyclic body, say) is dropped; the page goes on.
      }
    },
    enabled: isEnabled,
  };
}
