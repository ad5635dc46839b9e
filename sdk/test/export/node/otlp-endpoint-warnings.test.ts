import { describe, expect, it } from 'vitest';
import { otlpEndpointWarnings, otlpExportTimeoutMillis, otlpExportUrl } from '../../../src/export/node/otlp-endpoint.js';

describe('otlpEndpointWarnings', () => {
  it('flags the endpoint option when it ends with a signal path, naming the base URL to pass', () => {
    const [warning, ...rest] = otlpEndpointWarnings('http://collector:4318/v1/logs', {});
    expect(rest).toEqual([]);
    expect(warning).toBe(
      'TunnelVision: the endpoint option is "http://collector:4318/v1/logs", which looks like the URL of one signal, ' +
        "but it must be the collector's base URL: /v1/logs and /v1/metrics are appended, so exports go to " +
        'http://collector:4318/v1/logs/v1/logs and http://collector:4318/v1/logs/v1/metrics. Pass "http://collector:4318" instead. (It is used as given.)',
    );
  });

  it('flags OTEL_EXPORTER_OTLP_ENDPOINT instead of the option when the variable is what is used', () => {
    const warnings = otlpEndpointWarnings('http://fine:4318', { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/v1/traces' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('OTEL_EXPORTER_OTLP_ENDPOINT is "https://otel.example.com/v1/traces"');
    expect(warnings[0]).toContain('Pass "https://otel.example.com" instead');
  });

  it('names only the signals that use the base URL, and nothing when none does', () => {
    const env = { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs:4318/v1/logs' };
    expect(otlpEndpointWarnings('http://collector:4318/v1/metrics', env)[0]).toContain('/v1/metrics is appended, so exports go to http://collector:4318/v1/metrics/v1/metrics.');
    expect(otlpEndpointWarnings('http://collector:4318/v1/metrics', { ...env, OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:4318/v1/metrics' })).toEqual([]);
  });

  it('flags a signal variable set to a bare base URL, which is used with no path', () => {
    const warnings = otlpEndpointWarnings(undefined, { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://collector:4318' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Set it to "http://collector:4318/v1/logs"');
  });

  it('says nothing about good endpoints', () => {
    expect(otlpEndpointWarnings(undefined, {})).toEqual([]);
    expect(otlpEndpointWarnings('https://collector.example.com/otlp', {})).toEqual([]);
    expect(otlpEndpointWarnings(undefined, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318/v1/metrics' })).toEqual([]);
  });
});

describe('otlpExportUrl', () => {
  it('is the URL the exporter posts to, wherever it comes from', () => {
    expect(otlpExportUrl('LOGS', 'http://option:4318', {})).toBe('http://option:4318/v1/logs');
    expect(otlpExportUrl('LOGS', undefined, {})).toBe('http://127.0.0.1:4318/v1/logs');
    expect(otlpExportUrl('METRICS', 'http://option:4318', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318/' })).toBe('http://env:4318/v1/metrics');
    expect(otlpExportUrl('LOGS', 'http://option:4318', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs:9000/ingest' })).toBe('http://logs:9000/ingest');
  });
});

describe('otlpExportTimeoutMillis', () => {
  it('is the option, else the signal variable, else the general one, else 10 s', () => {
    expect(otlpExportTimeoutMillis('LOGS', 2_500, { OTEL_EXPORTER_OTLP_TIMEOUT: '7000' })).toBe(2_500);
    expect(otlpExportTimeoutMillis('LOGS', undefined, { OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '4000', OTEL_EXPORTER_OTLP_TIMEOUT: '7000' })).toBe(4_000);
    expect(otlpExportTimeoutMillis('METRICS', undefined, { OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '4000', OTEL_EXPORTER_OTLP_TIMEOUT: '7000' })).toBe(7_000);
    expect(otlpExportTimeoutMillis('METRICS', undefined, { OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' })).toBe(10_000);
  });
});
