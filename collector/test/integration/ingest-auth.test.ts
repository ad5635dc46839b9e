import { afterAll, beforeAll, expect, it } from 'vitest';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { RunningCollector } from '../../src/collector.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

/** With COLLECTOR_INGEST_KEY set, writes need the key; reads and CORS preflights do not. */

const KEY = 'k3y-for-tests-0123456789';
const data = freshDataDir();
let collector: RunningCollector;

beforeAll(async () => {
  collector = await startTestCollector(data.dir, { ingestKey: KEY });
});
afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

const body = (session: string) => JSON.stringify(logsRequest({ 'service.name': 'auth' }, [eventRecord('conn.open', { 'session.id': session })]));
const postLogs = (headers: Record<string, string>, session = 'x') =>
  fetch(`${collector.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body(session) });

it('refuses OTLP without the key or with a wrong one, saying how to send it', async () => {
  const missing = await postLogs({});
  expect(missing.status).toBe(401);
  expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(((await missing.json()) as { code: number; message: string })).toMatchObject({ code: 16, message: expect.stringMatching(/^Missing ingest key: send/) });
  const wrong = await postLogs({ authorization: 'Bearer not-the-key' });
  expect(wrong.status).toBe(401);
  expect(((await wrong.json()) as { message: string }).message).toMatch(/^Unknown API key/);
});

it('accepts the key as a bearer token or in x-tunnelvision-key', async () => {
  expect((await postLogs({ authorization: `Bearer ${KEY}` }, 'bearer')).status).toBe(200);
  expect((await postLogs({ 'x-tunnelvision-key': KEY }, 'header')).status).toBe(200);
  expect((await getJson(collector.url, '/api/v1/timeline?session_id=bearer')).body.events).toHaveLength(1);
});

it('works with the official exporter configured with the header', async () => {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'auth' }),
    processors: [new SimpleLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${collector.url}/v1/logs`, headers: { authorization: `Bearer ${KEY}` } }) })],
  });
  provider.getLogger('t').emit({ eventName: 'conn.open', attributes: { 'session.id': 'exporter' } });
  await provider.forceFlush();
  await provider.shutdown();
  expect((await getJson(collector.url, '/api/v1/timeline?session_id=exporter')).body.events).toHaveLength(1);
});

it('protects deploy markers but not reads or preflights', async () => {
  const deploy = (headers: Record<string, string>) =>
    fetch(`${collector.url}/api/v1/deploys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ service: 'auth', version: '1' }),
    });
  const refused = await deploy({});
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/Missing ingest key/);
  expect((await deploy({ authorization: `Bearer ${KEY}` })).status).toBe(201);
  expect((await getJson(collector.url, '/api/v1/deploys')).status).toBe(200);
  const preflight = await fetch(`${collector.url}/v1/logs`, {
    method: 'OPTIONS',
    headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  expect(preflight.status).toBe(204);
});
