/** What a credential may do (docs/security.md). */
export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Dashboard roles and the scopes each grants. */
export const ROLES = ['viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  viewer: ['read'],
  admin: ['read', 'admin'],
};

/** `server` keys are kept secret by their owner; `browser` keys ship in web pages, so they may only send telemetry. */
export const KEY_KINDS = ['server', 'browser'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];
