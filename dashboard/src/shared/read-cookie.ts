/**
 * The raw value of the cookie `name` in a Cookie header (or in
 * `document.cookie`, same format), or undefined when it is not there. The
 * first one wins, as browsers send the most specific path first.
 */
export function readCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return undefined;
}
