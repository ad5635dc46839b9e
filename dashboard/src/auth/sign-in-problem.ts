import { readCookie } from '../shared/read-cookie';

/**
 * The cookie that carries why a single sign-on failed from the dashboard's
 * server to the sign-in page, which shows it as text and deletes it.
 *
 * Security: a short cookie rather than a query parameter, because only this
 * dashboard's server (or its own pages) can set it. A `?error=` parameter
 * could be written by anyone into a link, putting their words on the
 * sign-in page ("call this number"); the message also stays out of the
 * address bar, the history, access logs and Referer headers. It is not
 * HttpOnly since the page's script reads it, and holds nothing secret.
 */
export const SIGN_IN_PROBLEM_COOKIE = 'tv_sign_in_problem';

/** Only the sign-in page reads it. */
export const SIGN_IN_PROBLEM_PATH = '/login';

/** Longest message carried: a cookie must stay small, and a longer message is not one the page should show. */
export const MAX_SIGN_IN_PROBLEM = 600;

/** The cookie's value for a message: percent-encoded (cookie-safe), at most MAX_SIGN_IN_PROBLEM characters. */
export function encodeSignInProblem(message: string): string {
  const short = message.length > MAX_SIGN_IN_PROBLEM ? `${message.slice(0, MAX_SIGN_IN_PROBLEM - 1)}…` : message;
  return encodeURIComponent(short);
}

/** The message in a Cookie header or `document.cookie`, or null when there is none (or it is malformed). */
export function readSignInProblem(cookies: string | null | undefined): string | null {
  const value = readCookie(cookies, SIGN_IN_PROBLEM_COOKIE);
  if (!value) return null;
  try {
    const message = decodeURIComponent(value).trim();
    return message === '' ? null : message.slice(0, MAX_SIGN_IN_PROBLEM);
  } catch {
    return null;
  }
}

/** In the browser: the message left for the sign-in page, deleted as it is read so a reload does not show it again. */
export function takeSignInProblem(): string | null {
  if (typeof document === 'undefined') return null;
  const message = readSignInProblem(document.cookie);
  if (message !== null) document.cookie = `${SIGN_IN_PROBLEM_COOKIE}=; Path=${SIGN_IN_PROBLEM_PATH}; Max-Age=0; SameSite=Lax`;
  return message;
}
