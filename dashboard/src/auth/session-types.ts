/** A dashboard user's role (docs/security.md). */
export type Role = 'viewer' | 'admin';

/** Who the collector says the caller is: GET /api/v1/auth/session's `principal`. */
export interface Principal {
  kind: string;
  tenant: string;
  scopes: string[];
  role?: Role;
  username?: string;
  key_id?: string;
}

/** GET /api/auth/session's answer. */
export interface SessionInfo {
  principal: Principal;
  auth_mode: 'open' | 'required';
  csrf_token?: string;
  expires_at?: string;
}

/** True when the principal may manage keys and users: the admin role, or (open mode, keys) the admin scope. */
export function isAdmin(principal: Principal): boolean {
  return principal.role ? principal.role === 'admin' : principal.scopes.includes('admin');
}

/** GET /api/auth/methods's answer: how one may sign in. */
export interface SignInMethods {
  auth_mode?: 'open' | 'required';
  password: boolean;
  /** Set when the collector offers single sign-on, with the provider's issuer URL. */
  single_sign_on: { issuer: string } | null;
}
