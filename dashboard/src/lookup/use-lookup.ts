'use client';

import type { ApiResult } from '@/collector-api/api-problem';
import { fetchCollector } from '@/collector-api/fetch-collector';
import type { LookupKind, TimelineResponse, UserIdHint } from '@/collector-api/types';
import { usePollingQuery, type PollingQuery } from '@/shared/use-polling-query';
import { LOOKBACK_CHOICES, LOOKUP_KINDS, type LookupQuery } from './lookup-query';

/** The answer to a lookup. */
export interface LookupResult {
  /** The timeline of the kind that matched, or null when no kind did. */
  timeline: TimelineResponse | null;
  /** The kinds that were tried, in order. */
  tried: LookupKind[];
  /** Other kinds the same id also matched (with "any kind"), so the user can switch. */
  alsoFound: LookupKind[];
  /** When nothing matched: the collector's word on the id as a hashed user id, if it tried it as a user id. */
  userIdHint: UserIdHint | undefined;
}

/**
 * Looks an id up. With a kind, asks the timeline for that kind. With
 * "auto", asks for every kind at once and keeps the first one, in
 * LOOKUP_KINDS order, that has events.
 */
export function useLookup(query: LookupQuery | null): PollingQuery<LookupResult> {
  const key = query && query.q ? JSON.stringify(query) : null;
  return usePollingQuery<LookupResult>(key, (signal) => runLookup(query!, signal), null);
}

async function runLookup(query: LookupQuery, signal: AbortSignal): Promise<ApiResult<LookupResult>> {
  const lookback = LOOKBACK_CHOICES.find((c) => c.id === query.within)!.millis;
  const to = Date.now();
  const kinds = query.kind === 'auto' ? LOOKUP_KINDS.map((k) => k.kind) : [query.kind];
  const results = await Promise.all(
    kinds.map((kind) => fetchCollector<TimelineResponse>('timeline', { [kind]: query.q, from: to - lookback, to, limit: 2000 }, signal)),
  );
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) return failed;
  const timelines = results.map((r) => (r.ok ? r.data : null));
  const matches = timelines.filter((t): t is TimelineResponse => t !== null && t.events.length > 0);
  return {
    ok: true,
    data: {
      timeline: matches[0] ?? (query.kind === 'auto' ? null : timelines[0] ?? null),
      tried: kinds,
      alsoFound: matches.slice(1).map((t) => t.lookup.key),
      userIdHint: matches.length === 0 ? timelines.find((t) => t?.lookup.key === 'user_id')?.user_id_hint : undefined,
    },
  };
}
