/** The dimensions the overview can be narrowed by, as named in the URL and the query API. */
export const FILTER_KEYS = ['service', 'environment', 'version', 'server'] as const;

/** One filter dimension. */
export type FilterKey = (typeof FILTER_KEYS)[number];

/** Exact-match filters; absent means "all". */
export type Filters = Partial<Record<FilterKey, string>>;

/** Human names for the filter inputs. */
export const FILTER_LABELS: Record<FilterKey, string> = {
  service: 'Service',
  environment: 'Environment',
  version: 'Version',
  server: 'Server',
};

/** Reads the filters from search params, ignoring empty values. */
export function readFilters(params: { get(name: string): string | null }): Filters {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/** True when at least one filter is set. */
export function hasFilters(filters: Filters): boolean {
  return FILTER_KEYS.some((key) => filters[key] !== undefined);
}
