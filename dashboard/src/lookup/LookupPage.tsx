'use client';

import Link from 'next/link';
import { EmptyState } from '@/shared/EmptyState';
import { ErrorState } from '@/shared/ErrorState';
import { LoadingState } from '@/shared/LoadingState';
import { useSearchState } from '@/shared/use-search-state';
import { HashedUserIdHint } from './HashedUserIdHint';
import { LookupForm } from './LookupForm';
import { LOOKBACK_CHOICES, lookupHref, kindWords, readLookupQuery, type LookupQuery } from './lookup-query';
import { LookupSummary } from './LookupSummary';
import { MessageVerdicts } from './MessageVerdicts';
import { ShareLink } from './ShareLink';
import { TimelineList } from './TimelineList';
import { useLookup } from './use-lookup';
import { VERDICT_WORDS } from './verdict-words';

/**
 * Support lookup: one id in, that client's timeline out (connects, drops
 * with close codes in words, reconnect attempts and delays, offline
 * periods, resume and replays) and a plain verdict for every message.
 * The lookup lives in the URL, so the page can be shared as a link.
 */
export function LookupPage() {
  const { params, update } = useSearchState();
  const query = readLookupQuery(params);
  const lookup = useLookup(query.q ? query : null);
  const submit = (next: LookupQuery) =>
    update({ q: next.q, kind: next.kind === 'auto' ? undefined : next.kind, within: next.within === '7d' ? undefined : next.within });
  const result = lookup.stale ? undefined : lookup.data;
  const timeline = result?.timeline;
  const within = LOOKBACK_CHOICES.find((c) => c.id === query.within)!.label;

  return (
    <div className="tv-page" data-page="lookup">
      <div className="tv-page-header">
        <h1>Lookup</h1>
      </div>
      <LookupForm query={query} onSubmit={submit} />

      {!query.q ? (
        <EmptyState title="Look up a user, session, connection or message">
          <p>
            Paste the id from the support ticket. With “Any kind”, the dashboard tries it as a user id, session id, connection id and message id. If
            your SDK hashes user ids, search by the hash.
          </p>
        </EmptyState>
      ) : null}
      {query.q && lookup.loading ? <LoadingState label={`Looking up “${query.q}”…`} /> : null}
      {query.q && lookup.problem ? <ErrorState problem={lookup.problem} onRetry={lookup.refresh} /> : null}

      {query.q && result && (!timeline || timeline.events.length === 0) ? (
        <EmptyState title={`Nothing found for “${query.q}” ${query.kind === 'auto' ? 'as any kind of id' : `as a ${kindWords(query.kind)}`} in the ${within}.`}>
          <p>
            Check the id for typos, look further back with “Within”, or try another kind. Events are kept for the collector&apos;s retention period
            (30 days by default).
          </p>
          {result.userIdHint ? <HashedUserIdHint hint={result.userIdHint} query={query} /> : null}
        </EmptyState>
      ) : null}

      {timeline && timeline.events.length > 0 ? (
        <div className="tv-lookup-result" data-lookup-kind={timeline.lookup.key}>
          <div className="tv-lookup-heading">
            <h2>
              {kindWords(timeline.lookup.key).replace(/^./, (c) => c.toUpperCase())} <code>{timeline.lookup.value}</code>
            </h2>
            <ShareLink href={lookupHref({ ...query, kind: timeline.lookup.key })} />
          </div>
          {result && result.alsoFound.length > 0 ? (
            <p className="tv-muted">
              This id also matches as{' '}
              {result.alsoFound.map((kind, i) => (
                <span key={kind}>
                  {i > 0 ? ', ' : ''}
                  <Link href={lookupHref({ ...query, kind })}>a {kindWords(kind)}</Link>
                </span>
              ))}
              .
            </p>
          ) : null}
          {timeline.notes.map((note) => (
            <p key={note} className="tv-callout" role="note" data-note>
              {note}
            </p>
          ))}
          <FocusVerdict timeline={timeline} />
          {timeline.truncated ? (
            <p className="tv-callout" role="note">
              Only the first {timeline.events.length} events are shown. Narrow the time range to see the rest.
            </p>
          ) : null}
          <LookupSummary timeline={timeline} />
          <div className="tv-lookup-columns">
            <TimelineList events={timeline.events} focusMessage={timeline.lookup.key === 'message_id' ? timeline.lookup.value : undefined} />
            {timeline.messages.length > 0 ? (
              <MessageVerdicts
                messages={timeline.messages}
                events={timeline.events}
                focus={timeline.lookup.key === 'message_id' ? timeline.lookup.value : undefined}
              />
            ) : null}
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** For a message lookup, the answer support is after, in one sentence at the top: one per journey when sessions reused the id. */
function FocusVerdict({ timeline }: { timeline: NonNullable<ReturnType<typeof useLookup>['data']>['timeline'] }) {
  if (!timeline || timeline.lookup.key !== 'message_id') return null;
  const verdicts = timeline.messages.filter((m) => m.message_id === timeline.lookup.value);
  return (
    <>
      {verdicts.map((verdict) => {
        const words = VERDICT_WORDS[verdict.verdict];
        return (
          <div
            key={verdict.session_id ?? ''}
            className={`tv-focus-verdict tv-tone-${words.tone}`}
            data-verdict={verdict.verdict}
            data-session-id={verdict.session_id}
            role="status"
          >
            <p className="tv-focus-verdict-label">
              {verdicts.length > 1 && verdict.session_id ? `In session ${verdict.session_id}, verdict: ` : 'Verdict: '}
              <span className={`tv-badge tv-badge-${words.tone}`}>{words.label}</span>
            </p>
            <p className="tv-focus-verdict-summary">{verdict.summary}</p>
          </div>
        );
      })}
    </>
  );
}
