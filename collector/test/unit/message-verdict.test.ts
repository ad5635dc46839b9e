import { describe, expect, it } from 'vitest';
import { messageVerdicts } from '../../src/query/message-verdict.js';
import type { TimelineEvent } from '../../src/api-types.js';

const now = Date.parse('2026-11-23T12:00:00Z');
let clock = now - 600_000;
const ev = (event: string, messageId: string, extra: Record<string, unknown> = {}): TimelineEvent => {
  clock += 1_000;
  return { time: new Date(clock).toISOString(), time_unix_nano: `${clock}000000`, event, message_id: messageId, ...extra };
};
const verdicts = (events: TimelineEvent[]) => messageVerdicts(events, { lateAfterMillis: 1_000, ackWindowMillis: 60_000, now });

describe('messageVerdicts', () => {
  it('says delivered with the latency, or late past the threshold', () => {
    const [fast, slow] = verdicts([ev('msg.sent', 'a'), ev('msg.acked', 'a', { latency_ms: 42.4 }), ev('msg.sent', 'b'), ev('msg.acked', 'b', { latency_ms: 2500 })]);
    expect(fast).toMatchObject({ message_id: 'a', verdict: 'delivered', latency_ms: 42.4, summary: 'Delivered in 42 ms.' });
    expect(slow).toMatchObject({ verdict: 'delivered_late', summary: 'Delivered late, in 2500 ms.' });
  });

  it('says replayed when delivery came after a replay', () => {
    const [v] = verdicts([ev('msg.sent', 'm'), ev('msg.queued', 'm'), ev('msg.replayed', 'm'), ev('msg.acked', 'm', { latency_ms: 8000 })]);
    expect(v).toMatchObject({ verdict: 'replayed', resends: 1 });
    expect(v!.summary).toMatch(/after being replayed when the connection came back/);
  });

  it('explains each drop reason in words', () => {
    const [full, ttl, resume] = verdicts([
      ev('msg.queued', 'q'),
      ev('msg.dropped', 'q', { drop_reason: 'queue_full' }),
      ev('msg.dropped', 't', { drop_reason: 'ttl_expired' }),
      ev('msg.dropped', 'r', { drop_reason: 'resume_failed' }),
    ]);
    expect(full).toMatchObject({ verdict: 'dropped', drop_reason: 'queue_full', summary: 'Dropped, never delivered: the offline queue was full.' });
    expect(ttl!.summary).toMatch(/longer than its time to live/);
    expect(resume!.summary).toMatch(/could not be resumed/);
  });

  it('notes a suppressed duplicate', () => {
    const [v] = verdicts([ev('msg.sent', 'd'), ev('msg.duplicate', 'd'), ev('msg.acked', 'd', { latency_ms: 20 })]);
    expect(v).toMatchObject({ verdict: 'duplicate_suppressed', summary: 'Delivered in 20 ms. A duplicate copy was suppressed.' });
  });

  it('tells never-acked from still in flight by the ack window', () => {
    const old = ev('msg.sent', 'old');
    clock = now - 5_000;
    const recent = ev('msg.sent', 'recent');
    const [a, b] = verdicts([old, recent]);
    expect(a).toMatchObject({ verdict: 'never_acked' });
    expect(a!.summary).toMatch(/^Sent but never acknowledged \(last sent \d+ s ago\)\.$/);
    expect(b).toMatchObject({ verdict: 'in_flight' });
  });

  it("takes the receiver's own msg.received as delivery when the ack was lost with the connection", () => {
    const [fanOut, stillOut] = verdicts([
      ev('msg.sent', 'f', { role: 'server' }),
      ev('msg.received', 'f', { role: 'client' }),
      ev('msg.sent', 'g', { role: 'server' }),
      ev('msg.received', 'g', { role: 'server' }),
    ]);
    expect(fanOut).toMatchObject({ verdict: 'delivered', latency_ms: 1_000 });
    expect(fanOut!.summary).toMatch(/the receiver got it 1000 ms after it was first sent .*acknowledgement was lost with the connection/);
    // An ack that came back late (resent on resume) does not make a message the receiver got at once late.
    const [lateAck] = verdicts([ev('msg.sent', 'h', { role: 'server' }), ev('msg.received', 'h', { role: 'client' }), ev('msg.acked', 'h', { role: 'server', latency_ms: 20_000 })]);
    expect(lateAck).toMatchObject({ verdict: 'delivered', latency_ms: 1_000 });
    // A msg.received from the sender's own side is not the receiver's word.
    expect(['in_flight', 'never_acked']).toContain(stillOut!.verdict);
  });

  it('ignores connection events and events without a message id', () => {
    expect(verdicts([{ time: new Date(now).toISOString(), time_unix_nano: '1', event: 'conn.open' }])).toEqual([]);
  });
});

describe('message journeys', () => {
  it('are one per session and message id: an id two sessions reused gets two verdicts', () => {
    const [run1, run2] = verdicts([
      ev('msg.sent', 'alice-msg-12', { session_id: 'run-1' }),
      ev('msg.dropped', 'alice-msg-12', { session_id: 'run-1', drop_reason: 'connection_lost' }),
      ev('msg.sent', 'alice-msg-12', { session_id: 'run-2' }),
      ev('msg.acked', 'alice-msg-12', { session_id: 'run-2', latency_ms: 25 }),
    ]);
    expect(run1).toMatchObject({ session_id: 'run-1', verdict: 'dropped', summary: 'Dropped, never delivered: it was in flight when the connection dropped and was never resent.' });
    expect(run2).toMatchObject({ session_id: 'run-2', verdict: 'delivered', latency_ms: 25 });
  });

  it('take in events without a session when one session carried the id', () => {
    const all = verdicts([ev('msg.sent', 'm', { session_id: 's' }), ev('msg.received', 'm', { role: 'server' }), ev('msg.acked', 'm', { session_id: 's', latency_ms: 5 })]);
    expect(all).toEqual([expect.objectContaining({ session_id: 's', verdict: 'delivered' })]);
  });

  it('say a replay after a drop that got no acknowledgement', () => {
    clock = now - 600_000;
    const [v] = verdicts([ev('msg.sent', 'r', { session_id: 's' }), ev('msg.replayed', 'r', { session_id: 's' })]);
    expect(v!.summary).toMatch(/^Replayed after a drop but never acknowledged \(last sent \d+ s ago\)\.$/);
  });
});
