import type { MessageVerdict, TimelineEvent } from '@/collector-api/types';
import { formatClockMillis, formatMillis } from '@/shared/format';
import { describeEvent } from './describe-event';
import { VERDICT_WORDS } from './verdict-words';

/** One message's journey: its own events with the time since it first appeared. */
function Journey({ verdict, events }: { verdict: MessageVerdict; events: readonly TimelineEvent[] }) {
  const start = Date.parse(verdict.first_seen);
  const mine = events.filter((e) => e.message_id === verdict.message_id && (e.session_id ?? verdict.session_id) === verdict.session_id && e.event?.startsWith('msg.'));
  return (
    <ol className="tv-journey" aria-label={`Journey of message ${verdict.message_id}${verdict.session_id ? ` in session ${verdict.session_id}` : ''}`}>
      {mine.map((e) => {
        const d = describeEvent(e);
        const offset = Date.parse(e.time) - start;
        return (
          <li key={`${e.time_unix_nano}-${e.event}-${e.role ?? ''}`} className={`tv-tone-${d.tone}`}>
            <span className="tv-journey-time">{offset === 0 ? formatClockMillis(start) : `+${formatMillis(offset)}`}</span>
            <span className="tv-journey-step">
              {d.title}
              {e.role === 'server' ? <span className="tv-muted"> (server)</span> : null}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

/** A journey's identity: message ids are unique only within a session. */
const journeyKey = (m: MessageVerdict) => `${m.session_id ?? ''}\u0000${m.message_id}`;

/**
 * Each message journey in the timeline with the collector's verdict in
 * plain language and its steps; the session is named when the id appears
 * in several. With `focus`, that message comes first and stands out (a
 * message-id lookup).
 */
export function MessageVerdicts({ messages, events, focus }: { messages: readonly MessageVerdict[]; events: readonly TimelineEvent[]; focus?: string }) {
  const ordered = focus ? [...messages].sort((a, b) => Number(b.message_id === focus) - Number(a.message_id === focus)) : messages;
  return (
    <section className="tv-card" aria-labelledby="messages-title" data-section="messages">
      <h2 id="messages-title">Messages ({messages.length})</h2>
      <ul className="tv-verdicts">
        {ordered.map((m) => {
          const words = VERDICT_WORDS[m.verdict] ?? { label: m.verdict, tone: 'warn' as const };
          const reused = messages.filter((other) => other.message_id === m.message_id).length > 1;
          return (
            <li
              key={journeyKey(m)}
              className={`tv-verdict tv-tone-${words.tone}${m.message_id === focus ? ' tv-verdict-focus' : ''}`}
              data-message-id={m.message_id}
              data-verdict={m.verdict}
              data-session-id={m.session_id}
            >
              <div className="tv-verdict-head">
                <code className="tv-verdict-id">{m.message_id}</code>
                {reused && m.session_id ? <span className="tv-muted">in session {m.session_id}</span> : null}
                <span className={`tv-badge tv-badge-${words.tone}`}>{words.label}</span>
                {m.resends > 0 ? <span className="tv-muted">{m.resends === 1 ? 'sent again once' : `sent again ${m.resends} times`}</span> : null}
              </div>
              <p className="tv-verdict-summary">{m.summary}</p>
              <details open={m.message_id === focus}>
                <summary>Journey</summary>
                <Journey verdict={m} events={events} />
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
