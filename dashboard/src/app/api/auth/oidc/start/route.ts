import { startSingleSignOn } from '@/server/auth-oidc-start';

/** GET /api/auth/oidc/start?next=<path>: sends the browser to the single sign-on provider. */
export function GET(request: Request): Promise<Response> {
  return startSingleSignOn(request);
}
