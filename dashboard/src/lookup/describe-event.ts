import type { TimelineEvent } from '@/collector-api/types';
import { formatMillis } from '@/shared/format';

/** How an event reads on the timeline. */
export interface EventDescription {
  /** A few words: "Connection lost", "Reconnect scheduled". */
  title: string;
  /** The facts, in a sentence. */
  detail: string;
  tone: 'good' | 'bad' | 'warn' | 'neutral';
}

const DROP_REASONS: Record<string, string> = {
  queue_full: 'the offline queue was full',
  ttl_expired: 'it outlived its time to live before it could be delivered',
  resume_failed: 'the session could not be resumed',
  outbox_full: 'too many messages were waiting for an ack',
  attempts_exhausted: 'every retry went unacknowledged',
  policy: 'refused by policy',
  connection_lost: 'lost when the connection dropped, never resent',
};

const join = (...parts: (string | number | false | undefined | null)[]) => parts.filter((p) => typeof p === 'string' && p !== '').join('; ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The plain-language line for one timeline event. */
export function describeEvent(e: TimelineEvent): EventDescription {
  const server = e.server_address ? `to ${e.server_address}` : undefined;
  switch (e.event) {
    case 'conn.opening':
      return { title: 'Connecting', detail: join(e.attempt ? `attempt ${e.attempt}` : undefined, server), tone: 'neutral' };
    case 'conn.open':
      if (e.downtime_ms !== undefined) {
        return {
          title: 'Reconnected',
          detail: join(`back after ${formatMillis(e.downtime_ms)} offline`, e.connection_id && `new connection ${e.connection_id}`, e.attempt && `attempt ${e.attempt}`),
          tone: 'good',
        };
      }
      return { title: 'Connected', detail: join(e.connection_id && `connection ${e.connection_id}`, server), tone: 'good' };
    case 'conn.close': {
      // Without a duration the connection never opened (semconv 1.x): a failed attempt, not a drop. The collector words why (close_meaning).
      if (e.failed_attempt === true || e.duration_ms === undefined) {
        return {
          title: 'Connection attempt failed',
          detail: join(e.close_meaning ?? 'Never opened', e.close_reason && `reason “${e.close_reason}”`, e.attempt && `attempt ${e.attempt}`, server),
          tone: 'warn',
        };
      }
      const abnormal = e.close_abnormal === true;
      const normal = e.close_code === 1000;
      return {
        title: abnormal ? 'Connection lost' : 'Connection closed',
        detail: join(
          e.close_meaning ?? (e.close_code ? `code ${e.close_code}` : 'no close code'),
          e.close_reason && `reason “${e.close_reason}”`,
          e.close_clean === undefined ? undefined : e.close_clean ? 'clean close handshake' : 'no close handshake',
          e.duration_ms !== undefined && `had been open ${formatMillis(e.duration_ms)}`,
        ),
        tone: normal ? 'neutral' : abnormal ? 'bad' : 'warn',
      };
    }
    case 'conn.error':
      return { title: 'Connection error', detail: join(e.error_type ?? e.attributes?.['error.type'], e.body), tone: 'bad' };
    case 'conn.state':
      return { title: 'State changed', detail: `${e.state_from ?? '?'} → ${e.state_to ?? '?'}`, tone: e.state_to === 'offline' ? 'warn' : 'neutral' };
    case 'conn.reconnect.scheduled':
      return {
        title: 'Reconnect scheduled',
        detail: join(
          `attempt ${e.attempt ?? '?'} in ${formatMillis(e.delay_ms)}`,
          e.jitter_ms !== undefined && `${formatMillis(e.jitter_ms)} of it random jitter`,
        ),
        tone: 'warn',
      };
    case 'conn.reconnect.gave_up':
      return {
        title: 'Gave up reconnecting',
        detail: join(e.attempt ? `after ${plural(e.attempt, 'attempt')}` : undefined, e.close_meaning),
        tone: 'bad',
      };
    case 'conn.heartbeat.missed':
      return { title: 'Heartbeat missed', detail: e.missed_count ? `${plural(e.missed_count, 'miss')} in a row` : '', tone: 'warn' };
    case 'session.resume':
      if (e.resume_outcome === 'failed') {
        return { title: 'Resume failed', detail: 'the server could not resume the session; the client started a fresh one', tone: 'bad' };
      }
      return {
        title: 'Session resumed',
        detail: join(
          e.resume_last_seq !== undefined && `from sequence ${e.resume_last_seq}`,
          e.replayed_count !== undefined && `${plural(e.replayed_count, 'message')} replayed`,
        ),
        tone: 'good',
      };
    case 'msg.sent':
      return { title: 'Message sent', detail: messageFacts(e), tone: 'neutral' };
    case 'msg.queued':
      return {
        title: 'Queued while offline',
        detail: join(messageFacts(e), e.queue_depth !== undefined && `queue depth ${e.queue_depth}`),
        tone: 'warn',
      };
    case 'msg.acked':
      return { title: 'Acknowledged', detail: join(messageFacts(e), e.latency_ms !== undefined && `${formatMillis(e.latency_ms)} after first send`), tone: 'good' };
    case 'msg.received':
      return { title: 'Message received', detail: messageFacts(e), tone: 'neutral' };
    case 'msg.retried':
      return { title: 'Retried (no ack in time)', detail: join(messageFacts(e), e.attempt && `attempt ${e.attempt}`), tone: 'warn' };
    case 'msg.replayed':
      return { title: 'Replayed after a drop', detail: join(messageFacts(e), e.connection_id && `sent again on connection ${e.connection_id}`), tone: 'warn' };
    case 'msg.dropped': {
      const reason = e.drop_reason ? (DROP_REASONS[e.drop_reason] ?? `reason “${e.drop_reason}”`) : 'no reason given';
      return { title: 'Dropped, never delivered', detail: join(messageFacts(e), reason, e.attempt && `after ${plural(e.attempt, 'attempt')}`), tone: 'bad' };
    }
    case 'msg.duplicate':
      return { title: 'Duplicate suppressed', detail: messageFacts(e), tone: 'neutral' };
    case 'msg.gap':
      return { title: 'Sequence gap', detail: `expected ${e.expected_seq ?? '?'}, got ${e.got_seq ?? '?'}`, tone: 'warn' };
    default:
      return { title: e.event ?? 'Log record', detail: e.body ?? '', tone: 'neutral' };
  }
}

function messageFacts(e: TimelineEvent): string {
  return join(
    e.message_id && `message ${e.message_id}`,
    e.message_seq !== undefined && `seq ${e.message_seq}`,
    e.channel && `channel ${e.channel}`,
  );
}
