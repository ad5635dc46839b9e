import { DEFAULT_NEXT } from '../auth/safe-next-path';
import { callCollector } from './collector-call';
import { isCollectorLogin } from './collector-login';
import { collectorProblem } from './collector-problem';
import { isHttpsRequest } from './https-request';
import { loginRedirect } from './login-redirect';
import { clearedOidcFlowCookie, readOidcFlow } from './oidc-flow-cookie';
import { callbackRefusal } from './oidc-state-check';
import { sessionCookie } from './session-cookie';

/**
 * GET /api/auth/oidc/callback?code=…&state=…: where the provider sends the
 * browser back. Refuses a return without this browser's `tv_oidc` cookie,
 * with another state, or with the provider's error; otherwise hands the
 * return (its URL, and the flow's state, verifier and nonce) to the
 * collector, which exchanges the code and starts a session. That session
 * goes into the `tv_session` cookie exactly as a password sign-in's, the
 * flow cookie is deleted, and the browser goes on to `next`. Every refusal,
 * the collector's included (401, 403 with its message), ends on /login with
 * the message shown.
 */
export async function finishSingleSignOn(request: Request, now: () => number = Date.now): Promise<Response> {
  const secure = isHttpsRequest(request.headers, request.url);
  const flow = readOidcFlow(request.headers);
  const next = flow?.next ?? DEFAULT_NEXT;
  const refusal = callbackRefusal(flow, new URL(request.url).searchParams);
  if (refusal || !flow) return loginRedirect(refusal ?? 'Start again.', next, { secure });
  const answer = await callCollector({
    method: 'POST',
    path: 'auth/oidc/callback',
    // The collector reads only the query string; the redirect URL itself is its OIDC_REDIRECT_URL.
    body: JSON.stringify({ callback_url: request.url, state: flow.state, code_verifier: flow.code_verifier, nonce: flow.nonce }),
    headers: new Headers({ accept: 'application/json', 'content-type': 'application/json' }),
    signal: request.signal,
  });
  if (!answer.ok || answer.status >= 400) {
    return loginRedirect(await collectorProblem(answer, 'Single sign-on failed. Start again.'), next, { secure });
  }
  if (!isCollectorLogin(answer.json)) {
    return loginRedirect(`The collector at ${answer.base} answered the single sign-on without a session: is it the same version as the dashboard?`, next, { secure });
  }
  const { token, expires_at } = answer.json.session;
  const headers = new Headers({ location: next, 'cache-control': 'no-store' });
  headers.append('set-cookie', sessionCookie(token, expires_at, { secure, now: now() }));
  headers.append('set-cookie', clearedOidcFlowCookie({ secure }));
  return new Response(null, { status: 303, headers });
}
