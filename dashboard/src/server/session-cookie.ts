import { readCookie } from '../shared/read-cookie';

/** The cookie that holds the dashboard session's token (docs/security.md). */
export const SESSION_COOKIE = 'tv_session';

/** A session token as the collector issues it (`tvs_<id>_<secret>`): nothing a cookie needs quoted or escaped. */
const TOKEN = /^[A-Za-z0-9._~-]+$/;

/** The session token from a request's Cookie header, or undefined when there is none (or it is malformed). */
export function readSessionToken(headers: Headers | undefined): string | undefined {
  const value = readCookie(headers?.get('cookie'), SESSION_COOKIE);
  return value !== undefined && TOKEN.test(value) ? value : undefined;
}

/** Seconds from `now` until `expiresAt` (an ISO time or epoch ms), at least 0; undefined when it cannot be read. */
export function secondsUntil(expiresAt: string | number, now: number): number | undefined {
  const at = typeof expiresAt === 'number' ? expiresAt : Date.parse(expiresAt);
  if (!Number.isFinite(at)) return undefined;
  return Math.max(0, Math.floor((at - now) / 1000));
}

/**
 * The Set-Cookie value that stores a session: HttpOnly (the page's scripts
 * never see the token), SameSite=Strict (no other site's page sends it),
 * Path=/, Secure over HTTPS, and a Max-Age that ends with the session.
 * Throws for a token that is not cookie-safe, rather than write a broken or
 * injected header.
 */
export function sessionCookie(token: string, expiresAt: string | number, options: { secure: boolean; now?: number }): string {
  if (!TOKEN.test(token)) throw new Error('The collector sent a session token with characters a cookie cannot hold.');
  const maxAge = secondsUntil(expiresAt, options.now ?? Date.now());
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    ...(maxAge === undefined ? [] : [`Max-Age=${maxAge}`]),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The Set-Cookie value that deletes the session cookie. */
export function clearedSessionCookie(options: { secure: boolean }): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0', ...(options.secure ? ['Secure'] : [])].join('; ');
}
