import type { KeyKind, Role, Scope } from './access-scopes.js';

/** Who is asking, as the access layer resolved it from the request's credential. */
export type Principal =
  /** An API key (ingest, read or admin). */
  | {
      readonly kind: 'key';
      readonly tenant: string;
      readonly scopes: readonly Scope[];
      readonly keyId: string;
      readonly keyKind: KeyKind;
      /** Telemetry written with this key is stored under this service.name. */
      readonly service: string | undefined;
      /** Origins a browser key may be used from. */
      readonly origins: readonly string[];
    }
  /** A dashboard user's session. */
  | {
      readonly kind: 'session';
      readonly tenant: string;
      readonly scopes: readonly Scope[];
      readonly sessionId: string;
      readonly username: string;
      readonly role: Role;
      readonly csrfToken: string;
      readonly expiresAt: number;
    }
  /** No credential, in COLLECTOR_AUTH=open: an admin of the default tenant. */
  | { readonly kind: 'open'; readonly tenant: string; readonly scopes: readonly Scope[] };

/** A stable name for the caller, for rate limits and the audit fields (created_by). */
export function principalName(principal: Principal): string {
  switch (principal.kind) {
    case 'key':
      return `key:${principal.keyId}`;
    case 'session':
      return `user:${principal.username}`;
    case 'open':
      return 'open';
  }
}
