import type { Logger, LoggerOptions, LoggerProvider } from '@opentelemetry/api';
import type { BoundedQueue } from './bounded-queue.js';
import { createBrowserLogger } from './browser-logger.js';
import { jsonGroup, type JsonGroup, type JsonItem } from './json-packer.js';
import { toKeyValues } from './otlp-json.js';

/** A LoggerProvider whose loggers write into a bounded buffer of encoded records. */
export interface BrowserLoggerProvider extends LoggerProvider {
  /** Stops taking records: loggers report not enabled and drop what they are given. */
  shutdown(): void;
}

/** What the provider writes into and tells about. */
export interface BrowserLoggerProviderOptions {
  /** The request envelope with the resource (`{ resourceLogs: [{ resource, scopeLogs: [] }] }`). */
  envelope: JsonGroup;
  /** Where encoded records wait for export; drops the oldest when full. */
  queue: BoundedQueue<JsonItem>;
  /** Called after each record is buffered, so the exporter can start a batch. */
  onEmit: () => void;
}

/** Creates the provider; loggers are cached by name, version, schema URL and scope attributes. */
export function createBrowserLoggerProvider(options: BrowserLoggerProviderOptions): BrowserLoggerProvider {
  const loggers = new Map<string, Logger>();
  let enabled = true;
  const isEnabled = () => enabled;
  const push = (item: JsonItem) => {
    options.queue.push(item);
    options.onEmit();
  };
  return {
    getLogger(name: string, version?: string, loggerOptions?: LoggerOptions): Logger {
      const attributes = loggerOptions?.attributes ? toKeyValues(loggerOptions.attributes) : undefined;
      const key = JSON.stringify([name, version, loggerOptions?.schemaUrl, attributes]);
      let logger = loggers.get(key);
      if (!logger) {
        const scope = jsonGroup({ scope: { name, version, attributes }, schemaUrl: loggerOptions?.schemaUrl, logRecords: [] });
        logger = createBrowserLogger([options.envelope, scope], push, isEnabled);
        loggers.set(key, logger);
      }
      return logger;
    },
    shutdown() {
      enabled = false;
    },
  };
}
