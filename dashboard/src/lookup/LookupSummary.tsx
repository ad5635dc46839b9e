import type { TimelineResponse } from '@/collector-api/types';
import { formatDateTime } from '@/shared/format';
import { kindWords } from './lookup-query';

/** Who was found: the kind that matched, the span covered, the sessions, users and versions involved. */
export function LookupSummary({ timeline }: { timeline: TimelineResponse }) {
  const distinct = (key: 'user_id' | 'session_id' | 'connection_id' | 'service_version' | 'service') => [
    ...new Set(timeline.events.map((e) => e[key]).filter((v): v is string => typeof v === 'string')),
  ];
  const first = timeline.events[0];
  const last = timeline.events[timeline.events.length - 1];
  const facts = [
    { label: 'Found as', value: kindWords(timeline.lookup.key) },
    { label: 'Users', value: distinct('user_id').join(', ') || '—' },
    { label: 'Sessions', value: distinct('session_id').join(', ') || '—' },
    { label: 'Connections', value: distinct('connection_id').join(', ') || '—' },
    { label: 'Reported by', value: timeline.events.some((e) => e.role === 'server') ? (timeline.events.some((e) => e.role !== 'server') ? 'client and server' : 'server') : 'client' },
    { label: 'App', value: [distinct('service').join(', '), distinct('service_version').join(', ')].filter(Boolean).join(' ') || '—' },
    { label: 'Span', value: first && last ? `${formatDateTime(Date.parse(first.time))} – ${formatDateTime(Date.parse(last.time))}` : '—' },
  ];
  return (
    <dl className="tv-facts" data-section="lookup-summary">
      {facts.map((f) => (
        <div key={f.label}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}
