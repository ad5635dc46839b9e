import { readSession } from '@/server/auth-session';

/** GET /api/auth/session: who is signed in, the auth mode and the CSRF token for writes. */
export function GET(request: Request): Promise<Response> {
  return readSession(request);
}
