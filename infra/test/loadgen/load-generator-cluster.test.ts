import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LoadGeneratorOptionError, startLoadGeneratorCluster, type LoadGenerator } from '../../src/loadgen/index.js';

// Two worker processes against a stand-in collector: shards connect, play
// a scenario together, report one deploy marker, merge their stats, and
// stop with their telemetry flushed.
interface Seen {
  path: string;
  body: string;
}
const seen: Seen[] = [];
let server: Server;
let url: string;
let cluster: LoadGenerator | undefined;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ path: (req.url ?? '').split('?')[0]!, body });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v1/deploys') {
        res.statusCode = 201;
        res.end(JSON.stringify({ deploy: { id: `d-${seen.length}`, time: new Date().toISOString() } }));
        return;
      }
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await cluster?.stop();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('startLoadGeneratorCluster', () => {
  it('runs shards in worker processes that play scenarios together and report as one', { timeout: 90_000 }, async () => {
    cluster = await startLoadGeneratorCluster(
      { collectorUrl: url, clients: 21, legacyClients: 4, maxReconnectDelayMillis: 2_000, deployStepMillis: 500, logExportDelayMillis: 100 },
      2,
    );
    await vi.waitFor(
      () => {
        const [chat, legacy] = cluster!.stats().fleets;
        expect(chat).toMatchObject({ service: 'chat', clients: 21, connected: 21 });
        expect(legacy).toMatchObject({ service: 'chat-legacy', clients: 4, connected: 4 });
      },
      { timeout: 30_000, interval: 200 },
    );

    await cluster.runScenario('deploy');
    const markers = seen.filter((s) => s.path === '/api/v1/deploys').map((s) => JSON.parse(s.body) as { service: string; version: string });
    expect(markers).toEqual([expect.objectContaining({ service: 'chat', version: 'gateway-1.4.1', environment: 'demo' })]);
    await vi.waitFor(
      () => {
        const stats = cluster!.stats();
        expect(stats.deploys.map((d) => d.version)).toEqual(['gateway-1.4.1']);
        expect(stats.fleets[0]!.gateways.map((g) => [g.name, g.version])).toEqual([
          ['chat-gw-1', 'gateway-1.4.1'],
          ['chat-gw-2', 'gateway-1.4.1'],
        ]);
        expect(stats.totals.reconnects).toBeGreaterThanOrEqual(21);
        expect(stats.totals.acked).toBeGreaterThan(0);
      },
      { timeout: 10_000, interval: 200 },
    );

    // Shards number their users apart: user ids never repeat across workers.
    const users = new Set<string>();
    for (const body of seen.filter((s) => s.path === '/v1/logs').map((s) => s.body)) {
      for (const match of body.matchAll(/"key":"user\.id","value":\{"stringValue":"(user-chat-\d+)"\}/g)) users.add(match[1]!);
    }
    expect([...users].sort()).toEqual(Array.from({ length: 21 }, (_, i) => `user-chat-${i + 1}`).sort());

    await cluster.stop();
    const stats = cluster.stats();
    expect(stats.telemetry.exported).toBeGreaterThan(0);
    expect(stats.telemetry.exported).toBe(stats.telemetry.emitted);
    expect(stats.telemetry.failed).toBe(0);
  });

  it('refuses more workers than clients', async () => {
    await expect(startLoadGeneratorCluster({ collectorUrl: url, clients: 2 }, 3)).rejects.toThrow(LoadGeneratorOptionError);
  });
});
