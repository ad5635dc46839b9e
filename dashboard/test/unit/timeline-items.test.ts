import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../src/collector-api/types.js';
import { timelineItems } from '../../src/lookup/timeline-items.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 6, 0, s)).toISOString();
const ev = (s: number, event: string, extra: Partial<TimelineEvent> = {}): TimelineEvent => ({
  time: at(s),
  time_unix_nano: `${Date.parse(at(s))}000000`,
  event,
  session_id: 's1',
  ...extra,
});

describe('timelineItems', () => {
  it('puts an offline period after a drop, until the session reconnects, and marks what happened meanwhile', () => {
    const items = timelineItems([
      ev(0, 'conn.open'),
      ev(10, 'conn.close', { close_code: 1006, close_abnormal: true, duration_ms: 10_000 }),
      ev(11, 'msg.queued', { message_id: 'm1' }),
      ev(12, 'conn.close', { close_code: 1006, close_abnormal: true }),
      ev(14, 'conn.open', { downtime_ms: 4_000 }),
    ]);
    expect(items.map((i) => (i.kind === 'offline' ? `offline ${i.millis}` : `${i.event.event}${i.whileOffline ? ' (offline)' : ''}`))).toEqual([
      'conn.open',
      'conn.close',
      'offline 4000',
      'msg.queued (offline)',
      'conn.close (offline)',
      'conn.open',
    ]);
  });

  it('leaves a period open when the timeline ends first, and a normal close (1000) is not a drop', () => {
    const items = timelineItems([ev(0, 'conn.close', { close_code: 1000, duration_ms: 5 }), ev(5, 'conn.close', { close_code: 1001, duration_ms: 5 })]);
    expect(items.filter((i) => i.kind === 'offline')).toEqual([{ kind: 'offline', from: Date.parse(at(5)), until: null, millis: null, sessionId: 's1' }]);
  });
});
