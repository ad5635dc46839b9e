import type { ClickHouseClient } from '@clickhouse/client';
import { isoFromMillis } from './access-rows.js';

interface UsageRow {
  KeyId: string;
  LastUsed: string | number;
}

/**
 * When each API key was last used, kept in `access_key_usage`. Authenticating
 * only notes the time in memory (a request never waits on the store); the
 * latest time per key is written in the background every flushMillis and
 * when the collector stops. Each replica writes its own times and reads take
 * the max, so "last used" is at most about a minute behind.
 */
export class KeyUsage {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private onError: (err: unknown) => void = () => {};

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly flushMillis = 60_000,
  ) {}

  /** Notes that a key was used now; cheap enough for every request. */
  record(keyId: string, now = Date.now()): void {
    this.pending.set(keyId, Math.max(now, this.pending.get(keyId) ?? 0));
  }

  /** Writes the noted uses every flushMillis until stop(); a failed write is reported to `onError` and retried at the next one. */
  start(onError: (err: unknown) => void): void {
    this.onError = onError;
    this.timer ??= setInterval(() => void this.flush().catch(this.onError), this.flushMillis);
    // A pending write of usage times must not keep the process alive.
    this.timer.unref();
  }

  /** Stops the background writes and writes what is noted, best effort. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(this.onError);
  }

  /** Writes the uses noted since the last write; on failure they are kept for the next one. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.client.insert({
        table: `${this.database}.access_key_usage`,
        format: 'JSONEachRow',
        values: [...batch].map(([KeyId, at]) => ({ KeyId, LastUsedAt: String(at) })),
      });
    } catch (err) {
      for (const [id, at] of batch) this.record(id, at);
      throw err;
    }
  }

  /** The latest written use of each of these keys, as ISO times; keys never used are absent. */
  async lastUsed(keyIds: readonly string[]): Promise<Map<string, string>> {
    if (keyIds.length === 0) return new Map();
    const result = await this.client.query({
      query: `SELECT KeyId, toUnixTimestamp64Milli(max(LastUsedAt)) AS LastUsed
              FROM ${this.database}.access_key_usage
              WHERE KeyId IN {ids:Array(String)}
              GROUP BY KeyId`,
      query_params: { ids: keyIds },
      format: 'JSONEachRow',
    });
    const rows = await result.json<UsageRow>();
    return new Map(rows.map((r) => [r.KeyId, isoFromMillis(r.LastUsed)!]));
  }
}
