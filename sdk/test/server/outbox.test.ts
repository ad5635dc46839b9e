import { describe, expect, it } from 'vitest';
import { LruSet } from '../../src/server/lru-set.js';
import { Outbox, type OutboxEntry } from '../../src/server/outbox.js';

const entry = (seq: number, createdAt = 0): OutboxEntry => ({ seq, id: `m${seq}`, frame: '{}', createdAt, channel: undefined, size: 2 });
const seqs = (entries: OutboxEntry[]): number[] => entries.map((e) => e.seq);

describe('Outbox', () => {
  it('evicts the oldest beyond maxSize', () => {
    const outbox = new Outbox({ maxSize: 2, ttlMillis: 1_000 });
    expect(outbox.push(entry(1))).toEqual([]);
    expect(outbox.push(entry(2))).toEqual([]);
    expect(seqs(outbox.push(entry(3)))).toEqual([1]);
    expect(outbox.oldestSeq).toBe(2);
    expect(outbox.size).toBe(2);
  });

  it('removes what a cumulative ack covers and lists what a client is missing', () => {
    const outbox = new Outbox({ maxSize: 10, ttlMillis: 1_000 });
    for (const seq of [1, 2, 3, 4]) outbox.push(entry(seq));
    expect(seqs(outbox.ackUpTo(2))).toEqual([1, 2]);
    expect(seqs(outbox.ackUpTo(2))).toEqual([]);
    expect(seqs(outbox.after(3))).toEqual([4]);
    expect(seqs(outbox.after(0))).toEqual([3, 4]);
    expect(seqs(outbox.drain())).toEqual([3, 4]);
    expect(outbox.oldestSeq).toBeUndefined();
  });

  it('expires by TTL from the oldest', () => {
    const outbox = new Outbox({ maxSize: 10, ttlMillis: 100 });
    outbox.push(entry(1, 0));
    outbox.push(entry(2, 50));
    expect(seqs(outbox.takeExpired(99))).toEqual([]);
    expect(seqs(outbox.takeExpired(100))).toEqual([1]);
    expect(seqs(outbox.takeExpired(150))).toEqual([2]);
  });
});

describe('LruSet', () => {
  it('remembers the most recently seen ids only', () => {
    const set = new LruSet(2);
    set.add('a');
    set.add('b');
    expect(set.has('a')).toBe(true); // refreshes a
    set.add('c'); // evicts b
    expect(set.has('b')).toBe(false);
    expect(set.has('a')).toBe(true);
    expect(set.has('c')).toBe(true);
    expect(set.size).toBe(2);
  });
});
