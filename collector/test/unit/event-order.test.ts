import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../src/api-types.js';
import { orderTimelineEvents } from '../../src/query/event-order.js';

const ev = (event: string, ms: number, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
  time: new Date(ms).toISOString(),
  time_unix_nano: `${ms}000000`,
  event,
  ...extra,
});
const names = (events: TimelineEvent[]) => orderTimelineEvents(events).map((e) => `${e.role ?? ''}${e.role ? ' ' : ''}${e.event}`);

describe('orderTimelineEvents', () => {
  it('orders by time first', () => {
    expect(names([ev('conn.open', 2), ev('conn.close', 1)])).toEqual(['conn.close', 'conn.open']);
  });

  it('orders one instant causally without tv.event.seq: opening, open, error, close, drop, reconnect', () => {
    const instant = ['conn.reconnect.scheduled', 'msg.dropped', 'conn.close', 'conn.error', 'conn.open', 'conn.opening'].map((n) => ev(n, 5));
    expect(names(instant)).toEqual(['conn.opening', 'conn.open', 'conn.error', 'conn.close', 'msg.dropped', 'conn.reconnect.scheduled']);
  });

  it('lets tv.event.seq win within one emitter, each side of a connection numbering its own events', () => {
    const c = { connection_id: 'c1' };
    const events = [
      ev('msg.sent', 5, { ...c, role: 'client', event_seq: 2 }),
      ev('conn.heartbeat.missed', 5, { ...c, role: 'client', event_seq: 1 }),
      ev('msg.received', 5, { ...c, role: 'server', event_seq: 2 }),
      ev('conn.open', 5, { ...c, role: 'server', event_seq: 1 }),
    ];
    // Each emitter's events refill that emitter's places in the causal order, in seq order.
    expect(names(events)).toEqual(['server conn.open', 'client conn.heartbeat.missed', 'server msg.received', 'client msg.sent']);
  });
});
