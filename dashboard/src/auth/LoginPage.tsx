'use client';

import { useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { loadSignInMethods, signIn } from './auth-requests';
import { safeNextPath } from './safe-next-path';
import type { SignInMethods } from './session-types';
import { useSession } from './SessionProvider';
import { takeSignInProblem } from './sign-in-problem';
import { providerHost, singleSignOnHref } from './single-sign-on-link';

/**
 * The sign-in form: user name and password, one message for a wrong pair
 * or for too many attempts, a "Signed out" notice after a logout. On
 * success it opens `next` (a path on this dashboard only) with a full load,
 * so every part of the page starts from the new session. When the
 * collector offers single sign-on, a link starts it (naming the provider's
 * host), and a failed return's message, left by the server in a short
 * cookie, is shown as text.
 */
export function LoginPage() {
  const params = useSearchParams();
  const session = useSession();
  const next = safeNextPath(params.get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [methods, setMethods] = useState<SignInMethods | null>(null);
  const [ssoProblem, setSsoProblem] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const openMode = session.status === 'signed_in' && session.session.auth_mode === 'open' && !session.session.principal.username;

  useEffect(() => {
    const left = takeSignInProblem();
    if (left) setSsoProblem(left);
    const controller = new AbortController();
    loadSignInMethods(controller.signal).then(setMethods, () => undefined);
    return () => controller.abort();
  }, []);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setProblem('Enter your user name and password.');
      return;
    }
    setBusy(true);
    setProblem(null);
    setSsoProblem(null);
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
      {ssoProblem ? (
        <p role="alert" className="tv-form-problems tv-login-problem" data-sign-in-problem>
          {ssoProblem}
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
      {methods?.single_sign_on ? (
        <div className="tv-login-sso" data-sign-in-method="single-sign-on">
          <p className="tv-login-or">Or</p>
          <a className="tv-button tv-button-link" href={singleSignOnHref(next)} aria-describedby="login-sso-provider" data-action="single-sign-on">
            Sign in with single sign-on
          </a>
          <p id="login-sso-provider" className="tv-field-hint">
            You sign in at <strong>{providerHost(methods.single_sign_on.issuer)}</strong>.
          </p>
        </div>
      ) : null}
    </div>
  );
}
