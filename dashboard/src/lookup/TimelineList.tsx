import type { TimelineEvent } from '@/collector-api/types';
import { formatClockMillis, formatDay, formatMillis } from '@/shared/format';
import { describeEvent } from './describe-event';
import { timelineItems } from './timeline-items';

/** The client's story in time order: each event in words, with offline periods drawn between drop and reconnect. */
export function TimelineList({ events, focusMessage }: { events: readonly TimelineEvent[]; focusMessage?: string }) {
  const items = timelineItems(events);
  let lastDay = '';
  return (
    <section className="tv-card" aria-labelledby="timeline-title" data-section="timeline">
      <h2 id="timeline-title">Timeline ({events.length} events)</h2>
      <ol className="tv-timeline">
        {items.map((item, i) => {
          if (item.kind === 'offline') {
            const how = item.millis === null ? 'still offline when the timeline ends' : `offline for ${formatMillis(item.millis)}`;
            return (
              <li key={`offline-${i}`} className="tv-offline" data-item="offline">
                <span className="tv-timeline-time">{formatClockMillis(item.from)}</span>
                <span className="tv-offline-band">
                  Client {how}
                  {item.until !== null ? ` (until ${formatClockMillis(item.until)})` : ''}
                </span>
              </li>
            );
          }
          const e = item.event;
          const d = describeEvent(e);
          const t = Date.parse(e.time);
          const day = formatDay(t);
          const showDay = day !== lastDay;
          lastDay = day;
          const focused = focusMessage !== undefined && e.message_id === focusMessage;
          return (
            <li
              key={`${e.time_unix_nano}-${e.event}-${i}`}
              className={`tv-event tv-tone-${d.tone}${item.whileOffline ? ' tv-event-offline' : ''}${focused ? ' tv-event-focus' : ''}`}
              data-event={e.event}
            >
              <span className="tv-timeline-time">
                {showDay ? <span className="tv-timeline-day">{day} </span> : null}
                <time dateTime={e.time}>{formatClockMillis(t)}</time>
              </span>
              <span className="tv-event-body">
                <span className="tv-event-title">{d.title}</span>
                {d.detail ? <span className="tv-event-detail">{d.detail}</span> : null}
                <span className="tv-event-meta">
                  {[e.event, e.connection_id, e.server_address].filter(Boolean).join(' · ')}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
