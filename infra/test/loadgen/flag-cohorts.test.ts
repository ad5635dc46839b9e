import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOAD_GENERATOR_DEFAULTS, resolveLoadGeneratorOptions, startLoadGenerator, type LoadGenerator } from '../../src/loadgen/index.js';

// The chat fleet split by feature_flag.resilience against a stand-in
// collector: `on` clients notice a black-holed tunnel through heartbeats,
// `off` clients sit on the half-open connection until it is cut; every
// chat client's events and metric points carry its variant.
interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface Record {
  service: string;
  event: string;
  attributes: Map<string, string>;
}

const logBodies: string[] = [];
const metricBodies: string[] = [];
let server: Server;
let url: string;
let generator: LoadGenerator | undefined;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk.toString()));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/v1/logs') logBodies.push(body);
      if (path === '/v1/metrics') metricBodies.push(body);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await generator?.stop();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function attributeMap(attributes: OtlpAttribute[] | undefined): Map<string, string> {
  return new Map((attributes ?? []).map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue ?? '')]));
}

function logRecords(): Record[] {
  const records: Record[] = [];
  for (const body of logBodies) {
    const parsed = JSON.parse(body) as {
      resourceLogs: { resource: { attributes: OtlpAttribute[] }; scopeLogs: { logRecords: { eventName?: string; attributes: OtlpAttribute[] }[] }[] }[];
    };
    for (const rl of parsed.resourceLogs) {
      const service = attributeMap(rl.resource.attributes).get('service.name') ?? '';
      for (const sl of rl.scopeLogs) for (const lr of sl.logRecords) records.push({ service, event: lr.eventName ?? '', attributes: attributeMap(lr.attributes) });
    }
  }
  return records;
}

/** Attribute maps of every point of metric `name`, with the service that sent it. */
function metricPoints(name: string): { service: string; attributes: Map<string, string> }[] {
  const points: { service: string; attributes: Map<string, string> }[] = [];
  for (const body of metricBodies) {
    const parsed = JSON.parse(body) as {
      resourceMetrics: { resource: { attributes: OtlpAttribute[] }; scopeMetrics: { metrics: { name: string; sum?: { dataPoints: { attributes: OtlpAttribute[] }[] } }[] }[] }[];
    };
    for (const rm of parsed.resourceMetrics) {
      const service = attributeMap(rm.resource.attributes).get('service.name') ?? '';
      for (const sm of rm.scopeMetrics) {
        for (const metric of sm.metrics) {
          if (metric.name === name) for (const p of metric.sum?.dataPoints ?? []) points.push({ service, attributes: attributeMap(p.attributes) });
        }
      }
    }
  }
  return points;
}

describe('feature flag cohorts', () => {
  it('defaults to half the chat clients in the on cohort', () => {
    expect(LOAD_GENERATOR_DEFAULTS.flaggedShare).toBe(0.5);
    expect(resolveLoadGeneratorOptions({}).flaggedShare).toBe(0.5);
    expect(resolveLoadGeneratorOptions({ flaggedShare: 1 }).flaggedShare).toBe(1);
    expect(() => resolveLoadGeneratorOptions({ flaggedShare: 1.5 })).toThrow(/flaggedShare must be between 0 and 1/);
  });

  it('splits the chat fleet: on clients notice a black hole by heartbeat, off clients only when it is cut', { timeout: 60_000 }, async () => {
    generator = await startLoadGenerator({
      collectorUrl: url,
      clients: 16,
      legacyClients: 4,
      tunnelShare: 0.5,
      flaggedShare: 0.5,
      messageIntervalMillis: 500,
      heartbeatIntervalMillis: 300,
      pongTimeoutMillis: 200,
      connectTimeoutMillis: 1_000,
      maxReconnectDelayMillis: 1_000,
      tunnelMillis: 2_500,
      recoveryTimeoutMillis: 10_000,
      latencyMedianMillis: 5,
      latencyP99Millis: 20,
      logExportDelayMillis: 100,
      metricExportIntervalMillis: 200,
    });
    await vi.waitFor(() => expect(generator!.stats().fleets.map((f) => f.connected)).toEqual([16, 4]), { timeout: 15_000, interval: 100 });
    const [chat, legacy] = generator.stats().fleets;
    // Each entrance is split evenly: 4 + 4 tunnel clients, 4 + 4 direct ones.
    expect(chat!.cohorts).toEqual({ flag: 'resilience', on: 8, off: 8 });
    expect(legacy!.cohorts).toBeUndefined();

    await generator.runScenario('tunnel');
    await vi.waitFor(
      () => {
        const records = logRecords();
        const closes = records.filter((r) => r.service === 'chat' && r.event === 'conn.close' && r.attributes.get('server.address') === 'tunnel.chat.demo');
        expect(closes.some((r) => r.attributes.get('feature_flag.resilience') === 'off' && r.attributes.get('tv.close.code') === '1006')).toBe(true);
        expect(closes.some((r) => r.attributes.get('feature_flag.resilience') === 'on' && r.attributes.get('tv.close.code') === '4000')).toBe(true);
      },
      { timeout: 15_000, interval: 200 },
    );
    const records = logRecords();
    const clientEvents = records.filter((r) => r.service === 'chat' && r.attributes.get('tv.role') === 'client');
    expect(new Set(clientEvents.map((r) => r.attributes.get('feature_flag.resilience')))).toEqual(new Set(['on', 'off']));
    // Only heartbeats notice a dead link, and only `on` clients send them.
    const missed = records.filter((r) => r.service === 'chat' && r.event === 'conn.heartbeat.missed');
    expect(missed.length).toBeGreaterThan(0);
    for (const r of missed) expect(r.attributes.get('feature_flag.resilience')).toBe('on');
    // `on` clients jitter their reconnect delays, `off` clients never do.
    const scheduled = records.filter((r) => r.service === 'chat' && r.event === 'conn.reconnect.scheduled');
    const jitterOf = (variant: string) => scheduled.filter((r) => r.attributes.get('feature_flag.resilience') === variant).map((r) => Number(r.attributes.get('tv.reconnect.jitter_ms') ?? 0));
    expect(jitterOf('off').length).toBeGreaterThan(0);
    expect(jitterOf('off').every((j) => j === 0)).toBe(true);
    expect(jitterOf('on').some((j) => j !== 0)).toBe(true);
    // Nothing else is flagged: the legacy fleet and the gateways report no cohort.
    for (const r of records.filter((x) => x.service === 'chat-legacy' || x.attributes.get('tv.role') === 'server')) {
      expect([...r.attributes.keys()].filter((k) => k.startsWith('feature_flag.'))).toEqual([]);
    }
    await vi.waitFor(
      () => {
        const active = metricPoints('tv.connection.active').filter((p) => p.service === 'chat' && p.attributes.get('tv.role') === 'client');
        expect(new Set(active.map((p) => p.attributes.get('feature_flag.resilience')))).toEqual(new Set(['on', 'off']));
      },
      { timeout: 5_000, interval: 200 },
    );
  });
});
