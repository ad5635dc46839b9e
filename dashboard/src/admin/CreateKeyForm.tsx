'use client';

import { useState, type FormEvent } from 'react';
import type { ApiResult } from '@/collector-api/api-problem';
import { KEY_SCOPES, type CreatedKeyResponse, type KeyScope } from './admin-types';
import { EMPTY_KEY_DRAFT, keyDraftProblems, newKeyBody, withKind, type KeyDraft, type NewKeyBody } from './key-draft';
import { FormProblemList } from './FormProblemList';

/** What each scope allows, next to its checkbox. */
const SCOPE_WORDS: Record<KeyScope, string> = {
  ingest: 'ingest: send telemetry',
  read: 'read: query the API',
  admin: 'admin: manage keys and users',
};

/**
 * The form that creates a key: name, kind, scopes, optional service and,
 * for browser keys, the origins allowed to use it. A browser key can only
 * ingest, so its other scopes are switched off.
 */
export function CreateKeyForm({ onCreate }: { onCreate: (body: NewKeyBody) => Promise<ApiResult<CreatedKeyResponse>> }) {
  const [draft, setDraft] = useState<KeyDraft>(EMPTY_KEY_DRAFT);
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const browser = draft.kind === 'browser';

  const toggleScope = (scope: KeyScope, on: boolean) =>
    setDraft((d) => ({ ...d, scopes: on ? KEY_SCOPES.filter((s) => s === scope || d.scopes.includes(s)) : d.scopes.filter((s) => s !== scope) }));

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = keyDraftProblems(draft);
    setProblems(found);
    if (found.length > 0) return;
    setBusy(true);
    const result = await onCreate(newKeyBody(draft));
    setBusy(false);
    if (result.ok) setDraft(EMPTY_KEY_DRAFT);
    else setProblems([result.problem.message]);
  };

  return (
    <form className="tv-admin-form" onSubmit={onSubmit} noValidate aria-labelledby="new-key-title" data-form="new-key">
      <h2 id="new-key-title">Create a key</h2>
      <div className="tv-admin-fields">
        <div className="tv-field">
          <label htmlFor="key-name">Name</label>
          <input id="key-name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} required aria-invalid={problems.length > 0 && !draft.name.trim()} />
        </div>
        <fieldset className="tv-choices">
          <legend>Kind</legend>
          {(['server', 'browser'] as const).map((kind) => (
            <label key={kind}>
              <input type="radio" name="key-kind" value={kind} checked={draft.kind === kind} onChange={() => setDraft(withKind(draft, kind))} />
              {kind === 'server' ? 'Server: back ends, CI, scripts' : 'Browser: web pages sending telemetry'}
            </label>
          ))}
        </fieldset>
        <fieldset className="tv-choices">
          <legend>Scopes</legend>
          {KEY_SCOPES.map((scope) => (
            <label key={scope}>
              <input
                type="checkbox"
                name="key-scopes"
                value={scope}
                checked={draft.scopes.includes(scope)}
                disabled={browser && scope !== 'ingest'}
                onChange={(e) => toggleScope(scope, e.target.checked)}
              />
              {SCOPE_WORDS[scope]}
            </label>
          ))}
        </fieldset>
        <div className="tv-field">
          <label htmlFor="key-service">Service (optional)</label>
          <input id="key-service" value={draft.service} onChange={(e) => setDraft({ ...draft, service: e.target.value })} aria-describedby="key-service-hint" />
          <span id="key-service-hint" className="tv-field-hint">
            Telemetry sent with the key is stored under this service.name, whatever the app says.
          </span>
        </div>
        {browser ? (
          <div className="tv-field tv-field-wide">
            <label htmlFor="key-origins">Allowed origins</label>
            <textarea
              id="key-origins"
              rows={2}
              value={draft.origins}
              onChange={(e) => setDraft({ ...draft, origins: e.target.value })}
              aria-describedby="key-origins-hint"
              required
            />
            <span id="key-origins-hint" className="tv-field-hint">
              One per line, e.g. https://app.example.com. Pages on other origins cannot use the key.
            </span>
          </div>
        ) : null}
      </div>
      <FormProblemList problems={problems} />
      <div className="tv-form-actions">
        <button type="submit" className="tv-button tv-button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
