import type { Scope } from '../auth/access-scopes.js';

/** What a route needs from the caller. */
export type RouteRequirement =
  /** Probes, metrics, sign-in, CORS preflights and unknown routes (answered 404). */
  | { readonly kind: 'public' }
  /** Any valid credential (reading or ending one's own session). */
  | { readonly kind: 'signed-in' }
  /** A credential with this scope; browser keys only where `browserKeys` is true. */
  | { readonly kind: 'scope'; readonly scope: Scope; readonly browserKeys: boolean };

const PUBLIC: RouteRequirement = { kind: 'public' };
const SIGNED_IN: RouteRequirement = { kind: 'signed-in' };
const scope = (s: Scope, browserKeys = false): RouteRequirement => ({ kind: 'scope', scope: s, browserKeys });

const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/v1/auth/methods',
  'POST /api/v1/auth/login',
  'GET /api/v1/auth/oidc/start',
  'POST /api/v1/auth/oidc/callback',
]);

/**
 * The one table of who may call what (docs/security.md), by method and the
 * route's pattern as Fastify matched it (`/api/v1/deploys/:id/impact`).
 * A route not named here needs `read` for GET and `admin` for anything else,
 * so a new route is never open by mistake.
 */
export function requirementOf(requestMethod: string, route: string | undefined): RouteRequirement {
  // Fastify answers HEAD with the GET handler, so HEAD needs what GET needs.
  const method = requestMethod === 'HEAD' ? 'GET' : requestMethod;
  if (route === undefined || method === 'OPTIONS' || PUBLIC_ROUTES.has(`${method} ${route}`)) return PUBLIC;
  if (route === '/api/v1/auth/session' || route === '/api/v1/auth/logout' || route === '/api/v1/auth/password') return SIGNED_IN;
  if (method === 'POST' && route.startsWith('/v1/')) return scope('ingest', true);
  if (method === 'POST' && route === '/api/v1/deploys') return scope('ingest');
  if (method === 'GET' && !route.startsWith('/api/v1/admin/')) return scope('read');
  return scope('admin');
}
