'use client';

import { useSearchParams } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { signIn } from './auth-requests';
import { safeNextPath } from './safe-next-path';
import { useSession } from './SessionProvider';

/**
 * The sign-in form: user name and password, one message for a wrong pair
 * or for too many attempts, a "Signed out" notice after a logout. On
 * success it opens `next` (a path on this dashboard only) with a full load,
 * so every part of the page starts from the new session.
 */
export function LoginPage() {
  const params = useSearchParams();
  const session = useSession();
  const next = safeNextPath(params.get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const openMode = session.status === 'signed_in' && session.session.auth_mode === 'open' && !session.session.principal.username;

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setProblem('Enter your user name and password.');
      return;
    }
    setBusy(true);
    setProblem(null);
    const result = await signIn(username.trim(), password);
    if (result.ok) {
      window.location.assign(next);
      return;
    }
    setProblem(result.message);
    setPassword('');
    setBusy(false);
    passwordRef.current?.focus();
  };

  return (
    <div className="tv-page tv-login" data-page="login">
      <h1>Sign in</h1>
      {params.get('signed_out') === '1' && !problem ? (
        <p role="status" className="tv-state tv-state-compact" data-notice="signed-out">
          Signed out.
        </p>
      ) : null}
      {openMode ? (
        <p className="tv-state tv-state-compact" data-notice="open-mode">
          This collector is open (COLLECTOR_AUTH=open): no sign-in is needed to use the dashboard.
        </p>
      ) : null}
      <form className="tv-login-form" onSubmit={onSubmit} noValidate aria-describedby={problem ? 'login-problem' : undefined}>
        <div className="tv-field">
          <label htmlFor="login-username">User name</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div className="tv-field">
          <label htmlFor="login-password">Password</label>
          <input
            id="login-password"
            ref={passwordRef}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {problem ? (
          <p id="login-problem" role="alert" className="tv-form-problems" data-login-problem>
            {problem}
          </p>
        ) : null}
        <div className="tv-form-actions">
          <button type="submit" className="tv-button tv-button-primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </div>
  );
}
