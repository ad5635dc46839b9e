/** Impact windows offered: how long after (and before) a deploy to compare. */
export const WINDOW_CHOICES = [
  { id: '5m', label: '5 min', seconds: 300 },
  { id: '10m', label: '10 min', seconds: 600 },
  { id: '15m', label: '15 min', seconds: 900 },
  { id: '30m', label: '30 min', seconds: 1_800 },
  { id: '1h', label: '1 hour', seconds: 3_600 },
] as const;

/** A window choice's id, as in `?window=`. */
export type WindowId = (typeof WINDOW_CHOICES)[number]['id'];

/** The Deploys page's state in the URL: `/deploys?id=<deploy>&compare=<deploy>&window=15m`. */
export interface DeploysQuery {
  /** The deploy whose impact is shown; the newest when absent. */
  id: string | undefined;
  /** A second deploy to compare side by side. */
  compare: string | undefined;
  window: WindowId;
}

/** Reads the page state from search params. */
export function readDeploysQuery(params: { get(name: string): string | null }): DeploysQuery {
  const window = WINDOW_CHOICES.find((w) => w.id === params.get('window'))?.id ?? '15m';
  return { id: params.get('id') || undefined, compare: params.get('compare') || undefined, window };
}

/** Seconds of a window id. */
export function windowSeconds(id: WindowId): number {
  return WINDOW_CHOICES.find((w) => w.id === id)!.seconds;
}
