import type { MessageVerdict, TimelineEvent } from '../api-types.js';

export interface VerdictOptions {
  /** Delivery slower than this is "late" (default 1000 ms). */
  lateAfterMillis: number;
  /** A message sent this long ago with no ack and no drop is "never acknowledged" (default 60 s). */
  ackWindowMillis: number;
  /** Now, epoch ms. */
  now: number;
}

const DROP_WORDS: Record<string, string> = {
  queue_full: 'the offline queue was full',
  ttl_expired: 'it waited in the offline queue longer than its time to live',
  resume_failed: 'the session could not be resumed after a reconnect',
  outbox_full: "the server's outbox was full",
  attempts_exhausted: 'no acknowledgement came after every retry',
  policy: 'the connection was closed by policy',
  connection_lost: 'it was in flight when the connection dropped and was never resent',
};

const ms = (value: number) => `${Math.round(value)} ms`;

/** The latest of the events named `names`. */
const lastOf = (events: readonly TimelineEvent[], names: readonly string[]) => [...events].reverse().find((e) => names.includes(e.event ?? ''));

/**
 * Verdicts for every message journey in a timeline, in order of first
 * appearance. A journey is one message id within one session: ids are
 * unique within a session only (docs/semconv.md), so the same id in two
 * sessions is two messages with a verdict each. Both sides of a connection
 * report under the same session, so a server's events join the client's.
 * The rules, first match wins: dropped; acked (replayed, late, duplicate
 * noted); queued; sent without ack past the ack window; in flight; only
 * received (an inbound message).
 */
export function messageVerdicts(events: readonly TimelineEvent[], options: VerdictOptions): MessageVerdict[] {
  const messageEvents = events.filter((e) => typeof e.message_id === 'string' && typeof e.event === 'string' && e.event.startsWith('msg.'));
  // An event without a session (a producer that does not know it) joins the id's journey when exactly one session carried the id.
  const sessions = new Map<string, Set<string>>();
  for (const e of messageEvents) {
    if (e.session_id === undefined) continue;
    const carriers = sessions.get(e.message_id!) ?? new Set<string>();
    sessions.set(e.message_id!, carriers.add(e.session_id));
  }
  const journeys = new Map<string, TimelineEvent[]>();
  for (const event of messageEvents) {
    const carriers = sessions.get(event.message_id!);
    const session = event.session_id ?? (carriers?.size === 1 ? [...carriers][0]! : '');
    const key = `${session}\u0000${event.message_id!}`;
    let list = journeys.get(key);
    if (!list) journeys.set(key, (list = []));
    list.push(event);
  }
  return [...journeys.values()].map((list) => verdictFor(list, options));
}

function verdictFor(events: TimelineEvent[], options: VerdictOptions): MessageVerdict {
  const has = (name: string) => events.some((e) => e.event === name);
  const last = (name: string) => [...events].reverse().find((e) => e.event === name);
  const resends = events.filter((e) => e.event === 'msg.retried' || e.event === 'msg.replayed').length;
  const session = events.find((e) => e.session_id !== undefined)?.session_id;
  const base = {
    message_id: events[0]!.message_id!,
    ...(session === undefined ? {} : { session_id: session }),
    resends,
    first_seen: events[0]!.time,
    last_seen: events[events.length - 1]!.time,
  };
  const dropped = last('msg.dropped');
  if (dropped) {
    const reason = typeof dropped.drop_reason === 'string' ? dropped.drop_reason : 'unknown';
    const why = DROP_WORDS[reason] ?? `reason "${reason}"`;
    return { ...base, verdict: 'dropped', drop_reason: reason, summary: `Dropped, never delivered: ${why}.` };
  }
  const acked = last('msg.acked');
  const received = receivedByTheOtherSide(events);
  const oneWay = received ? Date.parse(received.received.time) - Date.parse(received.sent.time) : undefined;
  if (acked) {
    const ackLatency = typeof acked.latency_ms === 'number' ? acked.latency_ms : undefined;
    // The receiver's own word beats an ack that came back late (lost with a connection, resent on resume).
    const latency = oneWay !== undefined && (ackLatency === undefined || oneWay < ackLatency) ? oneWay : ackLatency;
    const took = latency === undefined ? '' : ` in ${ms(latency)}`;
    const duplicate = has('msg.duplicate') ? ' A duplicate copy was suppressed.' : '';
    if (has('msg.replayed')) {
      return { ...base, verdict: 'replayed', latency_ms: latency, summary: `Delivered${took} after being replayed when the connection came back.${duplicate}` };
    }
    if (duplicate) return { ...base, verdict: 'duplicate_suppressed', latency_ms: latency, summary: `Delivered${took}.${duplicate}` };
    if (latency !== undefined && latency > options.lateAfterMillis) {
      return { ...base, verdict: 'delivered_late', latency_ms: latency, summary: `Delivered late, in ${ms(latency)}.` };
    }
    return { ...base, verdict: 'delivered', latency_ms: latency, summary: `Delivered${took}.` };
  }
  if (has('msg.duplicate')) return { ...base, verdict: 'duplicate_suppressed', summary: 'A duplicate copy arrived and was suppressed.' };
  if (oneWay !== undefined) {
    // The receiver's own event outranks a missing ack: acks travel back over a connection that can drop first.
    const latency = oneWay;
    const replayed = has('msg.replayed');
    const verdict = replayed ? 'replayed' : latency > options.lateAfterMillis ? 'delivered_late' : 'delivered';
    const how = replayed ? 'Delivered after being replayed when the connection came back' : latency > options.lateAfterMillis ? 'Delivered late' : 'Delivered';
    return {
      ...base,
      verdict,
      latency_ms: latency,
      summary: `${how}: the receiver got it ${ms(latency)} after it was first sent (by the two sides' clocks); its acknowledgement was lost with the connection.`,
    };
  }
  const lastEvent = events[events.length - 1]!;
  if (lastEvent.event === 'msg.queued') {
    return { ...base, verdict: 'queued', summary: 'Waiting in the offline queue; the client has not reconnected since.' };
  }
  const sent = lastOf(events, ['msg.sent', 'msg.replayed', 'msg.retried']);
  if (sent) {
    const age = options.now - Date.parse(sent.time);
    const how = sent.event === 'msg.replayed' ? 'Replayed after a drop' : 'Sent';
    if (age > options.ackWindowMillis) {
      return { ...base, verdict: 'never_acked', summary: `${how} but never acknowledged (last sent ${Math.round(age / 1000)} s ago).` };
    }
    return { ...base, verdict: 'in_flight', summary: `${how}, waiting for its acknowledgement.` };
  }
  return { ...base, verdict: 'received', summary: 'Received from the other side.' };
}

/** The first send and the other side's msg.received, when the receiver reported the message itself. */
function receivedByTheOtherSide(events: readonly TimelineEvent[]): { sent: TimelineEvent; received: TimelineEvent } | undefined {
  const sent = events.find((e) => e.event === 'msg.sent' || e.event === 'msg.replayed' || e.event === 'msg.retried');
  if (!sent) return undefined;
  const received = events.find((e) => e.event === 'msg.received' && e.role !== undefined && e.role !== sent.role);
  return received ? { sent, received } : undefined;
}
