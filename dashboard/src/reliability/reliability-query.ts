/** Windows the cohort comparison offers, ending now. */
export const COMPARE_WINDOWS = [
  { id: '24h', label: 'Last 24 hours', millis: 86_400_000 },
  { id: '7d', label: 'Last 7 days', millis: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', millis: 30 * 86_400_000 },
  { id: '90d', label: 'Last 90 days', millis: 90 * 86_400_000 },
] as const;

/** A comparison window's id, as in `?window=`. */
export type CompareWindowId = (typeof COMPARE_WINDOWS)[number]['id'];

/** The demo's feature flag, on against off: what the comparison shows until asked for something else. */
export const DEFAULT_COHORTS = { a: 'feature_flag.resilience:on', b: 'feature_flag.resilience:off' } as const;

const DEFAULT_WINDOW: CompareWindowId = '30d';

/** The Reliability page's state in the URL: `/reliability?a=<attr>:<value>&b=<attr>:<value>&window=30d`. */
export interface ReliabilityQuery {
  a: string;
  b: string;
  window: CompareWindowId;
}

/** Reads the page state from search params; the cohorts are passed on as typed, for the collector to judge. */
export function readReliabilityQuery(params: { get(name: string): string | null }): ReliabilityQuery {
  const window = COMPARE_WINDOWS.find((w) => w.id === params.get('window'))?.id ?? DEFAULT_WINDOW;
  return { a: params.get('a')?.trim() || DEFAULT_COHORTS.a, b: params.get('b')?.trim() || DEFAULT_COHORTS.b, window };
}

/** The URL patch for a state: defaults are left out, so the plain `/reliability` stays the default view. */
export function reliabilityPatch(query: ReliabilityQuery): Record<string, string | undefined> {
  return {
    a: query.a === DEFAULT_COHORTS.a ? undefined : query.a,
    b: query.b === DEFAULT_COHORTS.b ? undefined : query.b,
    window: query.window === DEFAULT_WINDOW ? undefined : query.window,
  };
}

/** Milliseconds of a window id. */
export function compareWindowMillis(id: CompareWindowId): number {
  return COMPARE_WINDOWS.find((w) => w.id === id)!.millis;
}
