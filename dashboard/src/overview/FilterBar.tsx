'use client';

import type { FormEvent } from 'react';
import { FILTER_KEYS, FILTER_LABELS, hasFilters, type FilterKey, type Filters } from './overview-filters';

/** Props of {@link FilterBar}. */
export interface FilterBarProps {
  filters: Filters;
  /** Known values to suggest per dimension (from deploy markers and the data on screen). */
  suggestions: Partial<Record<FilterKey, readonly string[]>>;
  /** Called with the URL params to set; empty values clear a filter. */
  onChange: (patch: Record<string, string | undefined>) => void;
}

/**
 * Exact-match filters on service, environment, version and server. Applied
 * on submit (Enter or the button), so typing does not refetch on every key.
 */
export function FilterBar({ filters, suggestions, onChange }: FilterBarProps) {
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const patch: Record<string, string | undefined> = {};
    for (const key of FILTER_KEYS) patch[key] = String(form.get(key) ?? '').trim() || undefined;
    onChange(patch);
  };
  const clear = () => onChange(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
  return (
    // Keyed by the applied filters so the inputs reset when the URL changes (back button, clear).
    <form className="tv-filters" role="search" aria-label="Filters" onSubmit={apply} key={JSON.stringify(filters)}>
      {FILTER_KEYS.map((key) => (
        <div className="tv-field" key={key}>
          <label htmlFor={`filter-${key}`}>{FILTER_LABELS[key]}</label>
          <input
            id={`filter-${key}`}
            name={key}
            type="text"
            defaultValue={filters[key] ?? ''}
            placeholder="all"
            list={`filter-${key}-options`}
            autoComplete="off"
            spellCheck={false}
          />
          <datalist id={`filter-${key}-options`}>
            {(suggestions[key] ?? []).map((value) => (
              <option key={value} value={value} />
            ))}
          </datalist>
        </div>
      ))}
      <div className="tv-filter-actions">
        <button type="submit" className="tv-button">
          Apply filters
        </button>
        {hasFilters(filters) ? (
          <button type="button" className="tv-button tv-button-quiet" onClick={clear}>
            Clear
          </button>
        ) : null}
      </div>
    </form>
  );
}
