/** The host the browser addressed (`x-forwarded-host` behind a proxy, else `host`). */
export function requestHost(headers: Headers): string | undefined {
  return headers.get('x-forwarded-host') ?? headers.get('host') ?? undefined;
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Why a write (POST or DELETE) to the dashboard's server must be refused,
 * or null to let it through.
 *
 * Security: the dashboard's server adds credentials to what it forwards (the
 * session cookie's token, or the ingest key), so a page on another site must
 * not be able to make a visitor's browser send a write (CSRF). A cross-site
 * POST can only be a "simple" request (form or no-cors fetch, never
 * `application/json`), and a cross-site DELETE needs a CORS preflight this
 * server never approves; checking the content type, the Origin header and
 * Sec-Fetch-Site refuses both even if that changes. The collector's CSRF
 * token check comes on top of this.
 */
export function writeRefusal(method: 'POST' | 'DELETE', headers: Headers = new Headers(), host?: string): string | null {
  const site = headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return 'Writes through the dashboard are accepted from the dashboard itself only.';
  const origin = headers.get('origin');
  if (origin && host && hostOf(origin) !== host.toLowerCase()) return 'Writes through the dashboard are accepted from the dashboard itself only.';
  if (method === 'POST') {
    const type = headers.get('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) return 'Send the body as JSON (content-type: application/json).';
  }
  return null;
}
