import type { ClickHouseClient } from '@clickhouse/client';
import { ROLE_SCOPES, SCOPES, type Scope } from './access-scopes.js';
import { ForbiddenError, TooManyAttemptsError, UnauthenticatedError } from './access-errors.js';
import { KeyRegistry } from './key-registry.js';
import { LoginThrottle } from './login-throttle.js';
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from './password-hash.js';
import type { Principal } from './principal.js';
import { parseToken, sameDigest, sameSecret, tokenDigest } from './secret-token.js';
import { SessionRegistry, type DashboardSession } from './session-registry.js';
import { SingleSignOn, type SingleSignOnSettings } from './single-sign-on.js';
import { DEFAULT_TENANT, tenantDatabase } from './tenant-id.js';
import { TenantRegistry } from './tenant-registry.js';
import { UserDirectory } from './user-directory.js';

/** `open`: no credential acts as an admin of the default tenant; `required`: every request needs one. */
export type AuthMode = 'open' | 'required';

export interface AccessControlOptions {
  client: ClickHouseClient;
  /** The main database: the default tenant's data and the access tables. */
  database: string;
  mode: AuthMode;
  /** COLLECTOR_INGEST_KEY: the shared key of earlier versions. */
  legacyIngestKey: string | undefined;
  sessionTtlMillis: number;
  /** OpenID Connect single sign-on, when configured. */
  singleSignOn?: SingleSignOnSettings | undefined;
}

/** The credential a request carries: a bearer token or the x-tunnelvision-key header. */
export interface PresentedCredential {
  readonly token: string | undefined;
  /** The Origin header, which browser keys must match. */
  readonly origin: string | undefined;
}

const ALL_SCOPES: readonly Scope[] = SCOPES;

/**
 * Who may do what (docs/security.md): resolves a request's credential to a
 * Principal, checks scopes, and signs dashboard users in and out. Keys,
 * users, sessions and tenants live in the main database's access tables.
 */
export class AccessControl {
  readonly keys: KeyRegistry;
  readonly users: UserDirectory;
  readonly sessions: SessionRegistry;
  readonly tenants: TenantRegistry;
  readonly throttle = new LoginThrottle();
  /** Undefined when OIDC is not configured. */
  readonly singleSignOn: SingleSignOn | undefined;

  constructor(private readonly options: AccessControlOptions) {
    const { client, database } = options;
    this.keys = new KeyRegistry(client, database);
    this.users = new UserDirectory(client, database);
    this.sessions = new SessionRegistry(client, database, options.sessionTtlMillis);
    this.tenants = new TenantRegistry(client, database, (tenant) => this.databaseOf(tenant));
    this.singleSignOn = options.singleSignOn ? new SingleSignOn(options.singleSignOn, this.users, this.sessions) : undefined;
  }

  get mode(): AuthMode {
    return this.options.mode;
  }

  /** The database holding a tenant's telemetry, deploys and alerts. */
  databaseOf(tenant: string): string {
    return tenantDatabase(this.options.database, tenant);
  }

  /**
   * The principal behind a credential; with none, the open principal in open
   * mode and undefined otherwise. Throws UnauthenticatedError for a wrong,
   * revoked or expired credential and ForbiddenError for a browser key used
   * from an origin it does not list.
   */
  async authenticate({ token, origin }: PresentedCredential): Promise<Principal | undefined> {
    if (token === undefined) return this.anonymous();
    const parsed = parseToken(token);
    if (parsed?.prefix === 'tvk') {
      const key = await this.keys.find(parsed.id);
      if (!key || !sameDigest(key.digest, tokenDigest(token))) throw new UnauthenticatedError('Unknown API key: check it was copied whole, or create a new one (Admin -> Keys)');
      if (key.revoked_at !== null) throw new UnauthenticatedError(`API key ${key.id} was revoked on ${key.revoked_at}; create a new one`);
      if (key.kind === 'browser' && (origin === undefined || !key.origins.includes(origin))) {
        throw new ForbiddenError(
          `Browser key ${key.id} is accepted only from ${key.origins.join(', ')}; this request came from ${origin ?? 'no browser origin'}. Add the origin to a new key, or use a server key outside browsers`,
        );
      }
      this.keys.usage.record(key.id);
      return { kind: 'key', tenant: key.tenant, scopes: key.scopes, keyId: key.id, keyKind: key.kind, service: key.service ?? undefined, origins: key.origins };
    }
    if (parsed?.prefix === 'tvs') {
      const session = await this.sessions.find(parsed.id, token);
      if (!session) throw new UnauthenticatedError('Your session has expired or ended; sign in again');
      return sessionPrincipal(session);
    }
    const legacy = this.options.legacyIngestKey;
    if (legacy !== undefined && sameSecret(token, legacy)) {
      // In open mode the shared key also unlocks the writes it always did (silences, rules); in required mode it only ingests.
      const scopes: readonly Scope[] = this.options.mode === 'open' ? ALL_SCOPES : ['ingest'];
      return { kind: 'key', tenant: DEFAULT_TENANT, scopes, keyId: 'COLLECTOR_INGEST_KEY', keyKind: 'server', service: undefined, origins: [] };
    }
    throw new UnauthenticatedError('Unknown API key: send a key created under Admin -> Keys (tvk_...) as "Authorization: Bearer <key>"');
  }

  /** Throws unless the principal has `scope`; the message says what would be allowed. */
  requireScope(principal: Principal | undefined, scope: Scope): Principal {
    // An anonymous request in open mode that needs more than it gets needs a credential, as in required mode.
    if (!principal || (principal.kind === 'open' && !principal.scopes.includes(scope))) {
      throw new UnauthenticatedError(
        scope === 'ingest'
          ? 'Missing ingest key: send it as "Authorization: Bearer <key>" (OTLP exporters: the headers setting) or "x-tunnelvision-key: <key>"'
          : 'Sign in, or send an API key with the read scope as "Authorization: Bearer <key>"',
      );
    }
    if (principal.scopes.includes(scope)) return principal;
    const who = principal.kind === 'session' ? `Your role (${principal.role})` : principal.kind === 'key' ? `Key ${principal.keyId}` : 'An anonymous request';
    throw new ForbiddenError(`${who} does not have the ${scope} scope this needs${scope === 'admin' ? '; ask an admin' : ''}`);
  }

  /**
   * Checks a user name and password and starts a session. Wrong names and
   * wrong passwords get the same answer after the same work; after too many
   * failures for a name or an address, TooManyAttemptsError.
   */
  async login(username: string, password: string, address: string): Promise<{ token: string; session: DashboardSession }> {
    const wait = this.throttle.retryAfterSeconds(username, address);
    if (wait > 0) throw new TooManyAttemptsError(`Too many failed sign-ins; try again in ${wait} s`, wait);
    const user = await this.users.find(username);
    const ok = await verifyPassword(password, user?.passwordHash || UNUSABLE_PASSWORD_HASH);
    if (!user || !ok) {
      this.throttle.failed(username, address);
      throw new UnauthenticatedError('Wrong user name or password');
    }
    this.throttle.succeeded(username);
    return this.sessions.start(user);
  }

  /**
   * Changes a signed-in user's password after checking the current one
   * (throttled as sign-ins are); their other sessions end, this one stays.
   */
  async changePassword(session: { username: string; sessionId: string }, current: string, next: string, address: string): Promise<void> {
    const wait = this.throttle.retryAfterSeconds(session.username, address);
    if (wait > 0) throw new TooManyAttemptsError(`Too many failed attempts; try again in ${wait} s`, wait);
    const user = await this.users.find(session.username);
    if (!user || user.passwordHash === '') throw new ForbiddenError('You sign in through single sign-on; change your password at your provider');
    if (!(await verifyPassword(current, user.passwordHash))) {
      this.throttle.failed(session.username, address);
      throw new ForbiddenError('The current password is wrong');
    }
    await this.users.setPassword(user, next);
    await this.sessions.endAllOf(user.username, Date.now(), session.sessionId);
  }

  private anonymous(): Principal | undefined {
    if (this.options.mode === 'required') return undefined;
    return { kind: 'open', tenant: DEFAULT_TENANT, scopes: this.options.legacyIngestKey === undefined ? ALL_SCOPES : ['read'] };
  }
}

function sessionPrincipal(session: DashboardSession): Principal {
  return {
    kind: 'session',
    tenant: session.tenant,
    scopes: ROLE_SCOPES[session.role],
    sessionId: session.id,
    username: session.username,
    role: session.role,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}
