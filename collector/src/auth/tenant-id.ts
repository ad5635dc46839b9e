/** The tenant every install starts with; its data lives in the configured database itself. */
export const DEFAULT_TENANT = 'default';

/** Tenant ids become part of a database name, so only short plain names are allowed. */
export const TENANT_ID_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/** The database holding a tenant's telemetry, deploys and alerts. */
export function tenantDatabase(mainDatabase: string, tenant: string): string {
  if (!TENANT_ID_PATTERN.test(tenant)) throw new Error(`Invalid tenant id: ${tenant}`);
  return tenant === DEFAULT_TENANT ? mainDatabase : `${mainDatabase}_t_${tenant}`;
}
