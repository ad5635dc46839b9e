import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLoadGenerator, startProgressReporter, type LoadGenerator } from '@tunnelvision/infra';
import { collectorPerFile } from './support/collector-per-file.js';

// A shortened live demo against a real collector: every timing is cut to
// seconds so deploy, tunnel and loss fit in well under a minute.
const collector = collectorPerFile();
let generator: LoadGenerator;

beforeAll(async () => {
  generator = await startLoadGenerator({
    collectorUrl: collector.url,
    clients: 40,
    legacyClients: 10,
    servers: 2,
    messageIntervalMillis: 1_000,
    tunnelShare: 0.25,
    tunnelQueueSize: 5,
    lossBurstMessages: 15,
    heartbeatIntervalMillis: 1_000,
    pongTimeoutMillis: 500,
    connectTimeoutMillis: 1_500,
    maxReconnectDelayMillis: 2_000,
    deployStepMillis: 1_500,
    tunnelMillis: 5_000,
    lossHoldMillis: 1_000,
    recoveryTimeoutMillis: 15_000,
    latencyMedianMillis: 20,
    latencyP99Millis: 150,
    metricExportIntervalMillis: 1_000,
    logExportDelayMillis: 200,
  });
});

afterAll(async () => {
  await generator?.stop();
});

async function get<T>(path: string): Promise<T> {
  const response = await fetch(`${collector.url}${path}`);
  const body = (await response.json()) as T;
  if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Polls `check` until it stops throwing (the collector stores rows in batches). */
async function eventually(check: () => Promise<void> | void, timeoutMillis = 15_000): Promise<void> {
  await vi.waitFor(check, { timeout: timeoutMillis, interval: 300 });
}

interface Point {
  t: string;
  v: number | null;
}
interface TimelineEvent {
  event: string;
  session_id?: string;
  drop_reason?: string;
}
interface Timeline {
  events: TimelineEvent[];
  messages: Array<{ message_id: string; verdict: string; drop_reason?: string; summary: string }>;
}

describe('the live demo, shortened', () => {
  it('connects both fleets, direct and through the tunnel', async () => {
    await eventually(() => {
      const { fleets } = generator.stats();
      expect(fleets.map((f) => f.service)).toEqual(['chat', 'chat-legacy']);
      for (const fleet of fleets) expect(fleet.connected).toBe(fleet.clients);
      expect(fleets[0]!.tunnelClients).toBe(10);
    });
  });

  it('deploy: records a marker, and the reconnect spike right after it shows in series and impact', async () => {
    const startedAt = Date.now();
    await generator.runScenario('deploy');
    const stats = generator.stats();
    expect(stats.deploys).toHaveLength(1);
    const marker = stats.deploys[0]!;
    expect(marker).toMatchObject({ service: 'chat', version: 'gateway-1.4.1' });
    expect(stats.fleets[0]!.gateways.map((g) => g.version)).toEqual(['gateway-1.4.1', 'gateway-1.4.1']);

    const { deploys } = await get<{ deploys: Array<{ id: string; service: string; version: string; environment: string; commit: string }> }>(
      '/api/v1/deploys?service=chat',
    );
    expect(deploys).toEqual([expect.objectContaining({ id: marker.id, version: 'gateway-1.4.1', environment: 'demo', commit: expect.stringMatching(/^[0-9a-f]{40}$/) })]);

    // Every chat client was moved at least once (1001), most of them twice.
    await eventually(async () => {
      const from = startedAt - 60_000;
      const series = await get<{ points: Point[] }>(`/api/v1/series?metric=reconnects&service=chat&step=60s&from=${from}`);
      const total = series.points.reduce((sum, p) => sum + (p.v ?? 0), 0);
      expect(total).toBeGreaterThanOrEqual(40);
      const impact = await get<{
        before: { reconnects: number };
        after: { reconnects: number; closes: number };
        recovery: { clients_dropped: number; clients_back: number };
      }>(`/api/v1/deploys/${marker.id}/impact?window=5m`);
      expect(impact.after.reconnects).toBeGreaterThanOrEqual(40);
      expect(impact.after.reconnects).toBeGreaterThan(impact.before.reconnects);
      expect(impact.recovery.clients_dropped).toBeGreaterThanOrEqual(30);
      expect(impact.recovery.clients_back).toBeGreaterThanOrEqual(30);
    });
  });

  it('reports p50, p95 and p99 delivery latency', async () => {
    await eventually(async () => {
      const values: Record<string, number> = {};
      for (const q of ['p50', 'p95', 'p99']) {
        const series = await get<{ points: Point[] }>(`/api/v1/series?metric=latency_${q}&service=chat&step=60s`);
        const latest = series.points.filter((p) => p.v !== null).at(-1);
        expect(latest, `latency_${q} has a value`).toBeDefined();
        values[q] = latest!.v!;
      }
      expect(values.p50).toBeGreaterThan(0);
      expect(values.p50).toBeLessThanOrEqual(values.p99!);
    });
  });

  it('tunnel: the tunnel cohort is black-holed, then its queued messages replay', async () => {
    await generator.runScenario('tunnel');
    const replaying = generator.stats().replayedSessions;
    expect(replaying.length).toBeGreaterThan(0);
    await eventually(async () => {
      let found = false;
      for (const sessionId of replaying) {
        const timeline = await get<Timeline>(`/api/v1/timeline?session_id=${encodeURIComponent(sessionId)}`);
        const names = new Set(timeline.events.map((e) => e.event));
        if (names.has('conn.heartbeat.missed') && names.has('msg.replayed') && timeline.messages.some((m) => m.verdict === 'replayed')) {
          found = true;
          break;
        }
      }
      expect(found, `a replayed message in one of ${replaying.join(', ')}`).toBe(true);
    });
  });

  it('loss: tunnel clients overflow their queues, and a dropped message is findable by id with its reason', async () => {
    const lines: string[] = [];
    const reporter = startProgressReporter(generator, { intervalMillis: 100, write: (line) => lines.push(line), collectorUrl: collector.url });
    await generator.runScenario('loss');
    // The progress output hands the user a dropped message id to look up.
    await eventually(() => expect(lines.some((l) => l.startsWith('lost message to look up: '))).toBe(true));
    reporter.stop();
    const shown = /^lost message to look up: (\S+) \(queue_full, session \S+\): http/.exec(lines.find((l) => l.startsWith('lost message'))!);
    expect(shown).not.toBeNull();
    const drops = generator.stats().recentDrops.filter((d) => d.reason === 'queue_full');
    expect(drops.length).toBeGreaterThan(0);
    const drop = drops.at(-1)!;
    expect(drop.tunnel).toBe(true);
    await eventually(async () => {
      const timeline = await get<Timeline>(`/api/v1/timeline?message_id=${encodeURIComponent(drop.messageId)}`);
      expect(timeline.messages).toEqual([
        expect.objectContaining({ message_id: drop.messageId, verdict: 'dropped', drop_reason: 'queue_full', summary: expect.stringMatching(/queue was full/) }),
      ]);
      expect(timeline.events.find((e) => e.event === 'msg.dropped')).toMatchObject({ session_id: drop.sessionId, drop_reason: 'queue_full' });
      const lost = await get<{ points: Point[] }>(`/api/v1/series?metric=messages_lost&service=${drop.service}&step=60s`);
      expect(lost.points.reduce((sum, p) => sum + (p.v ?? 0), 0)).toBeGreaterThan(0);
    });
  });
});
