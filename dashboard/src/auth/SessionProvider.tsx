'use client';

import { usePathname } from 'next/navigation';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { loadSession, type SessionState } from './auth-requests';
import { sendToLogin } from './send-to-login';

/** The session as the page knows it; `loading` until the first answer. */
export type PageSession = SessionState | { status: 'loading' };

const SessionContext = createContext<PageSession>({ status: 'loading' });

/**
 * Asks once per page load who is signed in, and shares the answer with the
 * navigation bar and the admin pages. Signed out anywhere but /login sends
 * the person to sign in, so pages that read nothing yet (an empty lookup)
 * do not sit there looking usable.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<PageSession>({ status: 'loading' });
  const pathname = usePathname();
  useEffect(() => {
    const controller = new AbortController();
    loadSession(controller.signal).then(setSession, () => undefined);
    return () => controller.abort();
  }, []);
  useEffect(() => {
    if (session.status === 'signed_out' && pathname !== '/login') sendToLogin();
  }, [session.status, pathname]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The page's session: who is signed in, with which role, and the auth mode. */
export function useSession(): PageSession {
  return useContext(SessionContext);
}
