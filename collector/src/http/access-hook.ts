import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../auth/access-errors.js';
import type { AccessControl } from '../auth/access-control.js';
import type { Principal } from '../auth/principal.js';
import { sameSecret } from '../auth/secret-token.js';
import { DEFAULT_TENANT } from '../auth/tenant-id.js';
import { requirementOf } from './route-access.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking; set before any handler of a non-public route runs. */
    principal: Principal | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The bearer token or x-tunnelvision-key of a request, trimmed. */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-tunnelvision-key'];
  const key = Array.isArray(header) ? header[0] : header;
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const token = (key ?? bearer)?.trim();
  return token === '' ? undefined : token;
}

/**
 * Authenticates and authorizes every request in onRequest, before its body
 * is read, so a refused request costs almost nothing. Session-authenticated
 * changes must echo the session's CSRF token in x-csrf-token.
 */
export function registerAccessHook(app: FastifyInstance, access: AccessControl): void {
  app.decorateRequest('principal', undefined);
  // Authenticating notes key uses in memory; this server writes them in the background and, once its requests are done, on close.
  access.keys.usage.start((err) => app.log.warn({ err }, 'could not save when API keys were last used; will retry'));
  app.addHook('onClose', () => access.keys.usage.stop());
  app.addHook('onRequest', async (request) => {
    const requirement = requirementOf(request.method, request.routeOptions.url);
    if (requirement.kind === 'public') return;
    const origin = request.headers.origin;
    const principal = await access.authenticate({ token: presentedToken(request), origin });
    if (requirement.kind === 'signed-in') {
      if (!principal) throw new UnauthenticatedError('Sign in, or send an API key as "Authorization: Bearer <key>"');
    } else {
      access.requireScope(principal, requirement.scope);
      if (principal?.kind === 'key' && principal.keyKind === 'browser' && !requirement.browserKeys) {
        throw new ForbiddenError(`Browser key ${principal.keyId} may only send telemetry (POST /v1/logs, /v1/metrics, /v1/traces)`);
      }
    }
    if (principal?.kind === 'session' && !SAFE_METHODS.has(request.method)) {
      const given = request.headers['x-csrf-token'];
      const token = Array.isArray(given) ? given[0] : given;
      if (!token || !sameSecret(token, principal.csrfToken)) {
        throw new ForbiddenError('Missing or wrong CSRF token: send the x-csrf-token from GET /api/v1/auth/session with every change');
      }
    }
    request.principal = principal;
  });
}

/** The tenant a request acts for: its principal's, or the default tenant on public routes. */
export function tenantOf(request: FastifyRequest): string {
  return request.principal?.tenant ?? DEFAULT_TENANT;
}
