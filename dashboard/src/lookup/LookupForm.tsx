'use client';

import type { FormEvent } from 'react';
import { LOOKBACK_CHOICES, LOOKUP_KINDS, type LookupQuery } from './lookup-query';

/** The one search box: an id, what kind it is (or any), and how far back to look. */
export function LookupForm({ query, onSubmit }: { query: LookupQuery; onSubmit: (query: LookupQuery) => void }) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const q = String(form.get('q') ?? '').trim();
    if (!q) return;
    onSubmit({ q, kind: form.get('kind') as LookupQuery['kind'], within: form.get('within') as LookupQuery['within'] });
  };
  return (
    <form className="tv-lookup-form" role="search" aria-label="Look up a client or message" onSubmit={submit} key={JSON.stringify(query)}>
      <div className="tv-field tv-field-wide">
        <label htmlFor="lookup-q">User, session, connection or message id</label>
        <input
          id="lookup-q"
          name="q"
          type="search"
          defaultValue={query.q}
          placeholder="e.g. u_51c2e0, sess-7f3a, conn-2 or m-1003"
          required
          autoComplete="off"
          spellCheck={false}
          autoFocus={!query.q}
        />
      </div>
      <div className="tv-field">
        <label htmlFor="lookup-kind">Look up as</label>
        <select id="lookup-kind" name="kind" defaultValue={query.kind}>
          <option value="auto">Any kind (try each)</option>
          {LOOKUP_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div className="tv-field">
        <label htmlFor="lookup-within">Within</label>
        <select id="lookup-within" name="within" defaultValue={query.within}>
          {LOOKBACK_CHOICES.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="tv-button tv-button-primary">
        Look up
      </button>
    </form>
  );
}
