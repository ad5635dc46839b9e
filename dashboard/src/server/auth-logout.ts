import { callCollector, passThroughHeaders } from './collector-call';
import { errorResponse } from './error-response';
import { isHttpsRequest } from './https-request';
import { requestHost, writeRefusal } from './same-origin-write';
import { clearedSessionCookie, readSessionToken } from './session-cookie';

/**
 * POST /api/auth/logout: ends the session at the collector (with the
 * page's CSRF token) and deletes the cookie. A session the collector no
 * longer knows (401) counts as ended. Any other failure keeps the cookie,
 * so the person is not shown as signed out while the session still works.
 */
export async function logout(request: Request): Promise<Response> {
  const refusal = writeRefusal('POST', request.headers, requestHost(request.headers));
  if (refusal) return errorResponse(403, 'forbidden', refusal);
  const signedOut = () =>
    new Response(null, {
      status: 204,
      headers: { 'set-cookie': clearedSessionCookie({ secure: isHttpsRequest(request.headers, request.url) }), 'cache-control': 'no-store' },
    });
  const token = readSessionToken(request.headers);
  if (!token) return signedOut();
  const headers = new Headers({ accept: 'application/json', authorization: `Bearer ${token}` });
  const csrf = request.headers.get('x-csrf-token');
  if (csrf) headers.set('x-csrf-token', csrf);
  const answer = await callCollector({ method: 'POST', path: 'auth/logout', headers, signal: request.signal });
  if (!answer.ok) return answer.response;
  if (answer.status < 300 || answer.status === 401) return signedOut();
  return new Response(answer.text, { status: answer.status, headers: passThroughHeaders(answer.headers) });
}
