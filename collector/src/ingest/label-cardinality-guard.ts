import type { TableRows } from '../store/table-names.js';

/** The labels the rollups group by, as the guard counts them. */
export type GuardedLabel = 'service' | 'version' | 'environment' | 'server';

export const GUARDED_LABELS: readonly GuardedLabel[] = ['service', 'version', 'environment', 'server'];

/** What a value past the limit is stored as, in the columns the rollups read. */
export const OTHER_LABEL_VALUE = '(other)';

const HOUR = 3_600_000;

/**
 * Keeps the labels the rollups group by within a bound, so one producer
 * that sends a random server.address (or version) per event cannot blow up
 * every per-minute rollup: per tenant database, service and label, the
 * first `maxValues` distinct values of each hour are kept and later ones
 * are stored as "(other)" in the typed columns the rollups read. The raw
 * attribute maps keep the real value for lookups; only metric points, whose
 * rollups read server.address from the attributes, lose it. Service names
 * are bounded the same way, across the services of a database. Each
 * database has its own budget, so one tenant cannot use up another's.
 */
export class LabelCardinalityGuard {
  private readonly seen = new Map<string, Set<string>>();
  private windowStart = 0;

  constructor(
    private readonly maxValues: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Caps the labels of rows bound for `database` in place; returns how many values were replaced, by label. */
  apply(database: string, batches: readonly TableRows[]): Record<GuardedLabel, number> {
    const now = this.now();
    if (now - this.windowStart >= HOUR) {
      this.seen.clear();
      this.windowStart = now - (now % HOUR);
    }
    const capped: Record<GuardedLabel, number> = { service: 0, version: 0, environment: 0, server: 0 };
    const admit = (label: GuardedLabel, service: string, value: unknown): string | undefined => {
      if (typeof value !== 'string' || value === '') return undefined;
      const key = label === 'service' ? `${database}\u0000service` : `${database}\u0000${label}\u0000${service}`;
      let values = this.seen.get(key);
      if (!values) this.seen.set(key, (values = new Set()));
      if (values.has(value)) return undefined;
      if (values.size < this.maxValues) {
        values.add(value);
        return undefined;
      }
      capped[label] += 1;
      return OTHER_LABEL_VALUE;
    };
    for (const { table, rows } of batches) {
      if (table === 'traces') continue;
      for (const row of rows) {
        const service = admit('service', '', row.ServiceName);
        if (service) row.ServiceName = service;
        const owner = String(row.ServiceName ?? '');
        for (const [label, column] of [['version', 'ServiceVersion'], ['environment', 'Environment']] as const) {
          const replaced = admit(label, owner, row[column]);
          if (replaced) row[column] = replaced;
        }
        if (table === 'logs') {
          const replaced = admit('server', owner, row.ServerAddress);
          if (replaced) row.ServerAddress = replaced;
        } else {
          // The metric rollups read server.address from the point's attributes, else the resource's.
          const attributes = row.Attributes as Record<string, string> | undefined;
          const inPoint = attributes?.['server.address'] !== undefined && attributes['server.address'] !== '';
          const source = inPoint ? attributes! : (row.ResourceAttributes as Record<string, string> | undefined);
          const replaced = admit('server', owner, source?.['server.address']);
          if (replaced && source) row[inPoint ? 'Attributes' : 'ResourceAttributes'] = { ...source, 'server.address': replaced };
        }
      }
    }
    return capped;
  }
}
