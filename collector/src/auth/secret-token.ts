import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Key tokens start with `tvk_`, dashboard session tokens with `tvs_`. */
export type TokenPrefix = 'tvk' | 'tvs';

/** A new token: its public id, the whole token (shown once) and the digest that is stored. */
export interface NewToken {
  readonly id: string;
  readonly token: string;
  readonly digest: string;
}

const TOKEN = /^(tvk|tvs)_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** SHA-256 of the whole token, hex. Tokens carry 256 random bits, so a fast digest is enough; passwords use scrypt. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `<prefix>_<16 hex id>_<43 base64url characters of 32 random bytes>`. */
export function newToken(prefix: TokenPrefix): NewToken {
  const id = randomBytes(8).toString('hex');
  const token = `${prefix}_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, token, digest: tokenDigest(token) };
}

/** The prefix and id of a well-formed token; undefined for anything else. */
export function parseToken(token: string): { prefix: TokenPrefix; id: string } | undefined {
  const match = TOKEN.exec(token);
  return match ? { prefix: match[1] as TokenPrefix, id: match[2]! } : undefined;
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** Compares two secrets in constant time, whatever their lengths (both are hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
