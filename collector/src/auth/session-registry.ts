import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Role } from './access-scopes.js';
import { nextVersion } from './access-rows.js';
import { newToken, sameDigest, tokenDigest } from './secret-token.js';

/** A signed-in dashboard user. */
export interface DashboardSession {
  readonly id: string;
  readonly tenant: string;
  readonly username: string;
  readonly role: Role;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

interface SessionRow {
  SessionId: string;
  Digest: string;
  TenantId: string;
  Username: string;
  Role: Role;
  CsrfToken: string;
  Created: number;
  Expires: string | number;
  Ended: 0 | 1;
}

/** Sessions started on other replicas are read on first use; more unknown ids than this a second are refused unread. */
const MAX_UNKNOWN_READS_PER_SECOND = 50;

interface Cached {
  readonly session: DashboardSession | undefined;
  readonly digest: string;
  readonly checkedAt: number;
}

/**
 * Dashboard sessions in `access_sessions`, stored as the digest of their
 * token. A session found is trusted from memory for recheckMillis, so an
 * ended session stops working at once on this replica and within that time
 * on the others.
 */
export class SessionRegistry {
  private readonly cache = new Map<string, Cached>();
  private unknownReads = { second: 0, count: 0 };

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly ttlMillis: number,
    private readonly recheckMillis = 10_000,
  ) {}

  /** Starts a session; the token goes to the dashboard's cookie and nowhere else. */
  async start(user: { tenant: string; username: string; role: Role }, now = Date.now()): Promise<{ token: string; session: DashboardSession }> {
    const { id, token, digest } = newToken('tvs');
    const session: DashboardSession = { id, tenant: user.tenant, username: user.username, role: user.role, csrfToken: randomBytes(24).toString('base64url'), expiresAt: now + this.ttlMillis };
    await this.write(rowOf(session, digest, now, 0));
    this.cache.set(id, { session, digest, checkedAt: now });
    return { token, session };
  }

  /** The live session a token belongs to, or undefined when it is unknown, ended, expired or its digest differs. */
  async find(id: string, token: string, now = Date.now()): Promise<DashboardSession | undefined> {
    let cached = this.cache.get(id);
    // Ids never seen here each cost a store read; a flood of made-up tokens must not become a flood of queries.
    if (!cached && !this.mayReadUnknown(now)) return undefined;
    if (!cached || now - cached.checkedAt > this.recheckMillis) {
      cached = await this.read(id, now);
      this.cache.set(id, cached);
      this.forgetOld(now);
    }
    const { session } = cached;
    if (!session || session.expiresAt <= now || !sameDigest(cached.digest, tokenDigest(token))) return undefined;
    return session;
  }

  /** Ends one session (logout). */
  async end(session: DashboardSession, now = Date.now()): Promise<void> {
    const cached = this.cache.get(session.id);
    await this.write(rowOf(session, cached?.digest ?? '', now, 1));
    this.cache.set(session.id, { session: undefined, digest: '', checkedAt: now });
  }

  /** Ends every live session of a user (the user was deleted, or changed their password: then all but `keep`). */
  async endAllOf(username: string, now = Date.now(), keep?: string): Promise<void> {
    const result = await this.client.query({
      query: `SELECT SessionId, Digest, TenantId, Username, Role, CsrfToken, toUnixTimestamp64Milli(ExpiresAt) AS Expires, Ended
              FROM ${this.database}.access_sessions FINAL WHERE Username = {username:String} AND Ended = 0`,
      query_params: { username },
      format: 'JSONEachRow',
    });
    for (const row of await result.json<SessionRow>()) {
      if (row.SessionId === keep) continue;
      await this.write({ ...row, Created: now, Ended: 1 });
      this.cache.delete(row.SessionId);
    }
  }

  private async read(id: string, now: number): Promise<Cached> {
    const result = await this.client.query({
      query: `SELECT SessionId, Digest, TenantId, Username, Role, CsrfToken, toUnixTimestamp64Milli(ExpiresAt) AS Expires, Ended
              FROM ${this.database}.access_sessions FINAL WHERE SessionId = {id:String}`,
      query_params: { id },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<SessionRow>();
    if (!row || Number(row.Ended) === 1) return { session: undefined, digest: '', checkedAt: now };
    const session: DashboardSession = { id: row.SessionId, tenant: row.TenantId, username: row.Username, role: row.Role, csrfToken: row.CsrfToken, expiresAt: Number(row.Expires) };
    return { session, digest: row.Digest, checkedAt: now };
  }

  /** At most MAX_UNKNOWN_READS_PER_SECOND store reads a second for session ids this replica does not know. */
  private mayReadUnknown(now: number): boolean {
    const second = Math.floor(now / 1000);
    if (this.unknownReads.second !== second) this.unknownReads = { second, count: 0 };
    return ++this.unknownReads.count <= MAX_UNKNOWN_READS_PER_SECOND;
  }

  /** Bounds the cache: entries older than a recheck are dropped, since they would be read again anyway. */
  private forgetOld(now: number): void {
    if (this.cache.size < 10_000) return;
    for (const [id, entry] of this.cache) if (now - entry.checkedAt > this.recheckMillis) this.cache.delete(id);
  }

  private async write(row: SessionRow & { Created?: number }): Promise<void> {
    const { Created, Expires, ...rest } = row;
    await this.client.insert({
      table: `${this.database}.access_sessions`,
      format: 'JSONEachRow',
      values: [{ ...rest, CreatedAt: String(Created ?? Date.now()), ExpiresAt: String(Expires), Version: nextVersion() }],
    });
  }
}

function rowOf(session: DashboardSession, digest: string, now: number, ended: 0 | 1): SessionRow {
  return {
    SessionId: session.id,
    Digest: digest,
    TenantId: session.tenant,
    Username: session.username,
    Role: session.role,
    CsrfToken: session.csrfToken,
    Created: now,
    Expires: session.expiresAt,
    Ended: ended,
  };
}
