import { describe, expect, it } from 'vitest';
import { OutboundQueue } from '../../src/client/outbound-queue.js';
import { InboundSequencer } from '../../src/client/inbound-sequencer.js';
import { canTransition } from '../../src/client/client-state.js';

interface Item {
  name: string;
  createdAt: number;
}

const item = (name: string, createdAt = 0): Item => ({ name, createdAt });

describe('OutboundQueue', () => {
  it('is FIFO and evicts the oldest when full', () => {
    const queue = new OutboundQueue<Item>({ maxSize: 2, ttlMillis: 1_000 });
    expect(queue.push(item('a'))).toEqual([]);
    expect(queue.push(item('b'))).toEqual([]);
    expect(queue.push(item('c')).map((i) => i.name)).toEqual(['a']);
    expect(queue.size).toBe(2);
    expect(queue.shift()?.name).toBe('b');
    expect(queue.shift()?.name).toBe('c');
    expect(queue.shift()).toBeUndefined();
  });

  it('size 0 holds nothing: the new item itself is evicted', () => {
    const queue = new OutboundQueue<Item>({ maxSize: 0, ttlMillis: 1_000 });
    const a = item('a');
    expect(queue.push(a)).toEqual([a]);
    expect(queue.size).toBe(0);
  });

  it('prepend puts items first, in order, and trims the oldest', () => {
    const queue = new OutboundQueue<Item>({ maxSize: 3, ttlMillis: 1_000 });
    queue.push(item('c'));
    queue.push(item('d'));
    const evicted = queue.prepend([item('a'), item('b')]);
    expect(evicted.map((i) => i.name)).toEqual(['a']);
    expect(queue.drain().map((i) => i.name)).toEqual(['b', 'c', 'd']);
  });

  it('expires items by TTL and tells when the next one expires', () => {
    const queue = new OutboundQueue<Item>({ maxSize: 10, ttlMillis: 100 });
    expect(queue.nextExpiryAt()).toBeUndefined();
    queue.push(item('a', 0));
    queue.push(item('b', 50));
    expect(queue.nextExpiryAt()).toBe(100);
    expect(queue.takeExpired(99)).toEqual([]);
    expect(queue.takeExpired(100).map((i) => i.name)).toEqual(['a']);
    expect(queue.nextExpiryAt()).toBe(150);
    expect(queue.takeExpired(1_000).map((i) => i.name)).toEqual(['b']);
    expect(queue.size).toBe(0);
  });
});

describe('InboundSequencer', () => {
  it('delivers in order, flags duplicates and gaps', () => {
    const seq = new InboundSequencer();
    expect(seq.accept(1)).toEqual({ kind: 'deliver' });
    expect(seq.accept(2)).toEqual({ kind: 'deliver' });
    expect(seq.accept(2)).toEqual({ kind: 'duplicate' });
    expect(seq.accept(1)).toEqual({ kind: 'duplicate' });
    expect(seq.accept(5)).toEqual({ kind: 'gap', expected: 3, got: 5 });
    expect(seq.lastSeq).toBe(2);
    seq.reset(10);
    expect(seq.accept(11)).toEqual({ kind: 'deliver' });
  });
});

describe('client state machine', () => {
  it('allows the documented moves only', () => {
    expect(canTransition('connecting', 'open')).toBe(true);
    expect(canTransition('open', 'reconnecting')).toBe(true);
    expect(canTransition('reconnecting', 'open')).toBe(true);
    expect(canTransition('offline', 'reconnecting')).toBe(true);
    expect(canTransition('closed', 'connecting')).toBe(true);
    expect(canTransition('open', 'connecting')).toBe(false);
    expect(canTransition('closed', 'open')).toBe(false);
    expect(canTransition('offline', 'open')).toBe(false);
  });
});
