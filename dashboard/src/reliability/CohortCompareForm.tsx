'use client';

import { useId, type FormEvent } from 'react';
import { COMPARE_WINDOWS, type CompareWindowId, type ReliabilityQuery } from './reliability-query';

/** The two cohorts (typed as attribute:value) and the window; the cohorts apply on submit, the window at once. */
export function CohortCompareForm({ query, onChange }: { query: ReliabilityQuery; onChange: (next: ReliabilityQuery) => void }) {
  const hintId = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onChange({ ...query, a: String(form.get('a') ?? '').trim(), b: String(form.get('b') ?? '').trim() });
  };
  return (
    // Keyed by the applied cohorts, so going back in history refills the fields.
    <form className="tv-cohort-form" onSubmit={submit} key={`${query.a}\n${query.b}`}>
      <div className="tv-field">
        <label htmlFor="cohort-a">Cohort A</label>
        <input id="cohort-a" name="a" defaultValue={query.a} aria-describedby={hintId} spellCheck={false} autoComplete="off" required />
      </div>
      <div className="tv-field">
        <label htmlFor="cohort-b">Cohort B</label>
        <input id="cohort-b" name="b" defaultValue={query.b} aria-describedby={hintId} spellCheck={false} autoComplete="off" required />
      </div>
      <div className="tv-field">
        <label htmlFor="cohort-window">Window</label>
        <select id="cohort-window" value={query.window} onChange={(e) => onChange({ ...query, window: e.target.value as CompareWindowId })}>
          {COMPARE_WINDOWS.map((w) => (
            <option key={w.id} value={w.id}>
              {w.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="tv-button tv-button-primary">
        Compare
      </button>
      <p id={hintId} className="tv-muted tv-cohort-hint">
        Each cohort is <code>attribute:value</code>, with the attribute one of <code>service.name</code>, <code>service.version</code>,{' '}
        <code>deployment.environment.name</code>, <code>telemetry.sdk.version</code>, <code>server.address</code> or <code>feature_flag.&lt;key&gt;</code>.
      </p>
    </form>
  );
}
