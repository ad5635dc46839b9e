import { safeNextPath } from '../auth/safe-next-path';
import { callCollector } from './collector-call';
import { collectorProblem } from './collector-problem';
import { isHttpsRequest } from './https-request';
import { loginRedirect } from './login-redirect';
import { isCookieSafeFlow, oidcFlowCookie } from './oidc-flow-cookie';

/** The collector's 200 to GET /api/v1/auth/oidc/start. */
interface CollectorFlow {
  authorization_url: string;
  state: string;
  code_verifier: string;
  nonce: string;
}

/** True for an answer with a provider URL to send the browser to (http or https only) and cookie-safe secrets. */
function isCollectorFlow(body: unknown): body is CollectorFlow {
  const flow = (body ?? {}) as Record<string, unknown>;
  if (typeof flow.authorization_url !== 'string' || !isCookieSafeFlow({ state: flow.state, code_verifier: flow.code_verifier, nonce: flow.nonce })) return false;
  try {
    const { protocol } = new URL(flow.authorization_url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * GET /api/auth/oidc/start?next=<path>: the "Sign in with single sign-on"
 * link. Asks the collector to start a flow, keeps its state, PKCE verifier
 * and nonce (and the safe `next`) in the HttpOnly `tv_oidc` cookie, and
 * sends the browser to the provider with a 303. When the collector cannot
 * start one (not configured, provider down), back to /login with its
 * message.
 */
export async function startSingleSignOn(request: Request): Promise<Response> {
  const next = safeNextPath(new URL(request.url).searchParams.get('next'));
  const secure = isHttpsRequest(request.headers, request.url);
  const answer = await callCollector({ method: 'GET', path: 'auth/oidc/start', headers: new Headers({ accept: 'application/json' }), signal: request.signal });
  if (!answer.ok || answer.status >= 400) {
    return loginRedirect(await collectorProblem(answer, 'Single sign-on could not be started. Try again in a moment.'), next, { secure });
  }
  if (!isCollectorFlow(answer.json)) {
    return loginRedirect(`The collector at ${answer.base} answered the single sign-on start without a usable flow: is it the same version as the dashboard?`, next, { secure });
  }
  const { authorization_url, state, code_verifier, nonce } = answer.json;
  const headers = new Headers({ location: authorization_url, 'cache-control': 'no-store' });
  headers.append('set-cookie', oidcFlowCookie({ state, code_verifier, nonce, next }, { secure }));
  return new Response(null, { status: 303, headers });
}
