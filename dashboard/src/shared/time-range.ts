/** The ranges offered as one-click choices. */
export const RANGE_PRESETS = [
  { id: '15m', label: '15 min', millis: 15 * 60_000, stepSeconds: 60 },
  { id: '1h', label: '1 hour', millis: 60 * 60_000, stepSeconds: 60 },
  { id: '6h', label: '6 hours', millis: 6 * 3_600_000, stepSeconds: 300 },
  { id: '24h', label: '24 hours', millis: 24 * 3_600_000, stepSeconds: 900 },
  { id: '7d', label: '7 days', millis: 7 * 86_400_000, stepSeconds: 7_200 },
] as const;

/** A preset's id, as it appears in `?range=`. */
export type RangePresetId = (typeof RANGE_PRESETS)[number]['id'];

/** The range used when the URL names none. */
export const DEFAULT_RANGE: RangePresetId = '1h';

/** What the URL asks for: a preset that follows the clock, or fixed bounds. */
export type RangeSelection = { kind: 'preset'; preset: RangePresetId } | { kind: 'custom'; from: number; to: number };

/** A range made concrete at one moment. */
export interface ResolvedRange {
  from: number;
  to: number;
  /** Bucket width for series, in seconds (a whole number of minutes). */
  stepSeconds: number;
  /** True when `to` is "now", so the view should refresh itself. */
  live: boolean;
}

/** Reads `?range=` (a preset id or `custom` with `from` and `to`); an unreadable value falls back to the default preset. */
export function parseRange(params: { get(name: string): string | null }): RangeSelection {
  const range = params.get('range');
  if (range === 'custom') {
    const from = parseInstant(params.get('from'));
    const to = parseInstant(params.get('to'));
    if (from !== undefined && to !== undefined && from < to) return { kind: 'custom', from, to };
  }
  const preset = RANGE_PRESETS.find((p) => p.id === range);
  return { kind: 'preset', preset: preset?.id ?? DEFAULT_RANGE };
}

/** Epoch milliseconds or ISO 8601 to epoch milliseconds. */
export function parseInstant(raw: string | null | undefined): number | undefined {
  if (!raw) return undefined;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(value) ? value : undefined;
}

/** Turns a selection into bounds and a step at `now`. */
export function resolveRange(selection: RangeSelection, now: number): ResolvedRange {
  if (selection.kind === 'custom') {
    return { from: selection.from, to: selection.to, stepSeconds: stepFor(selection.to - selection.from), live: false };
  }
  const preset = RANGE_PRESETS.find((p) => p.id === selection.preset) ?? RANGE_PRESETS[1];
  const to = Math.floor(now / 1000) * 1000;
  return { from: to - preset.millis, to, stepSeconds: preset.stepSeconds, live: true };
}

/** The smallest whole-minute step that gives at most about 120 buckets (what the collector would pick). */
export function stepFor(rangeMillis: number): number {
  return Math.max(60, Math.ceil(rangeMillis / 1000 / 120 / 60) * 60);
}

/** A stable string for a selection, to key queries by (custom ranges by their bounds, presets by id). */
export function rangeKey(selection: RangeSelection): string {
  return selection.kind === 'custom' ? `custom:${selection.from}-${selection.to}` : selection.preset;
}
