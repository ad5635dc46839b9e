import { afterAll, beforeAll } from 'vitest';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { RunningCollector } from '@tunnelvision/collector';
import { freshDataDir, startTestCollector } from '@tunnelvision/collector/testing';

/** Collector settings a test file changes (port 0 and a quiet log are set already). */
export type CollectorOverrides = NonNullable<Parameters<typeof startTestCollector>[1]>;

/** The running collector, as the test file sees it. */
export interface CollectorPerFile {
  /** Its base URL (OTLP under /v1, the query API under /api/v1); read it in a test or hook, not at import. */
  readonly url: string;
  /** A logger provider exporting to it under `serviceName` (batched every 50 ms), shut down with the collector. */
  loggerProvider(serviceName: string): LoggerProvider;
  /** Exports everything the file's providers hold. */
  flush(): Promise<void>;
  /** GET on the query API, as JSON. */
  api<T = any>(path: string): Promise<T>;
}

/**
 * A real collector on a fresh embedded store for the calling test file
 * (chDB binds one data directory per process): started in a beforeAll
 * registered here, stopped and its store removed in the matching afterAll.
 * Call it before the file's own hooks, so it starts first and stops last.
 */
export function collectorPerFile(overrides: CollectorOverrides = {}): CollectorPerFile {
  const data = freshDataDir();
  const providers: LoggerProvider[] = [];
  let running: RunningCollector | undefined;
  beforeAll(async () => {
    running = await startTestCollector(data.dir, overrides);
  });
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.shutdown()));
    await running?.stop();
    await data.remove();
  });
  const url = (): string => {
    if (!running) throw new Error('the collector starts in beforeAll: read its url in a test or a later hook');
    return running.url;
  };
  return {
    get url() {
      return url();
    },
    loggerProvider(serviceName) {
      const provider = new LoggerProvider({
        resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment.name': 'test' }),
        processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url()}/v1/logs` }), scheduledDelayMillis: 50 })],
      });
      providers.push(provider);
      return provider;
    },
    async flush() {
      await Promise.all(providers.map((p) => p.forceFlush()));
    },
    async api(path) {
      return (await fetch(`${url()}${path}`)).json();
    },
  };
}
