import { loginHref } from '../auth/login-href';
import { clearedOidcFlowCookie } from './oidc-flow-cookie';
import { signInProblemCookie } from './sign-in-problem-cookie';

/**
 * A 303 to the sign-in page (keeping `next`, so trying again returns there)
 * that shows `message` and forgets the single sign-on in progress. The
 * Location is relative, so it stays right behind a proxy that changes the
 * host or the scheme.
 */
export function loginRedirect(message: string, next: string, options: { secure: boolean }): Response {
  const headers = new Headers({ location: loginHref({ next }), 'cache-control': 'no-store' });
  headers.append('set-cookie', signInProblemCookie(message, options));
  headers.append('set-cookie', clearedOidcFlowCookie(options));
  return new Response(null, { status: 303, headers });
}
