import type { TimelineEvent } from '../api-types.js';

/**
 * Where an event falls in a connection's life, for events of the same
 * instant that carry no `tv.event.seq` (older producers): a connection
 * opens before it is used, and errs before it closes; a drop caused by the
 * close and the reconnect planned after it come last. Unknown names sit in
 * the middle, with the message events.
 */
const CAUSAL_RANK: Readonly<Record<string, number>> = {
  'conn.opening': 1,
  'conn.open': 2,
  'session.resume': 4,
  'msg.queued': 5,
  'msg.sent': 6,
  'msg.retried': 7,
  'msg.replayed': 8,
  'msg.received': 9,
  'msg.duplicate': 10,
  'msg.gap': 11,
  'msg.acked': 12,
  'conn.heartbeat.missed': 13,
  'conn.error': 14,
  'conn.close': 15,
  'msg.dropped': 16,
  'conn.reconnect.scheduled': 18,
  'conn.reconnect.gave_up': 19,
};
const MIDDLE = 9;

/** A state change ranks by where it leads: into connecting before the attempt, into open after the open, anything else after the close. */
function causalRank(e: TimelineEvent): number {
  if (e.event === 'conn.state') return e.state_to === 'connecting' ? 0 : e.state_to === 'open' ? 3 : 17;
  return (e.event !== undefined ? CAUSAL_RANK[e.event] : undefined) ?? MIDDLE;
}

/** One SDK connection handle: each side (role) of a connection numbers its own events. */
const emitterOf = (e: TimelineEvent) => `${e.role ?? ''}\u0000${e.service ?? ''}\u0000${e.connection_id ?? ''}`;

/**
 * Orders a timeline: by time; within the same instant, by the causal rank
 * of the event names; and the events of one emitter that carry
 * `tv.event.seq` then take that emitter's places in the instant in seq
 * order, so the producer's own order always wins where it is known.
 * Pure and stable: events the rules cannot tell apart keep their order.
 */
export function orderTimelineEvents(events: readonly TimelineEvent[]): TimelineEvent[] {
  const byTime = events
    .map((event, index) => ({ event, index, nanos: BigInt(event.time_unix_nano) }))
    .sort((a, b) => (a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : causalRank(a.event) - causalRank(b.event) || a.index - b.index));
  const ordered: TimelineEvent[] = [];
  for (let start = 0; start < byTime.length; ) {
    let end = start + 1;
    while (end < byTime.length && byTime[end]!.nanos === byTime[start]!.nanos) end++;
    ordered.push(...applySeq(byTime.slice(start, end).map((x) => x.event)));
    start = end;
  }
  return ordered;
}

/** Within one instant: each emitter's sequenced events refill that emitter's sequenced slots in seq order. */
function applySeq(instant: TimelineEvent[]): TimelineEvent[] {
  if (instant.length < 2) return instant;
  const slots = new Map<string, number[]>();
  instant.forEach((e, i) => {
    if (e.event_seq === undefined) return;
    const key = emitterOf(e);
    const list = slots.get(key);
    if (list) list.push(i);
    else slots.set(key, [i]);
  });
  const result = [...instant];
  for (const positions of slots.values()) {
    const sorted = positions.map((i) => instant[i]!).sort((a, b) => a.event_seq! - b.event_seq!);
    positions.forEach((slot, n) => (result[slot] = sorted[n]!));
  }
  return result;
}
