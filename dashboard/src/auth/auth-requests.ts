import { csrfToken, forgetCsrfToken, rememberCsrfToken } from '@/collector-api/csrf-token';
import { loginFailureMessage } from './login-failure';
import type { SessionInfo, SignInMethods } from './session-types';

/** Where the page stands: signed in (or open mode), signed out, or unknown because the servers did not answer. */
export type SessionState = { status: 'signed_in'; session: SessionInfo } | { status: 'signed_out' } | { status: 'unavailable'; message: string };

const UNAVAILABLE = 'The dashboard could not ask the collector who is signed in. Is the collector running?';

/** Asks the dashboard's server who is signed in (GET /api/auth/session), keeping the CSRF token for writes. */
export async function loadSession(signal?: AbortSignal): Promise<SessionState> {
  let response: Response;
  try {
    response = await fetch('/api/auth/session', { cache: 'no-store', headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    return { status: 'unavailable', message: UNAVAILABLE };
  }
  if (response.status === 401) {
    forgetCsrfToken();
    return { status: 'signed_out' };
  }
  const body = (await response.json().catch(() => null)) as (SessionInfo & { error?: { message?: string } }) | null;
  if (!response.ok || !body?.principal) return { status: 'unavailable', message: body?.error?.message ?? UNAVAILABLE };
  rememberCsrfToken(body.csrf_token);
  return { status: 'signed_in', session: body };
}

/** How one may sign in (GET /api/auth/methods); null when that cannot be told, so the page offers the password form only. */
export async function loadSignInMethods(signal?: AbortSignal): Promise<SignInMethods | null> {
  try {
    const response = await fetch('/api/auth/methods', { cache: 'no-store', headers: { accept: 'application/json' }, signal });
    if (!response.ok) return null;
    const body = (await response.json()) as Partial<SignInMethods> | null;
    const issuer = body?.single_sign_on?.issuer;
    return { auth_mode: body?.auth_mode, password: body?.password !== false, single_sign_on: typeof issuer === 'string' ? { issuer } : null };
  } catch (err) {
    if (signal?.aborted) throw err;
    return null;
  }
}

/** Signs in (POST /api/auth/login); the cookie is set by the server, the CSRF token kept here. Failures come worded for the page. */
export async function signIn(username: string, password: string): Promise<{ ok: true } | { ok: false; message: string }> {
  let response: Response;
  try {
    response = await fetch('/api/auth/login', {
      method: 'POST',
      cache: 'no-store',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  } catch {
    return { ok: false, message: 'The dashboard server is not answering. Try again in a moment.' };
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) return { ok: false, message: loginFailureMessage(response.status, body, response.headers.get('retry-after')) };
  const token = (body as { csrf_token?: unknown } | null)?.csrf_token;
  rememberCsrfToken(typeof token === 'string' ? token : undefined);
  return { ok: true };
}

/** Signs out (POST /api/auth/logout with the CSRF token); the server deletes the cookie. */
export async function signOut(): Promise<{ ok: true } | { ok: false; message: string }> {
  const token = await csrfToken();
  try {
    const response = await fetch('/api/auth/logout', {
      method: 'POST',
      cache: 'no-store',
      headers: { accept: 'application/json', 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token } : {}) },
      body: '{}',
    });
    if (!response.ok) {
      const message = ((await response.json().catch(() => null)) as { error?: { message?: unknown } } | null)?.error?.message;
      return { ok: false, message: typeof message === 'string' ? message : `Signing out failed (${response.status}).` };
    }
  } catch {
    return { ok: false, message: 'The dashboard server is not answering, so you are still signed in. Try again in a moment.' };
  }
  forgetCsrfToken();
  return { ok: true };
}
