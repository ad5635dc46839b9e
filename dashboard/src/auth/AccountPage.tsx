'use client';

import { useState, type FormEvent } from 'react';
import { writeCollector } from '@/collector-api/fetch-collector';
import { passwordChangeProblem } from './password-change-draft';
import { useSession } from './SessionProvider';

/**
 * The signed-in person's account: who they are, and a password change.
 * The collector checks the current password and ends their other sessions;
 * single sign-on users change their password at their provider.
 */
export function AccountPage() {
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  if (session.status !== 'signed_in' || !session.session.principal.username) {
    return (
      <div className="tv-page tv-login" data-page="account">
        <h1>Account</h1>
        <p className="tv-state tv-state-compact">Sign in to see your account.</p>
      </div>
    );
  }
  const { username, role, tenant } = session.session.principal;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const invalid = passwordChangeProblem(current, next, repeated);
    setDone(false);
    setProblem(invalid);
    if (invalid) return;
    setBusy(true);
    const result = await writeCollector<{ password_changed: boolean }>('POST', 'auth/password', { current_password: current, new_password: next });
    setBusy(false);
    setCurrent('');
    if (!result.ok) {
      setProblem(result.problem.message);
      return;
    }
    setNext('');
    setRepeated('');
    setDone(true);
  };

  return (
    <div className="tv-page tv-login" data-page="account">
      <h1>Account</h1>
      <p>
        Signed in as <strong>{username}</strong>, {role} of tenant <strong>{tenant}</strong>.
      </p>
      <form className="tv-login-form" onSubmit={onSubmit} noValidate aria-labelledby="password-title" aria-describedby={problem ? 'password-problem' : undefined}>
        <h2 id="password-title">Change password</h2>
        <div className="tv-field">
          <label htmlFor="password-current">Current password</label>
          <input id="password-current" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </div>
        <div className="tv-field">
          <label htmlFor="password-new">New password</label>
          <input id="password-new" type="password" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.target.value)} aria-describedby="password-hint" />
          <p id="password-hint" className="tv-field-hint">
            At least 12 characters. Your other sessions are signed out.
          </p>
        </div>
        <div className="tv-field">
          <label htmlFor="password-repeat">New password again</label>
          <input id="password-repeat" type="password" autoComplete="new-password" required value={repeated} onChange={(e) => setRepeated(e.target.value)} />
        </div>
        {problem ? (
          <p id="password-problem" role="alert" className="tv-form-problems" data-password-problem>
            {problem}
          </p>
        ) : null}
        {done ? (
          <p role="status" className="tv-state tv-state-compact" data-notice="password-changed">
            Password changed. Your other sessions were signed out.
          </p>
        ) : null}
        <div className="tv-form-actions">
          <button type="submit" className="tv-button tv-button-primary" disabled={busy}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </div>
  );
}
