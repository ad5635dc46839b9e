'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { signOut } from './auth-requests';
import { loginHref } from './login-href';
import { useSession } from './SessionProvider';

/**
 * The header's account corner: who is signed in, their role and a Sign out
 * button; in open mode without a session, a badge that says no sign-in is
 * needed; signed out, a Sign in link.
 */
export function SessionStatus() {
  const session = useSession();
  const pathname = usePathname();
  const [problem, setProblem] = useState<string | null>(null);
  const [leaving, setLeaving] = useState(false);
  if (session.status === 'loading' || session.status === 'unavailable') return null;
  if (session.status === 'signed_out') {
    return pathname === '/login' ? null : (
      <div className="tv-session">
        <Link href={loginHref({ next: pathname })}>Sign in</Link>
      </div>
    );
  }
  const { principal, auth_mode } = session.session;
  if (!principal.username) {
    return auth_mode === 'open' ? (
      <div className="tv-session">
        <span className="tv-badge tv-badge-warn" data-auth-mode="open" title="The collector runs with COLLECTOR_AUTH=open: anyone who reaches it can read and change everything.">
          Open: no sign-in
        </span>
      </div>
    ) : null;
  }
  const onSignOut = async () => {
    setLeaving(true);
    setProblem(null);
    const result = await signOut();
    if (result.ok) {
      window.location.assign(loginHref({ signedOut: true }));
      return;
    }
    setProblem(result.message);
    setLeaving(false);
  };
  return (
    <div className="tv-session" data-signed-in={principal.username} data-role={principal.role}>
      <span>
        Signed in as{' '}
        <Link href="/account" data-session-user>
          <strong>{principal.username}</strong>
        </Link>
        {principal.role ? <span className="tv-badge tv-badge-quiet" data-session-role>{principal.role}</span> : null}
      </span>
      <button type="button" className="tv-button tv-button-header" onClick={onSignOut} disabled={leaving} data-action="sign-out">
        {leaving ? 'Signing out…' : 'Sign out'}
      </button>
      {problem ? (
        <span role="alert" className="tv-session-problem">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
