import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { QueryParamError } from '../errors.js';
import { ROLES, type Role } from './access-scopes.js';
import { AccessConflictError } from './access-errors.js';
import { isoFromMillis, nextVersion } from './access-rows.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password-hash.js';

/** A dashboard user as the admin API shows it. */
export interface User {
  readonly username: string;
  readonly tenant: string;
  readonly role: Role;
  readonly created_at: string;
  readonly created_by: string;
}

export interface StoredUser extends User {
  readonly passwordHash: string;
}

export const USERNAME_PATTERN = /^[A-Za-z0-9._@+-]{1,100}$/;

/** POST /api/v1/admin/users. */
export const newUserSchema = z
  .object({
    username: z.string().regex(USERNAME_PATTERN, 'a user name is 1-100 letters, digits or . _ @ + -'),
    password: z.string().min(MIN_PASSWORD_LENGTH, `a password has at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
    role: z.enum(ROLES).default('viewer'),
  })
  .strict();

interface UserRow {
  TenantId: string;
  Username: string;
  Role: Role;
  PasswordHash: string;
  Created: string | number;
  CreatedBy: string;
}

/** Dashboard users in `access_users`. User names are unique across tenants, so a login names no tenant. */
export class UserDirectory {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  /** The user with this name, or undefined (deleted users are gone). */
  async find(username: string): Promise<StoredUser | undefined> {
    const [row] = await this.select('Username = {username:String}', { username });
    return row;
  }

  /** A tenant's users, by name. */
  async list(tenant: string): Promise<User[]> {
    const rows = await this.select('TenantId = {tenant:String}', { tenant });
    return rows.map(({ passwordHash: _hash, ...user }) => user);
  }

  /** Whether any user exists (the first admin is created only into an empty directory). */
  async any(): Promise<boolean> {
    return (await this.select('1', {})).length > 0;
  }

  /** Creates a user of `tenant`; the name must be free in every tenant. */
  async create(raw: unknown, tenant: string, createdBy: string): Promise<User> {
    const parsed = newUserSchema.safeParse(raw);
    if (!parsed.success) throw new QueryParamError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
    const { username, password, role } = parsed.data;
    if (await this.find(username)) throw new AccessConflictError(`The user name ${username} is taken; choose another`, 409);
    const now = Date.now();
    await this.write({ TenantId: tenant, Username: username, Role: role, PasswordHash: await hashPassword(password), Created: now, CreatedBy: createdBy }, 0);
    return { username, tenant, role, created_at: isoFromMillis(now)!, created_by: createdBy };
  }

  /** Records a single sign-on user (no password) with the role the provider's groups give them now. */
  async recordSingleSignOn(username: string, tenant: string, role: Role): Promise<User> {
    const existing = await this.find(username);
    const created = existing ? Date.parse(existing.created_at) : Date.now();
    const createdBy = existing?.created_by ?? 'single sign-on';
    if (!existing || existing.role !== role) {
      await this.write({ TenantId: tenant, Username: username, Role: role, PasswordHash: '', Created: created, CreatedBy: createdBy }, 0);
    }
    return { username, tenant, role, created_at: isoFromMillis(created)!, created_by: createdBy };
  }

  /** Sets a password user's new password (checked as on creation). */
  async setPassword(user: StoredUser, password: string): Promise<void> {
    const parsed = newUserSchema.shape.password.safeParse(password);
    if (!parsed.success) throw new QueryParamError(parsed.error.issues.map((i) => `new_password: ${i.message}`));
    const { username, tenant, role, created_at, created_by } = user;
    await this.write({ TenantId: tenant, Username: username, Role: role, PasswordHash: await hashPassword(parsed.data), Created: Date.parse(created_at), CreatedBy: created_by }, 0);
  }

  /** Deletes a user of `tenant`; one of another tenant is "not found". Their sessions end with them (SessionRegistry checks). */
  async remove(username: string, tenant: string): Promise<void> {
    const user = await this.find(username);
    if (!user || user.tenant !== tenant) throw new AccessConflictError(`No user ${username} in tenant ${tenant}`, 404);
    await this.write({ TenantId: user.tenant, Username: user.username, Role: user.role, PasswordHash: '', Created: Date.parse(user.created_at), CreatedBy: user.created_by }, 1);
  }

  private async select(where: string, params: Record<string, string>): Promise<StoredUser[]> {
    const result = await this.client.query({
      query: `SELECT TenantId, Username, Role, PasswordHash, toUnixTimestamp64Milli(CreatedAt) AS Created, CreatedBy
              FROM ${this.database}.access_users FINAL WHERE Deleted = 0 AND ${where} ORDER BY Username`,
      query_params: params,
      format: 'JSONEachRow',
    });
    return (await result.json<UserRow>()).map((r) => ({
      username: r.Username,
      tenant: r.TenantId,
      role: r.Role,
      created_at: isoFromMillis(r.Created)!,
      created_by: r.CreatedBy,
      passwordHash: r.PasswordHash,
    }));
  }

  private async write(row: UserRow, deleted: 0 | 1): Promise<void> {
    const { Created, ...rest } = row;
    await this.client.insert({
      table: `${this.database}.access_users`,
      format: 'JSONEachRow',
      values: [{ ...rest, CreatedAt: String(Created), Deleted: deleted, Version: nextVersion() }],
    });
  }
}
