/** Where the collector listens when COLLECTOR_URL is not set (its default OTLP/HTTP port). */
export const DEFAULT_COLLECTOR_URL = 'http://127.0.0.1:4318';

/** The outcome of reading COLLECTOR_URL: a base URL without a trailing slash, or what is wrong with it. */
export type CollectorUrlSetting = { ok: true; url: string } | { ok: false; message: string };

/**
 * Reads COLLECTOR_URL (server side only; the browser never sees it as a
 * place to send requests). Read per call so a restarted `next start`
 * picks up a changed environment.
 */
export function readCollectorUrl(env: NodeJS.ProcessEnv = process.env): CollectorUrlSetting {
  const raw = env.COLLECTOR_URL?.trim() || DEFAULT_COLLECTOR_URL;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { ok: false, message: `COLLECTOR_URL="${raw}" is not a URL: set it to the collector's base URL, e.g. ${DEFAULT_COLLECTOR_URL}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, message: `COLLECTOR_URL="${raw}" must start with http:// or https://` };
  }
  if (parsed.search || parsed.hash) {
    return { ok: false, message: `COLLECTOR_URL="${raw}" must not carry a query string or fragment` };
  }
  return { ok: true, url: parsed.toString().replace(/\/+$/, '') };
}
