import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { ATTR_USER_ID_HASHED } from '@tunnelvision/semconv';
import type { UserIdHint } from '../api-types.js';
import { idPlacesCondition } from './id-places.js';

/** How the SDK hashes user ids before they leave the device (docs/semconv.md, `tv.user.id_hashed`): hex SHA-256, first 32 characters. */
export function hashUserId(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex').slice(0, 32);
}

/**
 * For a user id that found nothing: how many events the range holds under
 * its hash, and which services mark their user ids as hashed, so support
 * learns why the raw id found nothing and which id to look up instead.
 * Undefined when neither applies (the id is simply unknown).
 */
export async function hashedUserIdHint(
  client: ClickHouseClient,
  database: string,
  raw: string,
  range: { from: number; to: number },
): Promise<UserIdHint | undefined> {
  const hashed = hashUserId(raw);
  const timeFilter = `Timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND Timestamp < fromUnixTimestamp64Milli({to:Int64})`;
  const result = await client.query({
    query: `SELECT
              (SELECT count() FROM ${database}.logs WHERE UserId = {hashed:String} AND ${timeFilter}
                AND ${idPlacesCondition(database, 'user_id', { id: '{hashed:String}', from: 'fromUnixTimestamp64Milli({from:Int64})', to: 'fromUnixTimestamp64Milli({to:Int64})' })}) AS matches,
              (SELECT groupUniqArray(20)(ServiceName) FROM ${database}.logs
                WHERE ${timeFilter} AND (LogAttributes[{flag:String}] = 'true' OR ResourceAttributes[{flag:String}] = 'true')) AS services`,
    query_params: { hashed, flag: ATTR_USER_ID_HASHED, ...range },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ matches: string | number; services: string[] }>();
  const matches = Number(row?.matches ?? 0);
  const services = [...(row?.services ?? [])].filter((s) => s !== '').sort();
  if (matches === 0 && services.length === 0) return undefined;
  return { hashed_user_id: hashed, hashed_matches: matches, hashing_services: services };
}

/** The hint as one sentence for `notes`. */
export function hashedUserIdNote(hint: UserIdHint): string {
  const marking = hint.hashing_services.length > 0 ? ` ${hint.hashing_services.join(', ')} hash user ids (tv.user.id_hashed) in this range.` : '';
  if (hint.hashed_matches > 0) {
    return `No events under this user id, but ${hint.hashed_matches} under its hash ${hint.hashed_user_id}: the SDK hashes user ids, so look up the hash.${marking}`;
  }
  return `No events under this user id or its hash ${hint.hashed_user_id}.${marking}`;
}
