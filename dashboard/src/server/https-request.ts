/**
 * True when the browser reached the dashboard over HTTPS: the first
 * `x-forwarded-proto` a TLS-terminating proxy set, else the request URL's
 * own scheme. Decides whether the session cookie is marked Secure.
 */
export function isHttpsRequest(headers: Headers, url: string): boolean {
  const forwarded = headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === 'https';
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
