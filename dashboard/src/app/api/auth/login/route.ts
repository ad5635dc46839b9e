import { login } from '@/server/auth-login';

/** POST /api/auth/login `{ username, password }`: signs in and sets the tv_session cookie. */
export function POST(request: Request): Promise<Response> {
  return login(request);
}
