import type { Attributes } from '@opentelemetry/api';

/**
 * The low-cardinality attributes of one connection's metric points
 * (server.address, tv.role: never session, user, connection or message
 * ids), with a key identifying that attribute set.
 */
export interface MetricIdentity {
  /** Identifies the attribute set, for per-series bookkeeping. */
  readonly key: string;
  /** The point attributes. */
  readonly attributes: Attributes;
}
