import { DEFAULT_NEXT, safeNextPath } from './safe-next-path';

/** The "Sign in with single sign-on" link: the dashboard's start route, with `next` when it is a safe path other than `/`. */
export function singleSignOnHref(next: string | null | undefined): string {
  const safe = safeNextPath(next);
  return safe === DEFAULT_NEXT ? '/api/auth/oidc/start' : `/api/auth/oidc/start?${new URLSearchParams({ next: safe })}`;
}

/** The provider's host, as the sign-in page names it ("idp.example.com"), or the issuer as given when it is not a URL. */
export function providerHost(issuer: string): string {
  try {
    return new URL(issuer).host || issuer;
  } catch {
    return issuer;
  }
}
