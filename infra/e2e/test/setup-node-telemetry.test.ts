import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TimelineEvent } from '@tunnelvision/collector/api-types';
import { setupNodeTelemetry, type NodeTelemetry } from '@tunnelvision/sdk/node';
import { collectorPerFile } from './support/collector-per-file.js';

/**
 * setupNodeTelemetry against a real collector in this process (one per
 * test file: chDB binds one data directory per process), read back
 * through the query API.
 */

const collector = collectorPerFile();
let telemetry: NodeTelemetry;
const started = Date.now() - 60_000;
/** The tracker's clock: each event 10 ms after the previous, so the timeline order is unambiguous. */
let clock = Date.now() - 10_000;
const tick = () => (clock += 10);

beforeAll(async () => {
  // The test decides the endpoint; a developer's OTEL_* variables must not redirect it.
  for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'OTEL_SDK_DISABLED']) {
    vi.stubEnv(name, '');
  }
  telemetry = setupNodeTelemetry({
    endpoint: collector.url,
    serviceName: 'node-setup-test',
    serviceVersion: '1.2.3',
    environment: 'test',
    metricExportIntervalMillis: 60_000,
    tracker: { sessionId: 'node-session', userId: 'user-1', now: tick },
  });
});

afterAll(async () => {
  await telemetry?.shutdown();
  vi.unstubAllEnvs();
});

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${collector.url}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('setupNodeTelemetry', () => {
  it('exports tracker events to the collector, where they form the session timeline', async () => {
    const { tracker } = telemetry;
    expect(tracker.sessionId).toBe('node-session');
    const conn = tracker.connection({ serverAddress: 'ws.internal' });
    conn.opening();
    conn.opened();
    const message = conn.message('node-m-1', { seq: 1, channel: 'chat' });
    message.sent();
    message.acked();
    conn.closed({ code: 1006, clean: false });
    conn.reconnectScheduled({ attempt: 1, delayMs: 250.5, jitterMs: 40 });
    conn.opening();
    conn.opened();
    conn.message('node-m-2').dropped('ttl_expired');
    await telemetry.flush();

    const { events } = await getJson<{ events: TimelineEvent[] }>('/api/v1/timeline?session_id=node-session');
    expect(events.map((e) => e.event)).toEqual([
      'conn.opening',
      'conn.open',
      'msg.sent',
      'msg.acked',
      'conn.close',
      'conn.reconnect.scheduled',
      'conn.opening',
      'conn.open',
      'msg.dropped',
    ]);
    const [opening, open, sent, acked, close, scheduled, , reopen, dropped] = events;
    expect(opening).toMatchObject({
      service: 'node-setup-test',
      service_version: '1.2.3',
      environment: 'test',
      server_address: 'ws.internal',
      role: 'client',
      user_id: 'user-1',
      session_id: 'node-session',
      attempt: 1,
      severity: 'INFO',
    });
    expect(open).not.toHaveProperty('downtime_ms');
    expect(sent).toMatchObject({ message_id: 'node-m-1', message_seq: 1, channel: 'chat', attempt: 1 });
    expect(acked).toMatchObject({ message_id: 'node-m-1' });
    expect(typeof acked?.latency_ms).toBe('number');
    expect(close).toMatchObject({ close_code: 1006, close_clean: false, severity: 'WARN' });
    expect(scheduled).toMatchObject({ attempt: 1, delay_ms: 250.5, jitter_ms: 40 });
    expect(typeof reopen?.downtime_ms).toBe('number');
    expect(reopen?.connection_id).not.toBe(open?.connection_id);
    expect(dropped).toMatchObject({ message_id: 'node-m-2', drop_reason: 'ttl_expired', severity: 'WARN' });

    const reconnects = await getJson<{ points: { v: number }[] }>(
      `/api/v1/series?metric=reconnects&service=node-setup-test&from=${started}&to=${Date.now() + 60_000}&step=10m`,
    );
    expect(reconnects.points.reduce((n, p) => n + p.v, 0)).toBe(1);
  });

  it('exports metrics: active connections reach the series API', async () => {
    await telemetry.flush();
    const active = await getJson<{ points: { v: number | null }[] }>(
      `/api/v1/series?metric=active_connections&service=node-setup-test&from=${started}&to=${Date.now() + 60_000}&step=10m`,
    );
    expect(active.points.filter((p) => p.v !== null).map((p) => p.v)).toEqual([1]);
  });

  it('refuses explicitly invalid options at start-up', () => {
    expect(() => setupNodeTelemetry({ metricExportIntervalMillis: 0 })).toThrow(/metricExportIntervalMillis/);
    expect(() => setupNodeTelemetry({ endpoint: 'not a url' })).toThrow(/endpoint/);
  });
});
