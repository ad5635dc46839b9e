import type { TimelineEvent } from '@/collector-api/types';
import { formatClockMillis, formatDay, formatMillis } from '@/shared/format';
import { describeEvent } from './describe-event';
import { timelineItems, type TimelineItem } from './timeline-items';

/** Which side reported an event: events without `tv.role` are the client's (docs/semconv.md). */
const sideOf = (e: TimelineEvent): 'client' | 'server' => (e.role === 'server' ? 'server' : 'client');

/**
 * The client's story in time order: each event in words, with offline
 * periods drawn between drop and reconnect. When the server reported the
 * same session's connections too (the handshake's tv_session and
 * tv_connection), each event is labelled with its side and the two sides
 * stand in two columns, client left and server right.
 */
export function TimelineList({ events, focusMessage }: { events: readonly TimelineEvent[]; focusMessage?: string }) {
  const twoSides = events.some((e) => sideOf(e) === 'server') && events.some((e) => sideOf(e) === 'client');
  const items = twoSides ? sidedItems(events) : timelineItems(events);
  let lastDay = '';
  return (
    <section className="tv-card" aria-labelledby="timeline-title" data-section="timeline" data-sides={twoSides ? 'client server' : undefined}>
      <h2 id="timeline-title">Timeline ({events.length} events)</h2>
      {twoSides ? (
        <p className="tv-timeline-sides-legend" aria-hidden="true">
          <span>Client side</span>
          <span>Server side</span>
        </p>
      ) : null}
      <ol className={`tv-timeline${twoSides ? ' tv-timeline-sides' : ''}`}>
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
              data-side={twoSides ? sideOf(e) : undefined}
            >
              <span className="tv-timeline-time">
                {showDay ? <span className="tv-timeline-day">{day} </span> : null}
                <time dateTime={e.time}>{formatClockMillis(t)}</time>
              </span>
              <span className="tv-event-body">
                <span className="tv-event-title">
                  {twoSides ? <span className={`tv-side-tag tv-side-${sideOf(e)}`}>{sideOf(e) === 'server' ? 'Server' : 'Client'}</span> : null}
                  {d.title}
                </span>
                {d.detail ? <span className="tv-event-detail">{d.detail}</span> : null}
                <span className="tv-event-meta">
                  {[e.event, e.connection_id, e.server_address, twoSides ? e.service : undefined].filter(Boolean).join(' · ')}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/**
 * Offline periods are the client's: with both sides in the timeline they
 * come from the client's events alone (a server closing its end of a
 * dropped connection is the same drop), and the server's events keep
 * their places in the collector's order.
 */
function sidedItems(events: readonly TimelineEvent[]): TimelineItem[] {
  const clientItems = timelineItems(events.filter((e) => sideOf(e) === 'client'));
  const items: TimelineItem[] = [];
  let next = 0;
  for (const event of events) {
    if (sideOf(event) === 'server') {
      items.push({ kind: 'event', event, whileOffline: false });
      continue;
    }
    // This client event, then any offline row that follows it.
    items.push(clientItems[next++]!);
    while (next < clientItems.length && clientItems[next]!.kind === 'offline') items.push(clientItems[next++]!);
  }
  return items;
}
