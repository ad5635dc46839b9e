import type { ClickHouseClient } from '@clickhouse/client';

/** Options of {@link LeaderLease}. */
export interface LeaderLeaseOptions {
  /** This collector's name among the replicas (COLLECTOR_REPLICA_ID). */
  replicaId: string;
  /** How long a lease lasts unless renewed; a leader that stops renewing is replaced after this. */
  ttlMillis: number;
  /** Wait between claiming a term and reading who won it, so concurrent claims are all visible. */
  settleMillis: number;
}

/** Who leads, as this replica sees it after {@link LeaderLease.acquire}. */
export interface LeaseView {
  leader: boolean;
  holder: string | null;
  term: number;
}

interface LeaseRow {
  term: string;
  holder: string;
  expires: string;
}

const NAME = 'evaluator';

/**
 * Leader election for the alert evaluator over the shared ClickHouse, so
 * several collector replicas send one page per alert, not one each.
 * ClickHouse has no compare-and-set, so a replica that finds no live lease
 * claims the next term, waits `settleMillis`, and reads the claims: the
 * smallest replica id among the term's claimants leads. Every replica
 * reads the same rows and so names the same leader. The leader renews
 * each cycle; when it stops (crash, partition) the lease lapses after
 * `ttlMillis` and another replica claims the next term, taking over from
 * the stored alert state (docs/alerts.md, "Several replicas").
 */
export class LeaderLease {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly options: LeaderLeaseOptions,
  ) {}

  /** Renews this replica's lease, or claims a lapsed one; says who leads. */
  async acquire(now = Date.now()): Promise<LeaseView> {
    const current = await this.read();
    const me = this.options.replicaId;
    if (current && current.expires > now) {
      if (current.holder === me) {
        await this.write(current.term, now + this.options.ttlMillis, now);
        return { leader: true, holder: me, term: current.term };
      }
      return { leader: false, holder: current.holder, term: current.term };
    }
    const term = (current?.term ?? 0) + 1;
    await this.write(term, now + this.options.ttlMillis, now);
    await new Promise((resolve) => setTimeout(resolve, this.options.settleMillis));
    const won = await this.read();
    return { leader: won?.holder === me, holder: won?.holder ?? null, term: won?.term ?? term };
  }

  /** Gives the lease up (on shutdown) so another replica takes over at its next cycle instead of after the TTL. */
  async release(now = Date.now()): Promise<void> {
    const current = await this.read();
    if (current?.holder === this.options.replicaId) await this.write(current.term, now - 1, now);
  }

  /** When the current leader last renewed its lease (once per cycle): the API's "evaluated at" on any replica. Null before any. */
  async lastRenewedAt(): Promise<number | null> {
    const result = await this.client.query({
      query: `SELECT toUnixTimestamp64Milli(max(UpdatedAt)) AS at, count() AS n FROM ${this.database}.alert_leases
              WHERE Name = {name:String} AND ExpiresAt > UpdatedAt`,
      query_params: { name: NAME },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ at: string; n: string }>();
    return row && Number(row.n) > 0 ? Number(row.at) : null;
  }

  /** The newest term's leader: the smallest replica id that claimed it, with its lease expiry. */
  private async read(): Promise<{ term: number; holder: string; expires: number } | null> {
    const result = await this.client.query({
      query: `SELECT Term AS term, Holder AS holder, toUnixTimestamp64Milli(argMax(ExpiresAt, UpdatedAt)) AS expires
              FROM ${this.database}.alert_leases
              WHERE Name = {name:String} AND Term = (SELECT max(Term) FROM ${this.database}.alert_leases WHERE Name = {name:String})
              GROUP BY Term, Holder ORDER BY Holder LIMIT 1`,
      query_params: { name: NAME },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<LeaseRow>();
    return row ? { term: Number(row.term), holder: row.holder, expires: Number(row.expires) } : null;
  }

  private async write(term: number, expiresAt: number, now: number): Promise<void> {
    await this.client.insert({
      table: `${this.database}.alert_leases`,
      format: 'JSONEachRow',
      values: [{ Name: NAME, Holder: this.options.replicaId, Term: term, ExpiresAt: String(expiresAt), UpdatedAt: String(now) }],
    });
  }
}
