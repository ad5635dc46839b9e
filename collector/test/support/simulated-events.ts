import { eventRecord, logsRequest } from '@tunnelvision/test-support';

/** Posts `count` reconnects (conn.open with a downtime) for `service` at `timeMs` as OTLP/JSON. */
export async function postReconnects(collectorUrl: string, service: string, timeMs: number, count: number, server = 'gw-1'): Promise<void> {
  const records = Array.from({ length: count }, (_, i) =>
    eventRecord('conn.open', { 'session.id': `${service}-${timeMs}-${i}`, 'server.address': server, 'tv.connection.downtime_ms': 800 }, timeMs + i),
  );
  const response = await fetch(`${collectorUrl}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(logsRequest({ 'service.name': service, 'deployment.environment.name': 'test' }, records)),
  });
  if (!response.ok) throw new Error(`OTLP export failed: ${response.status} ${await response.text()}`);
}

/** A minute-aligned-to-10-s time in the future, so simulated evaluations never collide with real ones. */
export function simulatedStart(aheadMillis = 10 * 60_000): number {
  return Math.ceil((Date.now() + aheadMillis) / 10_000) * 10_000;
}
