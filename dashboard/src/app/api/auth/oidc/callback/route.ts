import { finishSingleSignOn } from '@/server/auth-oidc-callback';

/** GET /api/auth/oidc/callback: the provider's return; signs in and sets the tv_session cookie. */
export function GET(request: Request): Promise<Response> {
  return finishSingleSignOn(request);
}
