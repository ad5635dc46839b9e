import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { createExportDiagnostics, REPEAT_AFTER_MILLIS } from '../../src/export/export-diagnostics.js';
import { httpStatusProblem, networkErrorProblem } from '../../src/export/export-problem.js';

const said: { level: string; message: string }[] = [];
const logger: DiagLogger = {
  error: () => undefined,
  warn: (message) => void said.push({ level: 'warn', message }),
  info: (message) => void said.push({ level: 'info', message }),
  debug: () => undefined,
  verbose: () => undefined,
};

const LOGS = 'http://collector:4318/v1/logs';
const METRICS = 'http://collector:4318/v1/metrics';
const refused = networkErrorProblem('ECONNREFUSED');

let now = 0;
// OpenTelemetry's diag as the logger, as the Node set-up passes it.
const create = (console = false) => createExportDiagnostics({ console, now: () => now, logger: diag });

beforeEach(() => {
  said.length = 0;
  now = 1_000_000;
  diag.setLogger(logger, DiagLogLevel.INFO);
});

afterEach(() => {
  diag.disable();
  vi.restoreAllMocks();
});

describe('createExportDiagnostics', () => {
  it('reports a problem once per collector, whichever signal meets it, and its end once per reported URL', () => {
    const diagnostics = create();
    diagnostics.failed(LOGS, refused, 10);
    diagnostics.failed(METRICS, refused);
    diagnostics.failed(LOGS, refused, 5);
    expect(said.map((s) => s.level)).toEqual(['warn']);
    expect(said[0]!.message).toMatch(/^TunnelVision: telemetry export to http:\/\/collector:4318\/v1\/logs failed: ECONNREFUSED: nothing accepts/);
    expect(said[0]!.message).toContain('10 log records dropped.');
    expect(diagnostics.problemOf(LOGS)).toBe(refused);

    diagnostics.succeeded(LOGS);
    diagnostics.succeeded(METRICS);
    diagnostics.succeeded(LOGS);
    expect(said.slice(1)).toEqual([
      { level: 'info', message: `TunnelVision: telemetry export to ${LOGS} works again, after 2 failed exports (15 log records dropped).` },
      { level: 'info', message: `TunnelVision: telemetry export to ${METRICS} works again, after 1 failed export.` },
    ]);
    expect(diagnostics.problemOf(LOGS)).toBeUndefined();
  });

  it('reports a new problem as it appears, and the same problem of another collector', () => {
    const diagnostics = create();
    diagnostics.failed(LOGS, refused);
    diagnostics.failed(LOGS, httpStatusProblem(503));
    diagnostics.failed(LOGS, refused);
    diagnostics.failed('http://other:4318/v1/logs', refused);
    expect(said.map((s) => /^TunnelVision: telemetry export to (\S+) failed: (HTTP \d+|ECONNREFUSED)/.exec(s.message)?.slice(1))).toEqual([
      [LOGS, 'ECONNREFUSED'],
      [LOGS, 'HTTP 503'],
      ['http://other:4318/v1/logs', 'ECONNREFUSED'],
    ]);
  });

  it('does not repeat a problem that comes back soon after a recovery (a flapping collector), but does after REPEAT_AFTER_MILLIS', () => {
    const diagnostics = create();
    for (let flap = 0; flap < 5; flap++) {
      diagnostics.failed(LOGS, refused);
      now += 1_000;
      diagnostics.succeeded(LOGS);
      now += 1_000;
    }
    expect(said.map((s) => s.level)).toEqual(['warn', 'info']);

    now += REPEAT_AFTER_MILLIS;
    diagnostics.failed(LOGS, refused);
    expect(said.map((s) => s.level)).toEqual(['warn', 'info', 'warn']);
  });

  it('also prints to the console when asked to, and survives a console that throws', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {
      throw new Error('console gone');
    });
    const diagnostics = create(true);
    expect(() => diagnostics.failed(LOGS, refused)).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(() => diagnostics.warn('TunnelVision: hello')).not.toThrow();
  });
});
