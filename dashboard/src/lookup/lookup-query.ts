import type { LookupKind } from '@/collector-api/types';

/** The id kinds, in the order "any kind" tries them, with their names in the UI. */
export const LOOKUP_KINDS: readonly { kind: LookupKind; label: string }[] = [
  { kind: 'user_id', label: 'User id' },
  { kind: 'session_id', label: 'Session id' },
  { kind: 'connection_id', label: 'Connection id' },
  { kind: 'message_id', label: 'Message id' },
];

/** How far back a lookup searches. */
export const LOOKBACK_CHOICES = [
  { id: '1h', label: 'last hour', millis: 3_600_000 },
  { id: '24h', label: 'last 24 hours', millis: 86_400_000 },
  { id: '7d', label: 'last 7 days', millis: 7 * 86_400_000 },
  { id: '30d', label: 'last 30 days', millis: 30 * 86_400_000 },
] as const;

/** A look-back choice's id, as in `?within=`. */
export type LookbackId = (typeof LOOKBACK_CHOICES)[number]['id'];

/** A lookup as the URL states it: `/lookup?q=<id>&kind=<kind|auto>&within=<7d>`. */
export interface LookupQuery {
  q: string;
  kind: LookupKind | 'auto';
  within: LookbackId;
}

/** Reads a lookup from search params; unknown values fall back to "any kind" and 7 days. */
export function readLookupQuery(params: { get(name: string): string | null }): LookupQuery {
  const q = params.get('q')?.trim() ?? '';
  const rawKind = params.get('kind');
  const kind = LOOKUP_KINDS.find((k) => k.kind === rawKind)?.kind ?? 'auto';
  const within = LOOKBACK_CHOICES.find((c) => c.id === params.get('within'))?.id ?? '7d';
  return { q, kind, within };
}

/** The words for a kind: "message id". */
export function kindWords(kind: LookupKind): string {
  return (LOOKUP_KINDS.find((k) => k.kind === kind)?.label ?? kind).toLowerCase();
}

/** The shareable path of a lookup. */
export function lookupHref(query: LookupQuery): string {
  const params = new URLSearchParams({ q: query.q });
  if (query.kind !== 'auto') params.set('kind', query.kind);
  if (query.within !== '7d') params.set('within', query.within);
  return `/lookup?${params.toString()}`;
}
