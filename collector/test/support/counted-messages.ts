import { eventRecord, logsRequest } from '@tunnelvision/test-support';
import type { RunningCollector } from '../../src/collector.js';

/**
 * Numbered msg.sent events of one service, and how many of them the store
 * holds: for the tests that check nothing acknowledged is lost or stored
 * twice across outages and crashes.
 */

/** An OTLP/JSON logs request of `count` msg.sent events of `service`, with message ids `<prefix>-<i>`. */
export const sentMessages = (service: string, prefix: string, count = 1): string =>
  JSON.stringify(logsRequest({ 'service.name': service }, Array.from({ length: count }, (_, i) => eventRecord('msg.sent', { 'session.id': prefix, 'tv.message.id': `${prefix}-${i}` }))));

export const postLogs = (url: string, body: string): Promise<Response> => fetch(`${url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

/** Rows stored for the service, distinct message ids among them, and the rollup's count of the same events. */
export async function storedCounts(collector: RunningCollector, service: string): Promise<{ stored: number; unique: number; rolledUp: number }> {
  const db = collector.store.database;
  const result = await collector.store.client.query({
    query: `SELECT (SELECT count() FROM ${db}.logs WHERE ServiceName = {service:String}) AS stored,
                   (SELECT uniqExact(MessageId) FROM ${db}.logs WHERE ServiceName = {service:String}) AS unique,
                   (SELECT sum(Events) FROM ${db}.events_1m WHERE ServiceName = {service:String}) AS rolledUp`,
    query_params: { service },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<string, string | number>>();
  return { stored: Number(row!.stored), unique: Number(row!.unique), rolledUp: Number(row!.rolledUp) };
}
