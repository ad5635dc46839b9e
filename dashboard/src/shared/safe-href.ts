/**
 * `href` when it is safe to put in a link: an http(s) URL or a path on this
 * site. Anything else (`javascript:`, `data:`, `//other.host`) gives
 * undefined. Security: links built from collector data (alert links carry
 * telemetry labels) must not run script when clicked.
 */
export function safeHref(href: string | null | undefined): string | undefined {
  if (!href) return undefined;
  if (href.startsWith('/')) return href.startsWith('//') || href.includes('\\') ? undefined : href;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? href : undefined;
  } catch {
    return undefined;
  }
}
