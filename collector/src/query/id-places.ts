import type { LookupKind } from '../api-types.js';

/** The Kind of each lookup in `id_buckets` (migration 0012). */
const KIND: Record<LookupKind, string> = { user_id: 'user', session_id: 'session', connection_id: 'connection', message_id: 'message' };

/** Which ids (one as an SQL String expression, or several as an Array(String) one), and the time range (SQL DateTime or DateTime64) to find them in. */
export type IdPlaces = ({ id: string; ids?: never } | { ids: string; id?: never }) & { from: string; to: string };

/**
 * A condition on `logs` rows: in one of the places (five-minute bucket,
 * service, event name) where the ids occur within the range, as
 * `id_buckets` records them. These are the first three parts of `logs`'
 * primary key, so the read of `logs` is pruned to the ranges that hold the
 * ids' events, with no skip index to read. The places may reach a bucket
 * past either end of the range, and a place also holds other ids' events
 * (a hash collision adds another id's places), so the caller still filters
 * by the range and by the id itself.
 */
export function idPlacesCondition(database: string, kind: LookupKind, places: IdPlaces): string {
  const hashes =
    places.id !== undefined ? `IdHash = toUInt32(cityHash64(${places.id}))` : `has(arrayMap(id -> toUInt32(cityHash64(id)), ${places.ids}), IdHash)`;
  // Bucket is the number of the five-minute period (migration 0012).
  return `(toStartOfFiveMinutes(Timestamp), ServiceName, EventName) IN (
      SELECT toDateTime(Bucket * 300), ServiceName, EventName FROM ${database}.id_buckets
      WHERE Kind = '${KIND[kind]}' AND ${hashes}
        AND Bucket BETWEEN intDiv(toUnixTimestamp(${places.from}), 300) AND intDiv(toUnixTimestamp(${places.to}), 300))`;
}
