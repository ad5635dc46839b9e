import { double, eventRecord, logsRequest } from '@tunnelvision/test-support';

/**
 * Posts `count` reconnects (conn.open carrying tv.connection.downtime_ms,
 * docs/semconv.md) spread over the last `spreadMillis`, with current
 * timestamps, so a rule on the `reconnects` signal sees them in its window.
 */
export async function postReconnects(
  collectorUrl: string,
  count: number,
  options: { service?: string; environment?: string; server?: string; spreadMillis?: number; now?: number } = {},
): Promise<void> {
  const { service = 'chat-web', environment = 'production', server = 'ws-eu-1', spreadMillis = 20_000, now = Date.now() } = options;
  const records = Array.from({ length: count }, (_, i) =>
    eventRecord(
      'conn.open',
      {
        'session.id': `burst-${now}-${i}`,
        'tv.connection.id': `burst-conn-${now}-${i}`,
        'tv.connection.attempt': 2,
        'tv.connection.downtime_ms': double(1_200),
        'server.address': server,
      },
      now - Math.round((spreadMillis * (count - i)) / count),
    ),
  );
  const body = logsRequest({ 'service.name': service, 'service.version': '2.15.0', 'deployment.environment.name': environment }, records);
  const response = await fetch(`${collectorUrl}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST /v1/logs answered ${response.status}: ${text}`);
  if (text && (JSON.parse(text) as { partialSuccess?: unknown }).partialSuccess) throw new Error(`POST /v1/logs rejected records: ${text}`);
}
