import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AccessConflictError, ForbiddenError } from '../auth/access-errors.js';
import type { AccessControl } from '../auth/access-control.js';
import { principalName } from '../auth/principal.js';
import { DEFAULT_TENANT } from '../auth/tenant-id.js';
import { jsonBody } from './json-body.js';

export interface AdminRouteOptions {
  access: AccessControl;
  /** Creates a new tenant's database and schema and starts its alert evaluator. */
  prepareTenant: (tenant: string) => Promise<void>;
}

/**
 * Keys, users and tenants under /api/v1/admin (admin scope, checked by the
 * access hook). An admin manages their own tenant; an admin of the default
 * tenant may name another with `?tenant=` (or `tenant` in a new key) and
 * create tenants.
 */
export async function adminRoutes(app: FastifyInstance, options: AdminRouteOptions): Promise<void> {
  const { access } = options;

  /** The tenant an admin request acts on. */
  async function targetTenant(request: FastifyRequest, requested: unknown): Promise<string> {
    const own = request.principal!.tenant;
    if (requested === undefined || requested === own) return own;
    if (own !== DEFAULT_TENANT) throw new ForbiddenError('Only admins of the default tenant manage other tenants');
    if (typeof requested !== 'string' || !(await access.tenants.exists(requested))) throw new AccessConflictError(`No tenant ${String(requested)}`, 404);
    return requested;
  }
  const tenantParam = (request: FastifyRequest) => (request.query as { tenant?: unknown }).tenant;

  app.get('/api/v1/admin/keys', async (request) => ({ keys: await access.keys.list(await targetTenant(request, tenantParam(request))) }));

  app.post('/api/v1/admin/keys', async (request, reply) => {
    const body = jsonBody(request.body);
    const requested = typeof body === 'object' && body !== null && 'tenant' in body ? body.tenant : undefined;
    const tenant = await targetTenant(request, requested);
    const created = await access.keys.create(body, tenant, principalName(request.principal!));
    request.log.info({ key: created.key.id, tenant, by: created.key.created_by }, 'key created');
    return reply.code(201).header('cache-control', 'no-store').send(created);
  });

  app.delete<{ Params: { id: string } }>('/api/v1/admin/keys/:id', async (request) => {
    const key = await access.keys.revoke(request.params.id, await targetTenant(request, tenantParam(request)));
    request.log.info({ key: key.id, tenant: key.tenant, by: principalName(request.principal!) }, 'key revoked');
    return { key };
  });

  app.get('/api/v1/admin/users', async (request) => ({ users: await access.users.list(await targetTenant(request, tenantParam(request))) }));

  app.post('/api/v1/admin/users', async (request, reply) => {
    const user = await access.users.create(jsonBody(request.body), await targetTenant(request, tenantParam(request)), principalName(request.principal!));
    return reply.code(201).send({ user });
  });

  app.delete<{ Params: { username: string } }>('/api/v1/admin/users/:username', async (request) => {
    const tenant = await targetTenant(request, tenantParam(request));
    const principal = request.principal!;
    if (principal.kind === 'session' && principal.username === request.params.username) {
      throw new AccessConflictError('You cannot delete yourself; ask another admin', 409);
    }
    await access.users.remove(request.params.username, tenant);
    await access.sessions.endAllOf(request.params.username);
    return { deleted: request.params.username };
  });

  app.get('/api/v1/admin/tenants', async (request) => {
    if (request.principal!.tenant !== DEFAULT_TENANT) throw new ForbiddenError('Only admins of the default tenant list tenants');
    return { tenants: await access.tenants.list() };
  });

  app.post('/api/v1/admin/tenants', async (request, reply) => {
    if (request.principal!.tenant !== DEFAULT_TENANT) throw new ForbiddenError('Only admins of the default tenant create tenants');
    const tenant = await access.tenants.create(jsonBody(request.body), principalName(request.principal!), options.prepareTenant);
    return reply.code(201).send({ tenant });
  });
}
