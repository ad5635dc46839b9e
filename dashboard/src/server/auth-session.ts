import { callCollector, passThroughHeaders } from './collector-call';
import { isHttpsRequest } from './https-request';
import { clearedSessionCookie, readSessionToken } from './session-cookie';

/**
 * GET /api/auth/session: who the collector says the caller is (principal,
 * auth mode, CSRF token, expiry), asked with the cookie's token when there
 * is one. In open mode that works without a cookie too. A 401 passes
 * through and deletes a cookie whose session has ended.
 */
export async function readSession(request: Request): Promise<Response> {
  const token = readSessionToken(request.headers);
  const headers = new Headers({ accept: 'application/json' });
  if (token) headers.set('authorization', `Bearer ${token}`);
  const answer = await callCollector({ method: 'GET', path: 'auth/session', headers, signal: request.signal });
  if (!answer.ok) return answer.response;
  const responseHeaders = passThroughHeaders(answer.headers);
  if (answer.status >= 400) {
    if (answer.status === 401 && token) responseHeaders.set('set-cookie', clearedSessionCookie({ secure: isHttpsRequest(request.headers, request.url) }));
    return new Response(answer.text, { status: answer.status, headers: responseHeaders });
  }
  // Only the documented fields, so nothing else the collector may add (a token above all) reaches the page.
  const { principal, auth_mode, csrf_token, expires_at } = (answer.json ?? {}) as Record<string, unknown>;
  return new Response(JSON.stringify({ principal, auth_mode, csrf_token, expires_at }), { status: answer.status, headers: responseHeaders });
}
