import { describe, expect, it } from 'vitest';
import { DeliveryQueue, type PendingNotification } from '../../src/alerts/notify/delivery-queue.js';

const item = (key: string, enqueuedAt = 0): PendingNotification => ({
  fingerprint: 'f',
  idempotencyKey: key,
  payload: new Uint8Array(),
  signature: undefined,
  enqueuedAt,
  attempts: 0,
  notBefore: 0,
});

describe('DeliveryQueue', () => {
  it('offers the oldest notification until it is removed', () => {
    const q = new DeliveryQueue(10);
    const first = item('n1');
    q.push(first);
    q.push(item('n2'));
    q.begin(first);
    q.end(first);
    expect(q.head()).toBe(first);
    q.remove(first);
    expect(q.head()?.idempotencyKey).toBe('n2');
    expect(q.queued).toBe(1);
  });

  it('when full, drops the oldest waiting notification, never the one in flight', () => {
    const q = new DeliveryQueue(2);
    const first = item('n1');
    q.push(first);
    q.begin(first);
    expect(q.push(item('n2'))).toBeUndefined();
    expect(q.push(item('n3'))).toBeUndefined();
    expect(q.push(item('n4'))?.idempotencyKey).toBe('n2');
    expect(q.queued).toBe(2);
    expect(q.inFlight).toBe(first);
    q.end(first);
    expect(q.push(item('n5'))?.idempotencyKey).toBe('n1');
  });

  it('expires waiting notifications older than a cutoff, but not the one in flight', () => {
    const q = new DeliveryQueue(10);
    const busy = item('busy', 50);
    const old = item('old', 100);
    for (const i of [busy, old, item('new', 900)]) q.push(i);
    q.begin(busy);
    expect(q.removeOlderThan(500)).toEqual([old]);
    expect(q.queued).toBe(1);
    expect(q.head()).toBe(busy);
  });
});
