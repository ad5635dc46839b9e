import { readAuthMethods } from '@/server/auth-methods';

/** GET /api/auth/methods: the sign-in methods the collector offers (password, single sign-on). */
export function GET(request: Request): Promise<Response> {
  return readAuthMethods(request);
}
