import type { TimelineEvent } from '@/collector-api/types';

/** A row of the rendered timeline. */
export type TimelineItem =
  | {
      kind: 'event';
      event: TimelineEvent;
      /** The client was offline (between a drop and the reconnect) when this happened. */
      whileOffline: boolean;
    }
  | {
      kind: 'offline';
      /** Epoch ms of the drop. */
      from: number;
      /** Epoch ms of the reconnect, or null if the timeline ends before one. */
      until: number | null;
      /** Downtime as reported by the reconnect (tv.connection.downtime_ms), else measured here. */
      millis: number | null;
      sessionId: string | undefined;
    };

/**
 * Interleaves offline periods with the events: after each drop (a
 * conn.close other than 1000) an "offline" row until that session's next
 * conn.open, and marks the events that happened in between. Failed
 * attempts (a close with no duration) while already offline extend the
 * same period.
 */
export function timelineItems(events: readonly TimelineEvent[]): TimelineItem[] {
  const sessionOf = (e: TimelineEvent) => e.session_id ?? e.connection_id ?? '';
  // First pass: for each drop, find the reconnect that ends it.
  const endOf = new Map<number, number | null>();
  const open = new Map<string, number>();
  events.forEach((e, i) => {
    const session = sessionOf(e);
    if (e.event === 'conn.close' && e.close_code !== 1000 && !open.has(session)) {
      open.set(session, i);
      endOf.set(i, null);
    } else if (e.event === 'conn.open' && open.has(session)) {
      endOf.set(open.get(session)!, i);
      open.delete(session);
    }
  });
  const items: TimelineItem[] = [];
  const offlineSessions = new Set<string>();
  events.forEach((e, i) => {
    const session = sessionOf(e);
    if (e.event === 'conn.open') offlineSessions.delete(session);
    items.push({ kind: 'event', event: e, whileOffline: offlineSessions.has(session) });
    if (endOf.has(i)) {
      const endIndex = endOf.get(i)!;
      const end = endIndex === null ? undefined : events[endIndex];
      const from = Date.parse(e.time);
      const until = end ? Date.parse(end.time) : null;
      items.push({
        kind: 'offline',
        from,
        until,
        millis: end?.downtime_ms ?? (until === null ? null : until - from),
        sessionId: e.session_id,
      });
      offlineSessions.add(session);
    }
  });
  return items;
}
