import { describe, expect, it } from 'vitest';
import { otlpSignalUrl } from '../../../src/export/node/otlp-endpoint.js';

describe('otlpSignalUrl', () => {
  it('appends the signal path to the option, or to the default loopback endpoint', () => {
    expect(otlpSignalUrl('LOGS', 'http://collector:4318/', {})).toBe('http://collector:4318/v1/logs');
    expect(otlpSignalUrl('METRICS', undefined, {})).toBe('http://127.0.0.1:4318/v1/metrics');
  });

  it('leaves the URL to the exporter when an OTEL_EXPORTER_OTLP_*ENDPOINT variable is set', () => {
    expect(otlpSignalUrl('LOGS', 'http://option:1', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318' })).toBeUndefined();
    expect(otlpSignalUrl('LOGS', 'http://option:1', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://env:4318/v1/logs' })).toBeUndefined();
    // A signal-specific variable only concerns its own signal; a blank one counts as unset.
    expect(otlpSignalUrl('METRICS', 'http://option:1', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://env' })).toBe('http://option:1/v1/metrics');
    expect(otlpSignalUrl('METRICS', 'http://option:1', { OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBe('http://option:1/v1/metrics');
  });
});
