import { DEFAULT_NEXT, safeNextPath } from '../auth/safe-next-path';
import { readCookie } from '../shared/read-cookie';

/** The cookie that carries a single sign-on in progress from /api/auth/oidc/start to the provider's return. */
export const OIDC_FLOW_COOKIE = 'tv_oidc';

/** Only the two routes of the flow receive it. */
export const OIDC_FLOW_PATH = '/api/auth/oidc';

/** How long a person has at the provider before the flow is forgotten: 10 minutes. */
export const OIDC_FLOW_MAX_AGE_SECONDS = 600;

/** What the dashboard keeps between sending the browser to the provider and its return. */
export interface OidcFlow {
  state: string;
  code_verifier: string;
  nonce: string;
  /** Where to go once signed in: a path on this dashboard (safeNextPath). */
  next: string;
}

/** state, nonce and the PKCE verifier as openid-client makes them: base64url, nothing a cookie or a URL needs escaped. */
const SECRET = /^[A-Za-z0-9._~-]{1,256}$/;
/** RFC 7636: a code verifier is 43 to 128 characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** Far above what four short fields need; anything longer is not ours. */
const MAX_COOKIE_VALUE = 3_000;

/** True when the collector's start answered secrets this cookie can carry. */
export function isCookieSafeFlow(flow: { state: unknown; code_verifier: unknown; nonce: unknown }): boolean {
  return (
    typeof flow.state === 'string' &&
    SECRET.test(flow.state) &&
    typeof flow.code_verifier === 'string' &&
    VERIFIER.test(flow.code_verifier) &&
    typeof flow.nonce === 'string' &&
    SECRET.test(flow.nonce)
  );
}

/** The longest `next` kept; a longer one becomes `/` rather than make the cookie too big for the browser to keep. */
const MAX_NEXT = 1_500;

/** The cookie's value: the flow as JSON, base64url-encoded (cookie-safe, no quoting). */
export function encodeOidcFlow(flow: OidcFlow): string {
  const next = safeNextPath(flow.next);
  const kept = next.length <= MAX_NEXT ? next : DEFAULT_NEXT;
  return Buffer.from(JSON.stringify({ state: flow.state, code_verifier: flow.code_verifier, nonce: flow.nonce, next: kept })).toString('base64url');
}

/** The flow in a cookie value, or undefined when it is not one this dashboard wrote (malformed, too long, missing fields). */
export function decodeOidcFlow(value: string | undefined): OidcFlow | undefined {
  if (!value || value.length > MAX_COOKIE_VALUE || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { state, code_verifier, nonce, next } = parsed as Record<string, unknown>;
  if (!isCookieSafeFlow({ state, code_verifier, nonce })) return undefined;
  // Checked again on the way back: a cookie edited by hand still cannot send the browser off the site.
  return { state: state as string, code_verifier: code_verifier as string, nonce: nonce as string, next: safeNextPath(typeof next === 'string' ? next : undefined) };
}

/** The flow from a request's Cookie header, or undefined. */
export function readOidcFlow(headers: Headers): OidcFlow | undefined {
  return decodeOidcFlow(readCookie(headers.get('cookie'), OIDC_FLOW_COOKIE));
}

/**
 * The Set-Cookie value that keeps a flow: HttpOnly (the page's scripts never
 * see the PKCE verifier), SameSite=Lax (the browser must send it on the
 * provider's top-level redirect back, a cross-site GET navigation, which
 * Strict would drop), only below /api/auth/oidc, for 10 minutes, Secure over
 * HTTPS. It is not signed: it only matters to the browser that holds it,
 * the collector checks state, nonce and verifier against the provider's
 * answer, and another site cannot set it in a visitor's browser, so a forged
 * or edited cookie can only fail its own sign-in (and `next` is checked again).
 */
export function oidcFlowCookie(flow: OidcFlow, options: { secure: boolean }): string {
  return [
    `${OIDC_FLOW_COOKIE}=${encodeOidcFlow(flow)}`,
    `Path=${OIDC_FLOW_PATH}`,
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${OIDC_FLOW_MAX_AGE_SECONDS}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The Set-Cookie value that deletes the flow cookie (a flow is used once, whatever its outcome). */
export function clearedOidcFlowCookie(options: { secure: boolean }): string {
  return [`${OIDC_FLOW_COOKIE}=`, `Path=${OIDC_FLOW_PATH}`, 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(options.secure ? ['Secure'] : [])].join('; ');
}
