import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { QueryParamError } from '../errors.js';
import { AccessConflictError } from './access-errors.js';
import { isoFromMillis, nextVersion } from './access-rows.js';
import { DEFAULT_TENANT, TENANT_ID_PATTERN } from './tenant-id.js';

/** A tenant as the admin API shows it. */
export interface Tenant {
  readonly id: string;
  readonly database: string;
  readonly created_at: string | null;
  readonly created_by: string;
}

/** POST /api/v1/admin/tenants. */
const newTenantSchema = z
  .object({ id: z.string().regex(TENANT_ID_PATTERN, 'a tenant id is 1-32 lowercase letters, digits or _, starting with a letter') })
  .strict();

interface TenantRow {
  TenantId: string;
  Created: string | number;
  CreatedBy: string;
}

/**
 * The tenants in `access_tenants`. `default` always exists and is not
 * stored. Creating a tenant records it only after `prepare` (its database and
 * schema, its alert evaluator) succeeded, so a tenant that is listed works.
 */
export class TenantRegistry {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly databaseOf: (tenant: string) => string,
  ) {}

  async list(): Promise<Tenant[]> {
    const result = await this.client.query({
      query: `SELECT TenantId, toUnixTimestamp64Milli(CreatedAt) AS Created, CreatedBy FROM ${this.database}.access_tenants FINAL ORDER BY TenantId`,
      format: 'JSONEachRow',
    });
    const stored = (await result.json<TenantRow>()).map((r) => this.tenantOf(r.TenantId, isoFromMillis(r.Created), r.CreatedBy));
    return [this.tenantOf(DEFAULT_TENANT, null, 'install'), ...stored.filter((t) => t.id !== DEFAULT_TENANT)];
  }

  async exists(id: string): Promise<boolean> {
    return (await this.list()).some((t) => t.id === id);
  }

  async create(raw: unknown, createdBy: string, prepare: (tenant: string) => Promise<void>): Promise<Tenant> {
    const parsed = newTenantSchema.safeParse(raw);
    if (!parsed.success) throw new QueryParamError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
    const { id } = parsed.data;
    if (await this.exists(id)) throw new AccessConflictError(`Tenant ${id} exists already`, 409);
    await prepare(id);
    const now = Date.now();
    await this.client.insert({
      table: `${this.database}.access_tenants`,
      format: 'JSONEachRow',
      values: [{ TenantId: id, CreatedAt: String(now), CreatedBy: createdBy, Version: nextVersion(now) }],
    });
    return this.tenantOf(id, isoFromMillis(now), createdBy);
  }

  private tenantOf(id: string, createdAt: string | null, createdBy: string): Tenant {
    return { id, database: this.databaseOf(id), created_at: createdAt, created_by: createdBy };
  }
}
