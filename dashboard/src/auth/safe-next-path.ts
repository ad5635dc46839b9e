/** Where a sign-in goes when `next` is missing or not allowed. */
export const DEFAULT_NEXT = '/';

/** Any origin: only used to resolve `next` and check it stayed on it. */
const PROBE_ORIGIN = 'http://dashboard.invalid';

/**
 * The page to open after signing in: `next` when it is a path on this
 * dashboard (`/lookup?q=abc`), else `/`. Security: refuses anything that
 * could leave the site (`https://…`, `//evil.example`, `/\evil.example`,
 * `javascript:`), control characters, and `/login` itself (a loop).
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return DEFAULT_NEXT;
  // Browsers read a backslash as a slash, and tabs and newlines are dropped from URLs: both can smuggle in a host.
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return DEFAULT_NEXT;
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return DEFAULT_NEXT;
  }
  if (url.origin !== PROBE_ORIGIN || url.pathname === '/login') return DEFAULT_NEXT;
  return `${url.pathname}${url.search}${url.hash}`;
}
