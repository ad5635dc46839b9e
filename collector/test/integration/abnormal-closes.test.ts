import { ABNORMAL_CLOSE_CODES } from '@tunnelvision/semconv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../src/collector.js';
import { BUILTIN_RULES } from '../../src/alerts/rules/builtin-rules.js';
import { freshDataDir, getJson, startTestCollector } from '../support/test-collector.js';
import { eventRecord, logsRequest } from '@tunnelvision/test-support';

/**
 * "Abnormal close" has one definition, ABNORMAL_CLOSE_CODES in the
 * conventions. One close of an open connection per code, abnormal or not,
 * must give the same abnormal count in the series (which the alert reads)
 * and in the close-code breakdown.
 */

const data = freshDataDir();
let collector: RunningCollector;
const at = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
const window = `service=gateway&from=${at - 60_000}&to=${at + 5 * 60_000}`;
const NORMAL_CODES = [1000, 1001, 1005, 1008, 1012, 1013, 4000, 4002];

beforeAll(async () => {
  collector = await startTestCollector(data.dir);
  const records = [...ABNORMAL_CLOSE_CODES, ...NORMAL_CODES].map((code, i) =>
    eventRecord('conn.close', { 'session.id': `s-${code}`, 'tv.close.code': code, 'tv.connection.duration_ms': 10_000 }, at + i),
  );
  // An attempt that never opened is a failed attempt, whatever its code.
  records.push(eventRecord('conn.close', { 'session.id': 's-refused', 'tv.close.code': 1006 }, at + 100));
  const body = logsRequest({ 'service.name': 'gateway', 'deployment.environment.name': 'production' }, records);
  const response = await fetch(`${collector.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
});

afterAll(async () => {
  await collector?.stop();
  await data.remove();
});

describe('abnormal closes', () => {
  it('are the codes of the conventions in the series and in the close-code breakdown', async () => {
    const series = await getJson<{ description: string; points: { v: number }[] }>(collector.url, `/api/v1/series?metric=abnormal_closes&step=10m&${window}`);
    expect(series.status).toBe(200);
    expect(series.body.points.reduce((n, p) => n + p.v, 0)).toBe(ABNORMAL_CLOSE_CODES.length);
    for (const code of ABNORMAL_CLOSE_CODES) expect(series.body.description).toContain(String(code));

    const breakdown = await getJson<{ codes: { code: number; abnormal: boolean; count: number }[] }>(collector.url, `/api/v1/close-codes?${window}`);
    expect(breakdown.status).toBe(200);
    const flagged = breakdown.body.codes.filter((c) => c.abnormal);
    expect(flagged.map((c) => c.code).sort()).toEqual([...ABNORMAL_CLOSE_CODES].sort());
    expect(flagged.reduce((n, c) => n + c.count, 0)).toBe(ABNORMAL_CLOSE_CODES.length);
  });

  it('are flagged on timeline events, which the Lookup page words as "Connection lost"', async () => {
    for (const code of [...ABNORMAL_CLOSE_CODES, ...NORMAL_CODES]) {
      const timeline = await getJson<{ events: { close_code?: number; close_abnormal?: boolean }[] }>(collector.url, `/api/v1/timeline?session_id=s-${code}&${window}`);
      expect(timeline.body.events.map((e) => [e.close_code, e.close_abnormal])).toEqual([[code, ABNORMAL_CLOSE_CODES.includes(code)]]);
    }
  });

  it('are what the abnormal-close-surge rule watches', () => {
    const rule = BUILTIN_RULES.find((r) => r['id'] === 'abnormal-close-surge');
    expect(rule?.['signal']).toBe('abnormal_closes');
    for (const code of ABNORMAL_CLOSE_CODES) expect(rule?.['description']).toContain(String(code));
  });
});
