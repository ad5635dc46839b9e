import type { AttributeValue, Attributes } from '@opentelemetry/api';

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

/**
 * `identity`'s attributes plus `key`, as a new object. Object.assign rather
 * than a spread: V8 makes a spread copy that then gains a property a slow
 * object, and this runs on every lifecycle event.
 */
export function attributesWith(identity: MetricIdentity, key: string, value: AttributeValue): Attributes {
  const attributes = Object.assign({}, identity.attributes);
  attributes[key] = value;
  return attributes;
}
