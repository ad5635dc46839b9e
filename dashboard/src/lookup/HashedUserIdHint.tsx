import Link from 'next/link';
import type { UserIdHint } from '@/collector-api/types';
import { lookupHref, type LookupQuery } from './lookup-query';

/**
 * Why a user id found nothing when the SDK hashes user ids: the hash the
 * collector computed, a link that looks it up, and the services that mark
 * their user ids as hashed.
 */
export function HashedUserIdHint({ hint, query }: { hint: UserIdHint; query: LookupQuery }) {
  const services = hint.hashing_services.join(', ');
  return (
    <div className="tv-callout" role="note" data-hint="hashed-user-id">
      {hint.hashed_matches > 0 ? (
        <p>
          This id is stored hashed: {hint.hashed_matches === 1 ? '1 event matches' : `${hint.hashed_matches} events match`} its hash.{' '}
          <Link href={lookupHref({ ...query, q: hint.hashed_user_id, kind: 'user_id' })}>
            Look up the hashed user id <code>{hint.hashed_user_id}</code>
          </Link>
        </p>
      ) : (
        <p>
          Its hash <code>{hint.hashed_user_id}</code> matches nothing either.
        </p>
      )}
      <p>
        {services
          ? `Services that hash user ids in this range: ${services}.`
          : 'No service marked user ids as hashed in this range.'}
      </p>
    </div>
  );
}
