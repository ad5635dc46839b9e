import { describe, expect, it } from 'vitest';
import { jsonGroup, packJson, utf8Length, type JsonItem } from '../../../src/export/browser/json-packer.js';
import { createBoundedQueue } from '../../../src/export/browser/bounded-queue.js';

const envelope = jsonGroup({ resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [] }] });
const scopeA = jsonGroup({ scope: { name: 'a' }, logRecords: [] });
const scopeB = jsonGroup({ scope: { name: 'b' }, logRecords: [] });
const item = (scope: typeof scopeA, record: object): JsonItem => ({ groups: [envelope, scope], json: JSON.stringify(record) });

describe('jsonGroup', () => {
  it('splits a container at its trailing empty list', () => {
    expect(jsonGroup({ scope: { name: 'x', tags: [] }, logRecords: [] })).toEqual({
      open: '{"scope":{"name":"x","tags":[]},"logRecords":[',
      close: ']}',
    });
  });
});

describe('utf8Length', () => {
  it('matches TextEncoder for ASCII, 2-, 3- and 4-byte characters', () => {
    for (const text of ['', 'plain', 'déjà vu', '€ and ✓', 'emoji 🚀🛰️ end', '\u07ff\u0800\uffff']) {
      expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});

describe('packJson', () => {
  it('shares groups between consecutive items and keeps order', () => {
    const items = [item(scopeA, { n: 1 }), item(scopeA, { n: 2 }), item(scopeB, { n: 3 }), item(scopeA, { n: 4 })];
    const [body, ...rest] = packJson(items, 65_536);
    expect(rest).toEqual([]);
    expect(body!.items).toBe(4);
    expect(body!.bytes).toBe(utf8Length(body!.body));
    expect(JSON.parse(body!.body)).toEqual({
      resourceLogs: [
        {
          resource: { attributes: [] },
          scopeLogs: [
            { scope: { name: 'a' }, logRecords: [{ n: 1 }, { n: 2 }] },
            { scope: { name: 'b' }, logRecords: [{ n: 3 }] },
            { scope: { name: 'a' }, logRecords: [{ n: 4 }] },
          ],
        },
      ],
    });
  });

  it('splits into bodies no larger than the limit, each valid JSON, nothing lost', () => {
    const items = Array.from({ length: 500 }, (_, n) => item(n % 7 === 0 ? scopeB : scopeA, { n, text: `é🚀${'x'.repeat(n % 300)}` }));
    const bodies = packJson(items, 4_096);
    expect(bodies.length).toBeGreaterThan(10);
    const seen: number[] = [];
    for (const body of bodies) {
      expect(body.bytes).toBe(new TextEncoder().encode(body.body).length);
      expect(body.bytes).toBeLessThanOrEqual(4_096);
      const parsed = JSON.parse(body.body);
      const records = parsed.resourceLogs[0].scopeLogs.flatMap((s: { logRecords: { n: number }[] }) => s.logRecords);
      expect(records.length).toBe(body.items);
      seen.push(...records.map((r: { n: number }) => r.n));
    }
    expect(seen).toEqual(items.map((_, n) => n));
  });

  it('gives an item too large for the limit a body of its own', () => {
    const big = item(scopeA, { text: 'x'.repeat(5_000) });
    const bodies = packJson([item(scopeA, { n: 1 }), big, item(scopeA, { n: 2 })], 1_000);
    expect(bodies.map((b) => b.items)).toEqual([1, 1, 1]);
    expect(bodies[1]!.bytes).toBeGreaterThan(1_000);
    expect(bodies[0]!.bytes).toBeLessThanOrEqual(1_000);
  });

  it('returns no body for no items', () => {
    expect(packJson([], 1_000)).toEqual([]);
  });
});

describe('createBoundedQueue', () => {
  it('takes in order and drops the oldest when full, counting drops', () => {
    const queue = createBoundedQueue<number>(3);
    for (let n = 1; n <= 5; n++) queue.push(n);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(2);
    expect(queue.take(2)).toEqual([3, 4]);
    queue.push(6);
    queue.push(7);
    expect(queue.take(10)).toEqual([5, 6, 7]);
    expect(queue.size).toBe(0);
    expect(queue.dropped).toBe(2);
  });
});
