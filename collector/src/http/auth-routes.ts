import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AccessControl } from '../auth/access-control.js';
import type { DashboardSession } from '../auth/session-registry.js';
import type { SingleSignOn } from '../auth/single-sign-on.js';
import { NotFoundError, QueryParamError } from '../errors.js';
import { jsonBody } from './json-body.js';

const loginSchema = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024) }).strict();
const passwordSchema = z.object({ current_password: z.string().min(1).max(1024), new_password: z.string().max(1024) }).strict();

/** Dashboard sign-in and the caller's own identity (docs/security.md). */
export async function authRoutes(app: FastifyInstance, options: { access: AccessControl }): Promise<void> {
  const { access } = options;

  app.get('/api/v1/auth/methods', async () => ({
    auth_mode: access.mode,
    password: true,
    single_sign_on: access.singleSignOn ? { issuer: access.singleSignOn.issuer } : null,
  }));

  app.post('/api/v1/auth/login', async (request) => {
    const parsed = loginSchema.safeParse(jsonBody(request.body));
    if (!parsed.success) throw new QueryParamError(['body: send { "username": "...", "password": "..." }']);
    const signedIn = await access.login(parsed.data.username, parsed.data.password, request.ip);
    request.log.info({ user: signedIn.session.username, tenant: signedIn.session.tenant }, 'signed in');
    return sessionAnswer(signedIn);
  });

  app.get('/api/v1/auth/oidc/start', async () => singleSignOn().start());

  app.post('/api/v1/auth/oidc/callback', async (request) => {
    const signedIn = await singleSignOn().finish(jsonBody(request.body));
    request.log.info({ user: signedIn.session.username, tenant: signedIn.session.tenant }, 'signed in through single sign-on');
    return sessionAnswer(signedIn);
  });

  function singleSignOn(): SingleSignOn {
    if (!access.singleSignOn) throw new NotFoundError('Single sign-on is not configured: set OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
    return access.singleSignOn;
  }

  app.post('/api/v1/auth/logout', async (request, reply) => {
    const principal = request.principal;
    if (principal?.kind !== 'session') throw new QueryParamError(['Only a dashboard session signs out; to stop a key working, revoke it']);
    await access.sessions.end({ ...principal, id: principal.sessionId });
    return reply.code(204).send();
  });

  app.post('/api/v1/auth/password', async (request) => {
    const principal = request.principal;
    if (principal?.kind !== 'session') throw new QueryParamError(['Only a signed-in dashboard user changes their password']);
    const parsed = passwordSchema.safeParse(jsonBody(request.body));
    if (!parsed.success) throw new QueryParamError(['body: send { "current_password": "...", "new_password": "..." }']);
    await access.changePassword(principal, parsed.data.current_password, parsed.data.new_password, request.ip);
    request.log.info({ user: principal.username, tenant: principal.tenant }, 'password changed');
    return { password_changed: true, other_sessions_ended: true };
  });

  app.get('/api/v1/auth/session', async (request) => {
    const principal = request.principal!;
    const base = { auth_mode: access.mode, principal: { kind: principal.kind, tenant: principal.tenant, scopes: principal.scopes } };
    switch (principal.kind) {
      case 'session':
        return {
          ...base,
          principal: { ...base.principal, username: principal.username, role: principal.role },
          csrf_token: principal.csrfToken,
          expires_at: new Date(principal.expiresAt).toISOString(),
        };
      case 'key':
        return { ...base, principal: { ...base.principal, key_id: principal.keyId, key_kind: principal.keyKind } };
      case 'open':
        return { ...base, principal: { ...base.principal, role: 'admin' } };
    }
  });
}

/** What a sign-in answers: the token (for the dashboard's cookie only), its expiry, the CSRF token and who signed in. */
function sessionAnswer({ token, session }: { token: string; session: DashboardSession }) {
  return {
    session: {
      token,
      expires_at: new Date(session.expiresAt).toISOString(),
      csrf_token: session.csrfToken,
      user: { username: session.username, role: session.role, tenant: session.tenant },
    },
  };
}
