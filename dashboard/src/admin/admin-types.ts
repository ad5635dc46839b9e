import type { Role } from '@/auth/session-types';

/** What a key is for: a back end or script (`server`), or a web page that sends telemetry (`browser`). */
export type KeyKind = 'server' | 'browser';

/** What a key may do. */
export type KeyScope = 'ingest' | 'read' | 'admin';

/** Every scope, in the order the form lists them. */
export const KEY_SCOPES: readonly KeyScope[] = ['ingest', 'read', 'admin'];

/** A key as GET /api/v1/admin/keys lists it: never its secret. */
export interface ApiKey {
  id: string;
  name: string;
  kind: KeyKind;
  scopes: KeyScope[];
  service?: string | null;
  origins?: string[] | null;
  created_at: string;
  last_used_at?: string | null;
  revoked_at?: string | null;
}

/** GET /api/v1/admin/keys. */
export interface KeysResponse {
  keys: ApiKey[];
}

/** POST /api/v1/admin/keys: the new key and, this once, its secret. */
export interface CreatedKeyResponse {
  key: ApiKey;
  secret: string;
}

/** A person who may sign in to the dashboard. */
export interface DashboardUser {
  username: string;
  role: Role;
  created_at?: string;
}

/** GET /api/v1/admin/users. */
export interface UsersResponse {
  users: DashboardUser[];
}
