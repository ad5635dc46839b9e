import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** Who the next sign-in at the test provider is. */
export interface TestAccount {
  readonly id: string;
  readonly email?: string;
  readonly groups?: readonly string[];
}

/** A real OpenID Connect provider (oidc-provider) on a local port, whose login and consent pages answer for a scripted account. */
export interface TestIdentityProvider {
  /** The issuer URL, e.g. http://127.0.0.1:41234. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Makes the next sign-in (login and consent) succeed as this account, as if the person had typed their password. */
  signInAs(account: TestAccount): void;
  close(): Promise<void>;
}

/**
 * Starts an OIDC provider for single sign-on tests (imported on its own, as
 * '@tunnelvision/collector/testing/identity-provider', so other tests do not
 * load oidc-provider). Everything is the real
 * protocol (discovery, authorization code with PKCE, signed ID tokens); only
 * the human at the provider's login page is scripted.
 */
export async function startTestIdentityProvider(redirectUris: readonly string[]): Promise<TestIdentityProvider> {
  const accounts = new Map<string, TestAccount>();
  let next: TestAccount | undefined;
  const clientId = 'tunnelvision-dashboard';
  const clientSecret = 'test-client-secret-0123456789';
  let provider: Provider | undefined;
  const server: Server = createServer((req, res) => {
    if (!provider) return void res.writeHead(503).end();
    if (!req.url?.startsWith('/interaction/')) return void provider.callback()(req, res);
    void (async () => {
      const details = await provider!.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        if (!next) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('no test account to sign in as');
        accounts.set(next.id, next);
        const accountId = next.id;
        next = undefined;
        return provider!.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
      }
      const grant = new provider!.Grant({ accountId: details.session!.accountId, clientId });
      grant.addOIDCScope('openid email profile');
      return provider!.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })().catch((err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [...redirectUris], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['groups'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    // A signing key of its own, as a real provider has (and no development-key warning).
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }] },
    findAccount: (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, email: account.email, email_verified: account.email !== undefined, groups: [...(account.groups ?? [])] }) };
    },
  });
  return {
    issuer,
    clientId,
    clientSecret,
    signInAs: (account) => {
      next = account;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
