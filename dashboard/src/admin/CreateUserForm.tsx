'use client';

import { useState, type FormEvent } from 'react';
import type { ApiResult } from '@/collector-api/api-problem';
import type { DashboardUser } from './admin-types';
import { EMPTY_USER_DRAFT, MIN_PASSWORD_LENGTH, userDraftProblems, type UserDraft } from './user-draft';
import { FormProblemList } from './FormProblemList';

/** The form that creates a user: name, first password and role. */
export function CreateUserForm({ onCreate }: { onCreate: (draft: UserDraft) => Promise<ApiResult<{ user: DashboardUser }>> }) {
  const [draft, setDraft] = useState<UserDraft>(EMPTY_USER_DRAFT);
  const [problems, setProblems] = useState<string[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = userDraftProblems(draft);
    setProblems(found);
    setCreated(null);
    if (found.length > 0) return;
    setBusy(true);
    const result = await onCreate(draft);
    setBusy(false);
    if (result.ok) {
      setCreated(draft.username.trim());
      setDraft(EMPTY_USER_DRAFT);
    } else {
      setProblems([result.problem.message]);
    }
  };

  return (
    <form className="tv-admin-form" onSubmit={onSubmit} noValidate aria-labelledby="new-user-title" data-form="new-user">
      <h2 id="new-user-title">Add a user</h2>
      <div className="tv-admin-fields">
        <div className="tv-field">
          <label htmlFor="user-name">User name</label>
          <input id="user-name" autoComplete="off" autoCapitalize="none" spellCheck={false} value={draft.username} onChange={(e) => setDraft({ ...draft, username: e.target.value })} required />
        </div>
        <div className="tv-field">
          <label htmlFor="user-password">Password</label>
          <input
            id="user-password"
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
            aria-describedby="user-password-hint"
            required
          />
          <span id="user-password-hint" className="tv-field-hint">
            At least {MIN_PASSWORD_LENGTH} characters. Give it to them privately.
          </span>
        </div>
        <div className="tv-field">
          <label htmlFor="user-role">Role</label>
          <select id="user-role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value === 'admin' ? 'admin' : 'viewer' })}>
            <option value="viewer">viewer: reads everything</option>
            <option value="admin">admin: also manages keys, users and alerting</option>
          </select>
        </div>
      </div>
      <FormProblemList problems={problems} />
      <div className="tv-form-actions">
        <button type="submit" className="tv-button tv-button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add user'}
        </button>
        <p role="status" className="tv-form-status">
          {created ? `Added ${created}.` : ''}
        </p>
      </div>
    </form>
  );
}
