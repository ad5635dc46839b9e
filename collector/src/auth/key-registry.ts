import type { ClickHouseClient } from '@clickhouse/client';
import { z } from 'zod';
import { QueryParamError } from '../errors.js';
import { KEY_KINDS, SCOPES, type KeyKind, type Scope } from './access-scopes.js';
import { AccessConflictError } from './access-errors.js';
import { isoFromMillis, nextVersion } from './access-rows.js';
import { KeyUsage } from './key-usage.js';
import { newToken } from './secret-token.js';
import { TENANT_ID_PATTERN } from './tenant-id.js';

/** An API key as the admin API shows it: never its secret or digest. */
export interface ApiKey {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly kind: KeyKind;
  readonly scopes: readonly Scope[];
  readonly service: string | null;
  readonly origins: readonly string[];
  readonly created_at: string;
  readonly created_by: string;
  readonly revoked_at: string | null;
  /** Written about once a minute per collector (KeyUsage), so up to a minute behind; null when never used. */
  readonly last_used_at: string | null;
}

/** A key with the digest the authenticator compares against. */
export interface StoredKey extends Omit<ApiKey, 'last_used_at'> {
  readonly digest: string;
}

const ORIGIN = /^https?:\/\/[^/\s]+$/;

/** POST /api/v1/admin/keys. */
export const newKeySchema = z
  .object({
    name: z.string().trim().min(1, 'name the key after who uses it, e.g. "chat-api"').max(100),
    kind: z.enum(KEY_KINDS).default('server'),
    scopes: z.array(z.enum(SCOPES)).min(1, 'give at least one scope: ingest, read or admin'),
    service: z.string().trim().min(1).max(200).optional(),
    origins: z.array(z.string().regex(ORIGIN, 'each origin is scheme://host[:port], e.g. https://app.example.com')).max(50).default([]),
    tenant: z.string().regex(TENANT_ID_PATTERN, 'a tenant id is lowercase letters, digits and _, starting with a letter').optional(),
  })
  .strict()
  .superRefine((key, ctx) => {
    if (key.kind !== 'browser') return;
    if (key.scopes.some((s) => s !== 'ingest')) ctx.addIssue({ code: 'custom', path: ['scopes'], message: 'a browser key ships in web pages, so it may only have the ingest scope' });
    if (key.origins.length === 0) ctx.addIssue({ code: 'custom', path: ['origins'], message: 'a browser key needs the origins it may be used from, e.g. ["https://app.example.com"]' });
  });
export type NewKeyInput = z.infer<typeof newKeySchema>;

interface KeyRow {
  KeyId: string;
  TenantId: string;
  Name: string;
  Kind: KeyKind;
  Scopes: Scope[];
  Service: string;
  Origins: string[];
  Digest: string;
  Created: string | number;
  CreatedBy: string;
  Revoked: string | number | null;
}

/**
 * API keys, kept in `access_keys` and cached in memory so a request costs
 * no query. The cache is reloaded every refreshMillis, and on a miss (a key
 * created on another replica) at most once a second.
 */
export class KeyRegistry {
  readonly usage: KeyUsage;
  private keys = new Map<string, StoredKey>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly refreshMillis = 10_000,
  ) {
    this.usage = new KeyUsage(client, database);
  }

  /** The key with this id (revoked ones included; the caller checks), reloading when the cache is stale. */
  async find(id: string, now = Date.now()): Promise<StoredKey | undefined> {
    const cached = this.keys.get(id);
    const stale = now - this.loadedAt > this.refreshMillis;
    if (stale || (!cached && now - this.loadedAt > 1_000)) await this.reload();
    return this.keys.get(id);
  }

  /** Every key of a tenant, newest first. */
  async list(tenant: string): Promise<ApiKey[]> {
    await this.reload();
    return this.shown([...this.keys.values()].filter((k) => k.tenant === tenant).sort((a, b) => b.created_at.localeCompare(a.created_at)));
  }

  /** Whether any usable key exists (production start-up checks there is a way in). */
  async anyActive(): Promise<boolean> {
    await this.reload();
    return [...this.keys.values()].some((k) => k.revoked_at === null);
  }

  /** Creates a key; the returned secret is the only copy there will ever be. */
  async create(raw: unknown, tenant: string, createdBy: string): Promise<{ key: ApiKey; secret: string }> {
    const parsed = newKeySchema.safeParse(raw);
    if (!parsed.success) throw new QueryParamError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
    const input = parsed.data;
    const { id, token, digest } = newToken('tvk');
    const now = Date.now();
    await this.write({
      KeyId: id,
      TenantId: tenant,
      Name: input.name,
      Kind: input.kind,
      Scopes: input.scopes,
      Service: input.service ?? '',
      Origins: input.origins,
      Digest: digest,
      Created: now,
      CreatedBy: createdBy,
      Revoked: null,
    });
    await this.reload();
    const { digest: _digest, ...key } = this.keys.get(id)!;
    return { key: { ...key, last_used_at: null }, secret: token };
  }

  /** Revokes a key of `tenant`; a key of another tenant is "not found", as one that never existed. */
  async revoke(id: string, tenant: string): Promise<ApiKey> {
    await this.reload();
    const key = this.keys.get(id);
    if (!key || key.tenant !== tenant) throw new AccessConflictError(`No key ${id} in tenant ${tenant}`, 404);
    if (key.revoked_at === null) {
      await this.write({ ...rowOf(key), Revoked: Date.now() });
      await this.reload();
    }
    const [shown] = await this.shown([this.keys.get(id)!]);
    return shown!;
  }

  /** Reads every key; concurrent callers share one read. */
  reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const result = await this.client.query({
          query: `SELECT KeyId, TenantId, Name, Kind, Scopes, Service, Origins, Digest,
                         toUnixTimestamp64Milli(CreatedAt) AS Created, CreatedBy,
                         if(RevokedAt IS NULL, NULL, toUnixTimestamp64Milli(assumeNotNull(RevokedAt))) AS Revoked
                  FROM ${this.database}.access_keys FINAL`,
          format: 'JSONEachRow',
        });
        const rows = await result.json<KeyRow>();
        this.keys = new Map(rows.map((r) => [r.KeyId, keyOf(r)]));
        this.loadedAt = Date.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** Keys as the admin API shows them: without their digest, with when they were last used. */
  private async shown(keys: readonly StoredKey[]): Promise<ApiKey[]> {
    const lastUsed = await this.usage.lastUsed(keys.map((k) => k.id));
    return keys.map(({ digest: _digest, ...key }) => ({ ...key, last_used_at: lastUsed.get(key.id) ?? null }));
  }

  private async write(row: KeyRow): Promise<void> {
    const { Created, Revoked, ...rest } = row;
    await this.client.insert({
      table: `${this.database}.access_keys`,
      format: 'JSONEachRow',
      values: [{ ...rest, CreatedAt: String(Created), RevokedAt: Revoked === null ? null : String(Revoked), Version: nextVersion() }],
    });
  }
}

function keyOf(r: KeyRow): StoredKey {
  return {
    id: r.KeyId,
    tenant: r.TenantId,
    name: r.Name,
    kind: r.Kind,
    scopes: r.Scopes,
    service: r.Service === '' ? null : r.Service,
    origins: r.Origins,
    created_at: isoFromMillis(r.Created)!,
    created_by: r.CreatedBy,
    revoked_at: isoFromMillis(r.Revoked),
    digest: r.Digest,
  };
}

function rowOf(key: StoredKey): KeyRow {
  return {
    KeyId: key.id,
    TenantId: key.tenant,
    Name: key.name,
    Kind: key.kind,
    Scopes: [...key.scopes],
    Service: key.service ?? '',
    Origins: [...key.origins],
    Digest: key.digest,
    Created: Date.parse(key.created_at),
    CreatedBy: key.created_by,
    Revoked: key.revoked_at === null ? null : Date.parse(key.revoked_at),
  };
}
