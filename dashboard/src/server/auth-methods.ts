import { callCollector, passThroughHeaders } from './collector-call';

/**
 * GET /api/auth/methods: how one may sign in, from the collector's public
 * GET /api/v1/auth/methods, so the sign-in page knows whether to offer
 * single sign-on. Only the documented fields pass: `{ auth_mode, password,
 * single_sign_on: { issuer } | null }`.
 */
export async function readAuthMethods(request: Request): Promise<Response> {
  const answer = await callCollector({ method: 'GET', path: 'auth/methods', headers: new Headers({ accept: 'application/json' }), signal: request.signal });
  if (!answer.ok) return answer.response;
  const headers = passThroughHeaders(answer.headers);
  if (answer.status >= 400) return new Response(answer.text, { status: answer.status, headers });
  const { auth_mode, password, single_sign_on } = (answer.json ?? {}) as Record<string, unknown>;
  const issuer = (single_sign_on as { issuer?: unknown } | null | undefined)?.issuer;
  const methods = { auth_mode, password: password !== false, single_sign_on: typeof issuer === 'string' ? { issuer } : null };
  return new Response(JSON.stringify(methods), { status: answer.status, headers });
}
