import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_OBJECTIVES, readObjectivesFile } from '../../src/reliability/objective-definitions.js';

const dir = mkdtempSync(join(tmpdir(), 'tv-objectives-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(content: unknown): string {
  const path = join(dir, `o-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('OBJECTIVES_FILE', () => {
  it('keeps the defaults without a file', () => {
    expect(readObjectivesFile(undefined)).toEqual(DEFAULT_OBJECTIVES);
  });

  it('replaces a default by id, removes one, and adds new ones', () => {
    const objectives = readObjectivesFile(
      file({
        objectives: [
          { id: 'delivery-success', measure: 'delivery_success', target: 0.999, window: '30d', latency_threshold_ms: 500 },
          { id: 'connection-reliability', measure: 'connection_reliability', target: 0.999, window: '90d', enabled: false },
          { id: 'connect-success', name: 'Connect success', measure: 'connect_success_ratio', target: 0.995, window: '90d' },
        ],
      }),
    );
    expect(objectives).toEqual([
      { id: 'delivery-success', name: 'delivery-success', measure: 'delivery_success', target: 0.999, window: '30d', latencyThresholdMillis: 500 },
      { id: 'connect-success', name: 'Connect success', measure: 'connect_success_ratio', target: 0.995, window: '90d', latencyThresholdMillis: 1000 },
    ]);
  });

  it('stops with every bad field named, and the file', () => {
    const path = file({ objectives: [{ id: 'x', measure: 'uptime', target: 99.9, window: '7d' }, { id: 'y', measure: 'delivery_success', target: 0.99, window: '30d', latency_threshold_ms: 700 }] });
    let error: unknown;
    try {
      readObjectivesFile(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(`OBJECTIVES_FILE=${path}: objectives[0].measure`);
    expect(message).toContain(`OBJECTIVES_FILE=${path}: objectives[0].target: must be below 1 (0.999 = 99.9 %)`);
    expect(message).toContain('objectives[0].window');
    expect(message).toContain('objectives[1].latency_threshold_ms: must be one of 100, 250, 500, 1000, 2000, 5000, 10000, 30000');
  });

  it('says when the file is not JSON or not the expected shape', () => {
    expect(() => readObjectivesFile(file('{ nope'))).toThrow(/cannot read it as JSON/);
    expect(() => readObjectivesFile(file([1, 2]))).toThrow(/expected \{ "objectives": \[ \.\.\. \] \}/);
    expect(() => readObjectivesFile(join(dir, 'missing.json'))).toThrow(/cannot read it as JSON \(ENOENT\)/);
  });
});
