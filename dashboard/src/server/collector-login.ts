/** The collector's 200 to a sign-in (POST /api/v1/auth/login or /auth/oidc/callback). */
export interface CollectorLogin {
  session: { token: string; expires_at: string | number; csrf_token: string; user: unknown };
}

/** True when `body` holds a session as the collector answers a sign-in. */
export function isCollectorLogin(body: unknown): body is CollectorLogin {
  const session = (body as { session?: Record<string, unknown> } | null)?.session;
  return (
    typeof session?.token === 'string' &&
    (typeof session.expires_at === 'string' || typeof session.expires_at === 'number') &&
    typeof session.csrf_token === 'string'
  );
}
