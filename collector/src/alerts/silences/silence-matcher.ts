import type { Silence, SilenceMatcher } from '../../api-types.js';

/** The labels a silence can match: the alert's group labels plus its rule id and severity. */
export type MatchableLabels = Record<string, string>;

/** True when one matcher accepts the labels. A label the alert lacks counts as "". Regular expressions match the whole value. */
export function matcherAccepts(matcher: SilenceMatcher, labels: MatchableLabels): boolean {
  const value = labels[matcher.label] ?? '';
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`).test(value);
  }
}

/** Ids of the silences active at `now` whose every matcher accepts the labels. */
export function silencedBy(silences: readonly Silence[], labels: MatchableLabels, now: number): string[] {
  return silences
    .filter((s) => Date.parse(s.starts_at) <= now && now < Date.parse(s.ends_at))
    .filter((s) => s.matchers.every((m) => matcherAccepts(m, labels)))
    .map((s) => s.id);
}
