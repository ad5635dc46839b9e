import { createHash, timingSafeEqual } from 'node:crypto';
import type { OidcFlow } from './oidc-flow-cookie';

/**
 * True when the `state` the provider sent back is the one this browser's
 * flow cookie holds. Compared in constant time, over SHA-256 digests so
 * that neither the content nor the length of the expected state leaks
 * through timing.
 */
export function sameState(expected: string, received: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(received)) && expected.length > 0;
}

/** Longest provider error text shown on the sign-in page. */
const MAX_PROVIDER_TEXT = 200;

/** A provider's error code or description, made safe to show as one line of text. */
function providerText(value: string): string {
  const flat = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > MAX_PROVIDER_TEXT ? `${flat.slice(0, MAX_PROVIDER_TEXT)}…` : flat;
}

/**
 * Why the provider's return to /api/auth/oidc/callback must be refused
 * before asking the collector, worded for the sign-in page, or null to go
 * on. In this order: no flow cookie (not started in this browser, or more
 * than 10 minutes ago); a state that is not this flow's (a forged or
 * replayed return: this is what stops another site from signing the
 * visitor in as someone else); an error from the provider (only shown once
 * the state matched, so a crafted link cannot put its words on the page);
 * no authorization code.
 */
export function callbackRefusal(flow: OidcFlow | undefined, params: URLSearchParams): string | null {
  if (!flow) return 'This single sign-on was not started in this browser, or took more than 10 minutes. Start again.';
  const state = params.get('state');
  if (state === null || !sameState(flow.state, state)) {
    return "The sign-in provider's answer does not belong to the sign-in started in this browser, so it was refused. Start again.";
  }
  const error = params.get('error');
  if (error !== null) {
    const description = params.get('error_description');
    const detail = description ? `${providerText(error)}: ${providerText(description)}` : providerText(error);
    return `The sign-in provider did not sign you in (${detail}). Start again, or ask your administrator.`;
  }
  if (!params.get('code')) return 'The sign-in provider sent no authorization code. Start again.';
  return null;
}
