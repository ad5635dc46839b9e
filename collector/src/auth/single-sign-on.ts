import * as oidc from 'openid-client';
import { z } from 'zod';
import { QueryParamError } from '../errors.js';
import type { Role } from './access-scopes.js';
import { ForbiddenError, UnauthenticatedError } from './access-errors.js';
import type { DashboardSession, SessionRegistry } from './session-registry.js';
import { USERNAME_PATTERN, type UserDirectory } from './user-directory.js';

/** The OIDC settings (OIDC_* in collector-config.ts). */
export interface SingleSignOnSettings {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** The dashboard's callback, registered with the provider. */
  redirectUrl: string;
  /** Members of any of these groups (the `groups` claim) sign in as admins; everyone else as viewers. */
  adminGroups: readonly string[];
  /** The tenant new single sign-on users join. */
  tenant: string;
}

/** What the dashboard keeps (in an HttpOnly cookie) between sending the browser to the provider and its return. */
export interface SignOnFlow {
  authorization_url: string;
  state: string;
  code_verifier: string;
  nonce: string;
}

const finishSchema = z
  .object({ callback_url: z.string().url(), state: z.string().min(1), code_verifier: z.string().min(43), nonce: z.string().min(1) })
  .strict();

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The ID token's claims over the userinfo endpoint's. */
type Claims = oidc.IDToken & oidc.UserInfoResponse;

/**
 * Single sign-on through an OpenID Connect provider with openid-client:
 * authorization code flow with PKCE, state and nonce. The collector talks to
 * the provider; the dashboard only carries the browser there and back.
 * Users are created on first sign-in, without a password, and their role
 * follows the provider's groups at every sign-in.
 */
export class SingleSignOn {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly settings: SingleSignOnSettings,
    private readonly users: UserDirectory,
    private readonly sessions: SessionRegistry,
  ) {}

  get issuer(): string {
    return this.settings.issuerUrl;
  }

  /** Where to send the browser, and the secrets to check its return with. */
  async start(): Promise<SignOnFlow> {
    const config = await this.discovered();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { authorization_url: url.href, state, code_verifier: verifier, nonce };
  }

  /** Exchanges the code the provider sent back for an ID token and starts a dashboard session. */
  async finish(raw: unknown): Promise<{ token: string; session: DashboardSession }> {
    const parsed = finishSchema.safeParse(raw);
    if (!parsed.success) throw new QueryParamError(['body: send { "callback_url", "state", "code_verifier", "nonce" } from the sign-on flow']);
    const { callback_url, state, code_verifier, nonce } = parsed.data;
    const config = await this.discovered();
    let claims: Claims;
    try {
      // Only the provider's parameters are taken from the URL the dashboard saw; the rest is the registered
      // redirect URL, so a dashboard behind a proxy (another host or scheme) still matches it.
      const returned = new URL(this.settings.redirectUrl);
      returned.search = new URL(callback_url).search;
      const tokens = await oidc.authorizationCodeGrant(config, returned, { pkceCodeVerifier: code_verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
      const idToken = tokens.claims()!;
      // Many providers keep email and groups out of the ID token and answer them at the userinfo endpoint.
      const userInfo = config.serverMetadata().userinfo_endpoint ? await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub) : {};
      claims = { ...userInfo, ...idToken };
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
      throw new UnauthenticatedError(`Single sign-on failed: ${(err as Error).message}${cause}; start again from the sign-in page`);
    }
    const username = usernameOf(claims);
    const role = this.roleOf(claims);
    const existing = await this.users.find(username);
    if (existing && existing.passwordHash !== '') {
      throw new ForbiddenError(`A user named ${username} signs in with a password here; ask an admin to remove that user before signing in through ${new URL(this.settings.issuerUrl).host}`);
    }
    const user = await this.users.recordSingleSignOn(username, existing?.tenant ?? this.settings.tenant, role);
    return this.sessions.start(user);
  }

  private roleOf(claims: Claims): Role {
    const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [];
    return groups.some((g) => this.settings.adminGroups.includes(g)) ? 'admin' : 'viewer';
  }

  /** Discovery happens on first use and is retried after a failure, so a provider down at start-up does not need a restart. */
  private discovered(): Promise<oidc.Configuration> {
    if (!this.configuration) {
      const issuer = new URL(this.settings.issuerUrl);
      // Plain HTTP only for a provider on this machine (development, tests); anywhere else it must be HTTPS.
      const options = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) ? { execute: [oidc.allowInsecureRequests] } : undefined;
      this.configuration = oidc.discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, options).catch((err: unknown) => {
        this.configuration = undefined;
        throw new UnauthenticatedError(`Single sign-on is unavailable: ${this.settings.issuerUrl} did not answer its discovery document (${(err as Error).message})`);
      });
    }
    return this.configuration;
  }
}

/** The user name: the email when the provider vouches for it, else the preferred user name, else the subject. */
function usernameOf(claims: Claims): string {
  const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email : undefined;
  const preferred = typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined;
  const name = email ?? preferred ?? claims.sub;
  if (!USERNAME_PATTERN.test(name)) throw new UnauthenticatedError(`Single sign-on gave the user name "${name.slice(0, 100)}", which TunnelVision cannot use`);
  return name;
}
