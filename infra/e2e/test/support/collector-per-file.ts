import { afterAll, beforeAll } from 'vitest';
import type { RunningCollector } from '@tunnelvision/collector';
import { freshDataDir, startTestCollector } from '@tunnelvision/collector/testing';

/** Collector settings a test file changes (port 0 and a quiet log are set already). */
export type CollectorOverrides = NonNullable<Parameters<typeof startTestCollector>[1]>;

/** The running collector, as the test file sees it. */
export interface CollectorPerFile {
  /** Its base URL (OTLP under /v1, the query API under /api/v1); read it in a test or hook, not at import. */
  readonly url: string;
}

/**
 * A real collector on a fresh embedded store for the calling test file
 * (chDB binds one data directory per process): started in a beforeAll
 * registered here, stopped and its store removed in the matching afterAll.
 * Call it before the file's own hooks, so it starts first and stops last.
 */
export function collectorPerFile(overrides: CollectorOverrides = {}): CollectorPerFile {
  const data = freshDataDir();
  let running: RunningCollector | undefined;
  beforeAll(async () => {
    running = await startTestCollector(data.dir, overrides);
  });
  afterAll(async () => {
    await running?.stop();
    await data.remove();
  });
  return {
    get url() {
      if (!running) throw new Error('the collector starts in beforeAll: read its url in a test or a later hook');
      return running.url;
    },
  };
}
