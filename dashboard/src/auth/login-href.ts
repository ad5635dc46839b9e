import { DEFAULT_NEXT, safeNextPath } from './safe-next-path';

/** The sign-in page's address: `/login?next=<where to return>`, and the "Signed out" notice after a logout. */
export function loginHref({ next, signedOut = false }: { next?: string; signedOut?: boolean } = {}): string {
  const params = new URLSearchParams();
  if (signedOut) params.set('signed_out', '1');
  const safe = safeNextPath(next);
  if (safe !== DEFAULT_NEXT) params.set('next', safe);
  const query = params.toString();
  return `/login${query ? `?${query}` : ''}`;
}
