import { callCollector, passThroughHeaders } from './collector-call';
import { isCollectorLogin } from './collector-login';
import { errorResponse } from './error-response';
import { isHttpsRequest } from './https-request';
import { requestHost, writeRefusal } from './same-origin-write';
import { sessionCookie } from './session-cookie';

/** A login body is a name, a password and maybe a tenant: far below this. */
const MAX_LOGIN_BYTES = 4 * 1024;

/** The credentials in the page's JSON body, or null when it does not hold a user name and a password. */
function readCredentials(text: string): { username: string; password: string } | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const { username, password } = (body ?? {}) as Record<string, unknown>;
  if (typeof username !== 'string' || typeof password !== 'string' || username.trim() === '' || password === '') return null;
  return { username: username.trim(), password };
}

/**
 * POST /api/auth/login: signs in at the collector and keeps the session's
 * token in the HttpOnly `tv_session` cookie. The page gets the user, the
 * CSRF token and the expiry, never the token. The collector's 401 (wrong
 * name or password) and 429 (throttled, with Retry-After) pass through
 * with its message.
 */
export async function login(request: Request, now: () => number = Date.now): Promise<Response> {
  const refusal = writeRefusal('POST', request.headers, requestHost(request.headers));
  if (refusal) return errorResponse(403, 'forbidden', refusal);
  const text = await request.text();
  const credentials = text.length <= MAX_LOGIN_BYTES ? readCredentials(text) : null;
  if (!credentials) return errorResponse(400, 'bad_request', 'Enter your user name and password.');
  const answer = await callCollector({
    method: 'POST',
    path: 'auth/login',
    body: JSON.stringify(credentials),
    headers: new Headers({ accept: 'application/json', 'content-type': 'application/json' }),
    signal: request.signal,
  });
  if (!answer.ok) return answer.response;
  if (answer.status >= 400) return new Response(answer.text, { status: answer.status, headers: passThroughHeaders(answer.headers) });
  if (!isCollectorLogin(answer.json)) {
    return errorResponse(502, 'collector_bad_login', `The collector at ${answer.base} answered the sign-in without a session: is it the same version as the dashboard?`);
  }
  const { token, expires_at, csrf_token, user } = answer.json.session;
  const cookie = sessionCookie(token, expires_at, { secure: isHttpsRequest(request.headers, request.url), now: now() });
  return Response.json({ user, csrf_token, expires_at }, { headers: { 'set-cookie': cookie, 'cache-control': 'no-store' } });
}
