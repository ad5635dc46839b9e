import { describe, expect, it } from 'vitest';
import { createTracker, setupBrowserTelemetry } from '@tunnelvision/sdk/browser';
import { collectorPerFile } from './support/collector-per-file.js';

/**
 * The OTLP/JSON the browser export produces, sent with Node's fetch (the
 * same WHATWG fetch a page has) to a real collector in this process: every
 * request must be a plain 200 with no partial-success rejections, and the
 * events and metrics must come back through the query API.
 */

const collector = collectorPerFile();
const started = Date.now() - 60_000;

describe('browser export against a real collector', () => {
  it('is accepted whole, and the story and active connections are queryable', async () => {
    const responses: { url: string; status: number; body: string }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      responses.push({ url: String(input), status: response.status, body: await response.clone().text() });
      return response;
    };
    const telemetry = setupBrowserTelemetry({
      endpoint: collector.url,
      serviceName: 'chat-web-node',
      serviceVersion: '3.1.0',
      environment: 'ci',
      registerGlobal: false,
      fetch: recordingFetch,
    });
    const sessionId = `sess-node-${Date.now()}`;
    // A clock that moves 10 ms per reading, so the timeline's order (by time) is the story's.
    let clock = Date.now() - 10_000;
    const tracker = createTracker({
      loggerProvider: telemetry.loggerProvider,
      meterProvider: telemetry.meterProvider,
      sessionId,
      now: () => (clock += 10),
    });
    const connection = tracker.connection({ serverAddress: 'ws-node-1' });
    connection.opening(1);
    connection.opened();
    const message = connection.message('m-node-1', { seq: 1, channel: 'chat', size: 42 });
    message.sent();
    message.acked();
    connection.heartbeat(12.5);
    connection.queueDepth(2);
    connection.message('m-node-2').dropped('queue_full');
    await telemetry.flush();

    expect(responses.length).toBeGreaterThanOrEqual(2);
    for (const response of responses) {
      expect(response.status, response.body).toBe(200);
      expect(JSON.parse(response.body || '{}')).not.toHaveProperty('partialSuccess');
    }
    expect(telemetry.stats()).toMatchObject({
      exportedLogRecords: 5,
      failedLogRecords: 0,
      rejectedLogRecords: 0,
      failedMetricRequests: 0,
      rejectedDataPoints: 0,
    });

    const timeline = await (await fetch(`${collector.url}/api/v1/timeline?session_id=${sessionId}`)).json();
    expect(timeline.events.map((e: { event: string }) => e.event)).toEqual(['conn.opening', 'conn.open', 'msg.sent', 'msg.acked', 'msg.dropped']);
    const acked = timeline.events.find((e: { event: string }) => e.event === 'msg.acked');
    expect(acked).toMatchObject({
      service: 'chat-web-node',
      service_version: '3.1.0',
      environment: 'ci',
      server_address: 'ws-node-1',
      session_id: sessionId,
      message_id: 'm-node-1',
      message_seq: 1,
    });
    expect(acked.latency_ms).toBeGreaterThanOrEqual(0);
    expect(timeline.events.at(-1)).toMatchObject({ event: 'msg.dropped', drop_reason: 'queue_full' });

    const series = await (
      await fetch(`${collector.url}/api/v1/series?metric=active_connections&service=chat-web-node&from=${started}`)
    ).json();
    expect(series.points.map((p: { v: number | null }) => p.v).filter((v: number | null) => v !== null)).toContain(1);

    await telemetry.shutdown();
  });
});
