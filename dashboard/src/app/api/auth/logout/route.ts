import { logout } from '@/server/auth-logout';

/** POST /api/auth/logout: ends the session and deletes the tv_session cookie. */
export function POST(request: Request): Promise<Response> {
  return logout(request);
}
