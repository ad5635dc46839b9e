/** The session's CSRF token for writes, asked from GET /api/auth/session once and kept for the page's life. */
let cached: Promise<string | undefined> | undefined;

async function askSession(): Promise<string | undefined> {
  const response = await fetch('/api/auth/session', { cache: 'no-store', headers: { accept: 'application/json' } });
  if (!response.ok) return undefined;
  const token = ((await response.json()) as { csrf_token?: unknown }).csrf_token;
  return typeof token === 'string' ? token : undefined;
}

/**
 * The CSRF token to send as `x-csrf-token` on writes, or undefined when
 * there is no session (open mode). A failed lookup is not kept, so the
 * next write asks again.
 */
export async function csrfToken(): Promise<string | undefined> {
  cached ??= askSession().catch(() => undefined);
  const token = await cached;
  if (token === undefined) cached = undefined;
  return token;
}

/** Keeps the token a sign-in or a session lookup just returned. */
export function rememberCsrfToken(token: string | undefined): void {
  cached = token === undefined ? undefined : Promise.resolve(token);
}

/** Drops the token (signed out, or the collector refused it), so the next write asks again. */
export function forgetCsrfToken(): void {
  cached = undefined;
}
